"""The system, sensors and web apps (apis/system.py, apis/sensors.py, apis/web.py): results
on the default world, the rows they add or change, and clear refusals that change nothing."""

from __future__ import annotations

import random
from typing import Any

import pytest

from intentos.api.context import ApiContext
from intentos.device.world import World
from intentos.resources import worlds_dir
from tests.conftest import Session
from tests.helpers import assert_unchanged, changed_only, expect_error

NOW = "2026-03-16T08:30:00"
WEEK = 7 * 24 * 3600
NEWS = "https://news.example/today"
NGINX = "https://nginx.org/en/linux_packages.html"


# -- helpers ------------------------------------------------------------------------------


def outputs(session: Session) -> list[tuple[str, str, str]]:
    rows = session.rows("SELECT at, channel, text FROM output ORDER BY id")
    return [(row["at"], row["channel"], row["text"]) for row in rows]


def clock(session: Session) -> str:
    return str(session.rows("SELECT now FROM clock WHERE id = 1")[0]["now"])


# -- print / speak --------------------------------------------------------------------------


def test_the_world_starts_with_an_empty_screen(full: Session) -> None:
    assert outputs(full) == []
    assert full.rows("SELECT * FROM questions") == []


@pytest.mark.parametrize(
    ("args", "kwargs", "text"),
    [
        (("hello",), {}, "hello"),
        (("The temperature is", 21.0, "°C"), {}, "The temperature is 21.0 °C"),
        (("a", 1, True, None), {}, "a 1 True None"),
        (("a", "b", "c"), {"sep": ", "}, "a, b, c"),
        (("x", "y"), {"sep": ""}, "xy"),
        ((["car", "title"], {"k": 1}), {}, "['car', 'title'] {'k': 1}"),
        ((), {}, ""),
    ],
)
def test_print_shows_its_values_on_the_screen(
    full: Session, args: tuple[Any, ...], kwargs: dict[str, Any], text: str
) -> None:
    assert full("print", *args, **kwargs) is None
    (added,) = changed_only(full, "output").tables["output"].added
    assert (added["at"], added["channel"], added["text"]) == (NOW, "screen", text)


def test_print_keeps_the_order_of_several_calls(full: Session) -> None:
    full("print", "first")
    full("speak", "second")
    full("print", "third")
    assert outputs(full) == [
        (NOW, "screen", "first"),
        (NOW, "voice", "second"),
        (NOW, "screen", "third"),
    ]


def test_print_cuts_very_long_text(full: Session) -> None:
    full("print", "z" * 20_010)
    (added,) = changed_only(full, "output").tables["output"].added
    assert added["text"] == "z" * 20_000 + "... [10 characters cut]"


def test_paper2_prints_one_value(paper2: Session) -> None:
    paper2("print", 42)
    paper2("print", "Result: 42")
    assert outputs(paper2) == [(NOW, "screen", "42"), (NOW, "screen", "Result: 42")]


def test_print_rejects_a_non_string_separator(full: Session) -> None:
    message = full.error("print", "a", "b", sep=3)
    assert "'sep'" in message
    assert "must be a string" in message
    assert_unchanged(full)


def test_speak_uses_the_voice(full: Session) -> None:
    assert full("speak", "Good morning, Alex") is None
    (added,) = changed_only(full, "output").tables["output"].added
    assert (added["at"], added["channel"], added["text"]) == (NOW, "voice", "Good morning, Alex")


def test_speak_needs_text(full: Session) -> None:
    expect_error(full, "speak", words=("missing", "text", "speak(text)"))
    expect_error(full, "speak", ["hi"], words=("'text'", "must be a string"))


# -- ask_question ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Which song should I play?", "Beat It by Michael Jackson"),
        ("What should the subject of the e-mail be?", "Car title"),
        ("Which contact should get the title?", "Harbor Mutual Insurance"),
        (
            "Which insurance company do you mean?",
            "Harbor Mutual Insurance, my car insurance company",
        ),
        ("Are you sure you want to send it?", "yes"),
        ("WHICH SONG?", "Beat It by Michael Jackson"),
        # The first pattern of the world's list that the question contains wins.
        ("Which contact and which subject?", "Car title"),
        ("What is the meaning of life?", "I don't know."),
    ],
)
def test_ask_question_answers_from_the_world(full: Session, question: str, answer: str) -> None:
    assert full("ask_question", question) == answer
    (added,) = changed_only(full, "questions").tables["questions"].added
    assert (added["at"], added["question"], added["answer"]) == (NOW, question, answer)


