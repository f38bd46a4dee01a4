"""API times in a workflow (intentos/api/times.py): the ISO string they are, and a datetime."""

from __future__ import annotations

import datetime as dt
import json
import operator

import pytest

from intentos.api.records import as_records
from intentos.api.times import Timestamp, as_time

NOW = "2026-03-16T08:30:00"


def test_api_results_carry_their_times_as_timestamps() -> None:
    events = as_records([{"title": "Dentist", "start": NOW, "end": "2026-03-16T09:30:00"}])
    assert isinstance(events[0]["start"], Timestamp) and isinstance(events[0].end, Timestamp)
    assert not isinstance(events[0]["title"], Timestamp)


@pytest.mark.parametrize("text", ["2026-13-45", "2026-03-16T08:30:00.123", "16.03.2026", "x"])
def test_what_is_no_api_time_stays_text(text: str) -> None:
    assert type(as_time(text)) is str


def test_a_timestamp_is_still_its_string() -> None:
    time = Timestamp(NOW)
    assert time == NOW and hash(time) == hash(NOW) and json.dumps(time) == f'"{NOW}"'
    assert sorted([Timestamp("2026-03-25"), time]) == [NOW, "2026-03-25"]
    assert time[:10] == "2026-03-16" and type(time[:10]) is str
    assert time.replace("T", " ") == "2026-03-16 08:30:00"
    assert time + "!" == NOW + "!" and f"{time}" == NOW and time.startswith("2026")


def test_a_timestamp_works_as_a_datetime() -> None:
    time, flight = Timestamp(NOW), Timestamp("2026-03-25")
    assert (time.year, time.month, time.day, time.hour, time.minute) == (2026, 3, 16, 8, 30)
    assert time.weekday() == 0 and time.strftime("%A") == "Monday" and f"{time:%H:%M}" == "08:30"
    assert time.replace(day=1) == "2026-03-01T08:30:00"
    assert flight.replace(day=1) == "2026-03-01"
    assert time + dt.timedelta(hours=2) == "2026-03-16T10:30:00"
    assert flight + dt.timedelta(days=1) == "2026-03-26"
    assert (flight - time).days == 8 and (dt.datetime(2026, 3, 17) - time).seconds == 55800
    assert time - dt.timedelta(days=1) == "2026-03-15T08:30:00"
    assert time < dt.datetime(2026, 4, 1) and time > dt.date(2026, 3, 15)
    assert time == dt.datetime(2026, 3, 16, 8, 30) and time.date() == dt.date(2026, 3, 16)


@pytest.mark.parametrize("name", ["lt", "le", "gt", "ge"])
def test_a_missing_time_is_neither_before_nor_after_a_time(name: str) -> None:
    """As SQL's NULL: `r["due"] < now` is False for a reminder without a due time, in either
    order, instead of stopping the workflow."""
    compare = getattr(operator, name)
    assert compare(Timestamp(NOW), None) is False and compare(None, Timestamp(NOW)) is False
    overdue = [due for due in [None, Timestamp("2026-03-10"), None] if due < Timestamp(NOW)]
    assert overdue == ["2026-03-10"]


def test_a_timestamp_and_nothing_are_unequal_and_do_no_arithmetic() -> None:
    assert Timestamp(NOW) != None  # noqa: E711 - the comparison under test
    with pytest.raises(TypeError):
        Timestamp(NOW) - 5
    with pytest.raises(TypeError):
        Timestamp(NOW) + None


def test_a_time_written_with_a_space_is_a_time_and_keeps_its_form() -> None:
    start = as_time("2024-05-19 12:00")
    assert isinstance(start, Timestamp) and start.hour == 12
    assert start + dt.timedelta(hours=1) == "2024-05-19 13:00"
    assert start.replace(hour=9) == "2024-05-19 09:00"
    with_seconds = Timestamp("2024-05-19 12:00:00")
    assert with_seconds + dt.timedelta(minutes=5) == "2024-05-19 12:05:00"


def test_times_written_either_way_order_as_times_and_equal_as_text() -> None:
    spaced, iso = as_time("2024-05-19 12:00"), as_time("2024-05-19T12:30:00")
    assert spaced < "2024-05-19T12:30" and iso > "2024-05-19 12:00" and not iso < "2024-05-19 12:00"
    assert spaced != "2024-05-19T12:00" and spaced == "2024-05-19 12:00"
    assert sorted([iso, spaced]) == [spaced, iso]
