"""``import datetime`` and ``import math`` in a workflow: the device's clock, the policy's names
only, times passed to the API as text, and everything else refused (intentos/sandbox/modules.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from intentos.codegen.check import check
from intentos.codegen.policy import CLASS_ATTRIBUTES, IMPORTABLE
from intentos.device.store import Device
from intentos.execution.executor import execute
from intentos.execution.record import ExecutionRecord
from intentos.sandbox import modules
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

NOW = dt.datetime(2026, 3, 16, 8, 30)  # the default world's clock
FAST = Limits(wall_seconds=3, cpu_seconds=1, memory_mb=512)


def run(device: Device, sandbox: Sandbox, code: str, **options: Any) -> ExecutionRecord:
    return execute(code, device, sandbox=sandbox, limits=FAST, extract_code=False, **options)


def screen(record: ExecutionRecord) -> list[str]:
    return [line.text for line in record.screen]


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("import datetime\nprint(datetime.datetime.now().isoformat())", "2026-03-16T08:30:00"),
        ("from datetime import date\nprint(date.today())", "2026-03-16"),
        ("import datetime as dt\nprint(dt.datetime.today().strftime('%A %H:%M'))", "Monday 08:30"),
        (
            "from datetime import datetime, timedelta\n"
            "friday = datetime.now() + timedelta(days=4)\n"
            "print(friday.strftime('%A'), friday.day)",
            "Friday 20",
        ),
        (
            "from datetime import datetime\n"
            "flight = datetime.fromisoformat('2026-03-26T07:15:00')\n"
            "print((flight - datetime.now()).days)",
            "9",
        ),
        (
            "from datetime import datetime\n"
            "print(datetime.strptime('2026-04-01', '%Y-%m-%d').weekday())",
            "2",
        ),
        ("import math\nprint(math.ceil(41 / 8), math.floor(math.sqrt(50)))", "6 7"),
        ("for _ in range(2):\n    print('again')", "again"),
        # an API time is its ISO text and works as a datetime too
        (
            "now = get_current_time()\nprint(now.replace(day=1), now.day, now[:10])",
            ("2026-03-01T08:30:00 16 2026-03-16"),
        ),
        (
            "from datetime import datetime\n"
            "flight = datetime.strptime('2026-03-25', '%Y-%m-%d')\n"
            "print((flight - get_current_time()).days)",
            "8",
        ),
        (
            "from datetime import timedelta\n"
            "later = get_current_time() + timedelta(hours=2)\n"
            "print(later, f'{later:%H:%M}', later > get_current_time())",
            "2026-03-16T10:30:00 10:30 True",
        ),
        ("print(get_current_time().replace('T', ' at '))", "2026-03-16 at 08:30:00"),
    ],
)
def test_a_workflow_computes_with_the_device_clock(
    device: Device, sandbox: Sandbox, code: str, shown: str
) -> None:
    record = run(device, sandbox, code)
    assert record.status == "ok", record.error
    assert screen(record)[0] == shown


@pytest.mark.parametrize(
    ("start", "end", "times"),
    [
        # an API time and a timedelta
        ("get_current_time() + timedelta(days=1)", "None", ["2026-03-17T08:30:00", None]),
        # the device's datetime
        (
            "datetime.now().replace(hour=15, minute=0) + timedelta(days=1)",
            "start + timedelta(minutes=30)",
            ["2026-03-17T15:00:00", "2026-03-17T15:30:00"],
        ),
    ],
)
def test_times_reach_the_api_as_text(
    device: Device, sandbox: Sandbox, start: str, end: str, times: list[str | None]
) -> None:
    code = (
        "from datetime import datetime, timedelta\n"
        f"start = {start}\n"
        f"create_event('Call with the bank', start, {end})\n"
    )
    record = run(device, sandbox, code)
    assert record.status == "ok", record.error
    (call,) = [call for call in record.calls if call.name == "create_event"]
    assert call.args[1:] == times
    event = device.connection.execute(
        "SELECT start FROM events WHERE title = 'Call with the bank'"
    ).fetchone()
    assert event[0] == times[0]


def test_a_timedelta_given_to_the_api_is_refused_with_a_hint(
    device: Device, sandbox: Sandbox
) -> None:
    code = "from datetime import timedelta\nprint(timedelta(hours=2) and 1)\nsleep(timedelta(1))"
    record = run(device, sandbox, code)
    assert record.status == "error"
    assert record.error is not None and "total_seconds" in record.error.message


def test_the_device_clock_moves_with_the_run(device: Device, sandbox: Sandbox) -> None:
    code = (
        "from datetime import datetime\n"
        "before = datetime.now()\n"
        "sleep(90)\n"
        "print(int((datetime.now() - before).total_seconds()))"
    )
    record = run(device, sandbox, code)
    assert record.status == "ok", record.error
    assert screen(record) == ["90"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import os\nprint(os.getcwd())", "`import os` is not allowed"),
        ("import datetime.sys", "`import datetime.sys` is not allowed"),
        ("from datetime import sys", "datetime offers date, datetime, time, timedelta"),
        ("from math import factorial\nprint(factorial(5))", "`from math import factorial`"),
        ("from .datetime import date", "`from .datetime import` is not allowed"),
        ("import datetime\nprint(datetime.datetime.now().timestamp())", "`.timestamp`"),
        ("import datetime\nprint(datetime.__dict__)", "attributes starting with '_'"),
    ],
)
def test_other_imports_and_attributes_are_refused_before_running(code: str, message: str) -> None:
    result = check(code, ["print", "get_current_time"])
    assert not result.ok
    assert message in result.message()


def test_the_importer_offers_only_the_policys_modules() -> None:
    load = modules.importer(lambda: NOW)
    for name in ("os", "sys", "builtins", "datetime.sys"):
        with pytest.raises(ImportError, match="may import only datetime and math"):
            load(name)
    with pytest.raises(ImportError):
        load("datetime", level=1)
    for name, offered in IMPORTABLE.items():
        module = load(name)
        assert {member for member in vars(module) if member != "module_name"} == offered


def test_names_on_modules_and_classes_follow_the_policy() -> None:
    module = modules.device_datetime(lambda: NOW)
    device_datetime = module.datetime  # type: ignore[attr-defined]
    assert device_datetime.now() == NOW
    for name in CLASS_ATTRIBUTES["datetime"]:
        assert modules.attribute_allowed(device_datetime, name)
        assert hasattr(device_datetime, name)
    assert not modules.attribute_allowed(device_datetime, "fromtimestamp")
    assert not modules.attribute_allowed(dt.datetime, "now"), "the host's class is not offered"
    assert not modules.attribute_allowed(module, "sys")
    assert not modules.attribute_allowed(str, "maketrans")


def test_a_profile_without_a_clock_says_so(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "import datetime\nprint(datetime.date.today())", profile="paper1")
    assert record.status == "error"
    assert record.error is not None and "has no clock" in record.error.message