def test_the_canned_answers_are_the_worlds(full: Session, default_world: World) -> None:
    rows = full.rows("SELECT pattern, answer FROM answers ORDER BY id")
    assert [(row["pattern"], row["answer"]) for row in rows] == [
        (answer.pattern, answer.answer) for answer in default_world.answers
    ]
    for answer in default_world.answers:
        if answer.pattern != "subject":  # "subject" is asked about in a later pattern's text
            assert full("ask_question", f"{answer.pattern}?") == answer.answer


def test_the_pattern_star_answers_any_question(full: Session) -> None:
    full.context.execute("DELETE FROM answers")
    full.context.execute("INSERT INTO answers (pattern, answer) VALUES ('health', 'Yes')")
    full.context.execute("INSERT INTO answers (pattern, answer) VALUES ('*', 'The health one')")
    assert full("ask_question", "The health card?") == "Yes"
    assert full("ask_question", "Which one do you mean") == "The health one"


def test_a_person_at_the_keyboard_answers_instead(full: Session) -> None:
    asked: list[str] = []

    def person(question: str) -> str:
        asked.append(question)
        return "Fast Car by Tracy Chapman"

    full.context.ask = person
    assert full("ask_question", "Which song should I play?") == "Fast Car by Tracy Chapman"
    assert asked == ["Which song should I play?"]
    (added,) = changed_only(full, "questions").tables["questions"].added
    assert added["answer"] == "Fast Car by Tracy Chapman"


def test_a_person_who_does_not_answer_leaves_it_to_the_world(full: Session) -> None:
    full.context.ask = lambda question: None
    assert full("ask_question", "Which song should I play?") == "Beat It by Michael Jackson"


@pytest.mark.parametrize("profile", ["paper1", "paper2"])
def test_ask_question_is_a_function_of_both_papers(
    profile: str, request: pytest.FixtureRequest
) -> None:
    session: Session = request.getfixturevalue(profile)
    session.context.ask = lambda question: "..."
    assert session("ask_question", "Anything?") == "..."
    assert len(changed_only(session, "questions").tables["questions"].added) == 1


@pytest.mark.parametrize("question", ["", "   \n"])
def test_ask_question_refuses_an_empty_question(full: Session, question: str) -> None:
    expect_error(full, "ask_question", question, words=("question", "empty"))


# -- ask_choice -----------------------------------------------------------------------------


def holloways(session: Session) -> list[Any]:
    people = session("find_contacts", "Holloway")
    assert [p["name"] for p in people] == ["Greg Holloway", "Dave Holloway"]
    return list(people)


@pytest.mark.parametrize(
    ("answer", "chosen"),
    [
        ("Dave, the plumber", "Dave Holloway"),  # a first name and what he is, no full name
        ("the plumber", "Dave Holloway"),
        ("Greg Holloway", "Greg Holloway"),
        ("my landlord", "Greg Holloway"),  # his relation
        ("2", "Dave Holloway"),
        ("the first one", "Greg Holloway"),
        ("Holloway", None),  # names both equally
        ("I don't know.", None),
    ],
)
def test_ask_choice_returns_the_option_the_answer_names(
    full: Session, answer: str, chosen: str | None
) -> None:
    options = holloways(full)
    asked: list[str] = []

    def person(question: str) -> str:
        asked.append(question)
        return answer

    full.context.ask = person
    result = full("ask_choice", "Which Holloway do you mean?", options)
    assert (None if result is None else result["name"]) == chosen
    (question,) = asked
    assert question.startswith("Which Holloway do you mean? 1) Greg Holloway (")
    assert "2) Dave Holloway (" in question and "Holloway Plumbing" in question
    (added,) = changed_only(full, "questions").tables["questions"].added
    assert (added["question"], added["answer"]) == (question, answer)


def test_ask_choice_picks_among_strings(full: Session) -> None:
    full.context.ask = lambda question: "the health one"
    paths = ["~/Documents/Car/auto_insurance_id_card.pdf", "~/Documents/Health/health_card.pdf"]
    assert full("ask_choice", "Which insurance card?", paths) == paths[1]


def test_ask_choice_shows_an_events_time_to_the_minute(full: Session) -> None:
    events = full("find_events", "analytics team sync")[:2]
    assert len(events) == 2
    asked: list[str] = []

    def person(question: str) -> str:
        asked.append(question)
        return "the second one"

    full.context.ask = person
    assert full("ask_choice", "Which sync?", events) == events[1]
    assert f"2) {events[1]['title']} ({events[1]['start'][:16]}" in asked[0]


def test_ask_choice_returns_a_lone_option_without_asking(full: Session) -> None:
    (greg,) = full("find_contacts", "Greg Holloway")
    assert full("ask_choice", "Which Greg?", [greg]) == greg
    assert full.rows("SELECT * FROM questions") == []


@pytest.mark.parametrize(
    ("options", "words"),
    [([], ("no options", "tell the person")), (list(range(13)), ("13 options", "at most 12"))],
)
def test_ask_choice_refuses_no_options_or_too_many(
    full: Session, options: list[Any], words: tuple[str, ...]
) -> None:
    expect_error(full, "ask_choice", "Which one?", options, words=words)


# -- sleep / get_current_time ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "after"),
    [
        (90, "2026-03-16T08:31:30"),
        (1.5, "2026-03-16T08:30:01.500000"),
        (3600 * 16, "2026-03-17T00:30:00"),
        (WEEK, "2026-03-23T08:30:00"),
    ],
)
def test_sleep_advances_the_virtual_clock_exactly(
    full: Session, seconds: float, after: str
) -> None:
    assert full("sleep", seconds) is None
    (change,) = changed_only(full, "clock").tables["clock"].changed
    assert change.fields.keys() == {"now"}
    assert (change.fields["now"].before, change.fields["now"].after) == (NOW, after)
    assert full("get_current_time") == after[:19]


def test_sleeps_add_up(paper2: Session) -> None:
    paper2("sleep", 30)
    paper2("sleep", 45)
    assert clock(paper2) == "2026-03-16T08:31:15"


def test_sleep_zero_changes_nothing(full: Session) -> None:
    full("sleep", 0)
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (-1, ("negative", "-1")),
        (-0.5, ("negative",)),
        (WEEK + 1, ("too long", "one week")),
        (float("inf"), ("too long", "one week")),
        (float("nan"), ("NaN", "number")),
        ("soon", ("'seconds'", "must be a number")),
    ],
)
def test_sleep_refuses_bad_durations(full: Session, seconds: Any, words: tuple[str, ...]) -> None:
    expect_error(full, "sleep", seconds, words=words)
    assert clock(full) == NOW


def test_get_current_time_reads_the_device_clock(full: Session) -> None:
    assert full("get_current_time") == NOW
    assert_unchanged(full)


# -- get_weekday ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "weekday"),
    [
        ("2026-03-16", "Monday"),
        ("2026-03-20", "Friday"),
        ("2026-03-21T19:00:00", "Saturday"),
        ("2026-03-22 10:00", "Sunday"),
        ("2026/03/17", "Tuesday"),
        ("1990-03-21", "Wednesday"),
        ("2028-02-29", "Tuesday"),
    ],
)
def test_get_weekday(full: Session, date: str, weekday: str) -> None:
    assert full("get_weekday", date) == weekday
    assert_unchanged(full)


@pytest.mark.parametrize("date", ["next fryday", "2026-02-30", "20/03/2026", ""])
def test_get_weekday_refuses_what_is_not_a_date(full: Session, date: str) -> None:
    expect_error(full, "get_weekday", date, words=("not a time", "2026-03-20"))


# -- generate_random_number -------------------------------------------------------------------


def test_random_numbers_include_the_start_and_exclude_the_end(full: Session) -> None:
    drawn = {full("generate_random_number", 1, 4) for _ in range(200)}
    assert drawn == {1, 2, 3}
    assert {full("generate_random_number", -2, 0) for _ in range(100)} == {-2, -1}
    assert_unchanged(full)


def test_a_range_of_one_gives_its_start(full: Session) -> None:
    assert [full("generate_random_number", 7, 8) for _ in range(5)] == [7] * 5


def test_random_numbers_are_reproducible_for_the_same_seed(full: Session) -> None:
    def draws(seed: int) -> list[int]:
        context = ApiContext(db=full.device.connection, profile="full", rng=random.Random(seed))
        results = [
            full.registry.call(context, "generate_random_number", (0, 1000)) for _ in range(20)
        ]
        assert all(result.ok for result in results)
        return [result.value for result in results]

    first = draws(20260316)
    assert draws(20260316) == first
    assert all(isinstance(value, int) and 0 <= value < 1000 for value in first)
    assert draws(1) != first
    assert_unchanged(full)


def test_the_session_rng_is_seeded(full: Session) -> None:
    expected = random.Random(7)
    assert [full("generate_random_number", 0, 100) for _ in range(5)] == [
        expected.randrange(0, 100) for _ in range(5)
    ]


def test_generate_random_number_is_a_paper2_function(paper2: Session) -> None:
    assert 1 <= paper2("generate_random_number", 1, 7) < 7
    assert_unchanged(paper2)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (5, 5, ("end (5)", "greater than the start (5)", "excluded")),
        (10, 1, ("end (1)", "greater than the start (10)")),
        (1.5, 4, ("'start'", "must be an integer")),
        (1, "ten", ("'end'", "must be an integer")),
    ],
)
def test_generate_random_number_refuses_bad_ranges(
    full: Session, start: Any, end: Any, words: tuple[str, ...]
) -> None:
    expect_error(full, "generate_random_number", start, end, words=words)


# -- get_device_info ------------------------------------------------------------------------


def test_get_device_info_tells_the_owner_and_the_device(full: Session) -> None:
    assert full("get_device_info") == {
        "owner_name": "Alex Morgan",
        "owner_email": "alex.morgan@mailbox.example",
        "owner_phone": "+1 503 555 0142",
        "owner_city": "Portland, Oregon",
        "owner_address": "2217 SE Alder St, Portland, OR 97214",
        "hostname": "alex-device",
        "home": "/home/alex",
        "current_folder": "/home/alex",
    }
    assert_unchanged(full)


def test_get_device_info_rejects_arguments(full: Session) -> None:
    expect_error(full, "get_device_info", "owner", words=("too many", "get_device_info()"))


# -- sensors --------------------------------------------------------------------------------


def test_get_temperature_in_full_is_a_float(full: Session) -> None:
    value = full("get_temperature")
    assert isinstance(value, float)
    assert value == 21.0
    assert_unchanged(full)


@pytest.mark.parametrize("profile", ["paper1", "paper2"])
def test_get_temperature_in_the_papers_is_an_integer(
    profile: str, request: pytest.FixtureRequest
) -> None:
    session: Session = request.getfixturevalue(profile)
    value = session("get_temperature")
    assert type(value) is int
    assert value == 21
    assert_unchanged(session)


@pytest.mark.parametrize(
    ("reading", "full_value", "paper_value"), [(18.4, 18.4, 18), (23.7, 23.7, 24)]
)
@pytest.mark.parametrize("profile", ["paper1", "paper2"])
def test_get_temperature_follows_the_sensor(
    profile: str,
    reading: float,
    full_value: float,
    paper_value: int,
    request: pytest.FixtureRequest,
) -> None:
    session: Session = request.getfixturevalue(profile)
    session.context.execute("UPDATE sensors SET value = ? WHERE name = 'temperature'", (reading,))
    assert session("get_temperature") == paper_value
    session.context.profile = "full"
    assert session("get_temperature") == full_value


@pytest.mark.parametrize(
    ("name", "value", "unit", "location"),
    [
        ("temperature", 21.0, "°C", "living room"),
        ("humidity", 41.0, "%", "living room"),
        ("battery", 76.0, "%", None),
        ("light", 320.0, "lx", "living room"),
        ("co2", 640.0, "ppm", "living room"),
    ],
)
def test_read_sensor(
    full: Session, name: str, value: float, unit: str, location: str | None
) -> None:
    assert full("read_sensor", name) == {
        "name": name,
        "value": value,
        "unit": unit,
        "location": location,
        "updated": NOW,
    }
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("asked", "name"),
    [
        ("CO2", "co2"),
        ("Temperature", "temperature"),
        (" Humidity ", "humidity"),
        ("co2 level", "co2"),
        ("living room CO2", "co2"),
        ("living_room_temperature", "temperature"),
    ],
)
def test_read_sensor_names_ignore_case_spaces_and_extra_words(
    full: Session, asked: str, name: str
) -> None:
    assert full("read_sensor", asked)["name"] == name


@pytest.mark.parametrize("name", ["pressure", "", "co2 and humidity", "carbon"])
def test_read_sensor_of_an_unknown_sensor_lists_the_sensors(full: Session, name: str) -> None:
    message = expect_error(full, "read_sensor", name, words=("no sensor", repr(name)))
    assert message.endswith("the sensors are battery, co2, humidity, light, temperature")


def test_read_sensor_is_not_in_the_papers(paper2: Session) -> None:
    assert "not a function of the API" in paper2.error("read_sensor", "temperature")


# -- web ------------------------------------------------------------------------------------


def test_http_get_request_returns_a_cached_page_whole(full: Session, default_world: World) -> None:
    body = full("http_get_request", NEWS)
    expected = (worlds_dir() / "default" / "pages" / "news.html").read_text(encoding="utf-8")
    assert body == expected
    assert body.startswith("<!DOCTYPE html>")
    assert body.rstrip().endswith("</html>")
    assert_unchanged(full)


def test_http_get_request_serves_every_page_of_the_world(
    full: Session, default_world: World
) -> None:
    for page in default_world.pages:
        assert full("http_get_request", page.url) == page.content


def test_http_get_request_ignores_surrounding_space_and_headers(full: Session) -> None:
    body = full("http_get_request", NGINX)
    assert full("http_get_request", f"  {NGINX}\n") == body
    assert full("http_get_request", NGINX, {"Accept": "text/html"}) == body
    assert full("http_get_request", url=NGINX, headers=None) == body
    assert_unchanged(full)


def test_http_get_request_is_a_paper2_function(paper2: Session) -> None:
    assert "nginx" in paper2("http_get_request", NGINX)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "https://news.example/today/",
        "http://news.example/today",
        "https://nginx.org/",
        "",
    ],
)
def test_an_uncached_url_cannot_be_reached(full: Session, url: str) -> None:
    expect_error(
        full, "http_get_request", url, words=(f"cannot reach {url}", "no network", "search_web")
    )


def test_http_get_request_rejects_bad_headers(full: Session) -> None:
    expect_error(full, "http_get_request", NEWS, "Accept: */*", words=("'headers'", "dictionary"))


def test_search_web_finds_cached_pages(full: Session) -> None:
    results = full("search_web", "nginx install")
    assert [result["url"] for result in results] == [NGINX]
    (result,) = results
    assert set(result) == {"url", "title", "snippet"}
    assert result["title"] == "nginx: Linux packages"
    assert result["snippet"].startswith("nginx: Linux packages")
    assert len(result["snippet"]) <= 200
    assert "<" not in result["snippet"]
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("query", "urls"),
    [
        (
            "wikipedia",
            [
                "https://en.wikipedia.org/wiki/List_of_cities_in_Germany_by_population",
                "https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture)",
            ],
        ),
        ("Portland weather forecast", ["https://weather.example/forecast/portland-or"]),
        ("lentil soup recipe", ["https://recipes.example/lentil-soup"]),
        ("python tutorial", ["https://docs.python.org/3/tutorial/index.html"]),
        ("quantum chromodynamics", []),
    ],
)
def test_search_web_ranks_by_title_and_url(full: Session, query: str, urls: list[str]) -> None:
    results = full("search_web", query)
    assert [result["url"] for result in results][: len(urls) or None] == urls
    assert len(results) <= 5


def test_search_web_returns_at_most_five_results(full: Session) -> None:
    assert len(full("search_web", "https example org wiki html")) <= 5


@pytest.mark.parametrize("query", ["", "  "])
def test_search_web_refuses_an_empty_query(full: Session, query: str) -> None:
    expect_error(full, "search_web", query, words=("query", "empty"))


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("2026-03-16 09:00",), {"days": 1}, "2026-03-17T09:00:00"),
        (("2026-03-16T23:30:00",), {"minutes": 45}, "2026-03-17T00:15:00"),
        (("2026-03-01",), {"days": -1, "hours": 8}, "2026-02-28T08:00:00"),
    ],
)
def test_shift_time(full: Session, args: tuple[str], kwargs: dict[str, int], expected: str) -> None:
    assert full("shift_time", *args, **kwargs) == expected
    assert_unchanged(full)


def test_shift_time_rejects_a_non_time(full: Session) -> None:
    expect_error(full, "shift_time", "the morrow", words=("not a time", "2026-03-20 14:00"))
    assert full("shift_time", "tomorrow at 9", hours=2) == "2026-03-17T11:00:00"
