"""The API registry: profiles match the papers, effect classes match what functions do."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from intentos.api.context import ApiContext
from intentos.api.registry import Effect, Registry, describe, to_plain
from intentos.api.render import paper_signature, python_stub, render_table
from intentos.device.store import Device
from intentos.errors import ApiError
from tests.conftest import Session, SessionFactory

# The papers' function tables, verbatim from paper-facts.md (with the papers' "function" prefix).
PAPER1_TABLE = [
    "find_file_id(expression: String): Integer|null",
    "find_contact_id(expression: String): Integer|null",
    "find_contact_email(contact_id: Integer): String|null",
    "play_voice(text: String): void",
    "ask_question(question: String): String",
    "play_audio_file(file: File): void",
    "send_email(email: String, subject: String, text: String, attachments: Collection<Integer>): void",
    "receive_email(email: String, subject: String, text: String, attachments: Collection<Integer>): void",
    "print_screen(text: String): void",
    "get_temperature(): Integer",
    "shell(command: String): String",
]
PAPER2_TABLE = [
    "find_contact_id(expression: String): Integer|null",
    "find_contact_email(contact_id: Integer): String|null",
    "ask_question(question: String): String",
    "send_email(email: String, subject: String, text: String, attachment_paths: Collection<String>): void",
    "get_temperature(): Integer",
    "find_files(expression: String): Collection<String>",
    "print(text: String): void",
    "shell(command: String): String",
    "sleep(seconds: Integer): void",
    "find_all_audio_files(): Collection<String>",
    "generate_random_number(inclusiveStart: Integer, exclusiveEnd: Integer): Integer",
    "play_audio_file(file_path: String): void",
    "find_file(expression: String): String|null",
    "stop_audio_player(): void",
    "query_llm(query: String): String",
    "http_get_request(url: String, headers: Dictionary<String, String>): String",
]

# Everything that leaves the device must wait for the person's approval.
IRREVERSIBLE = {"send_email", "reply_to_email", "forward_email", "send_message", "shell"}

CAR_TITLE = "/home/alex/Documents/Car/car_title_subaru_outback_2019.pdf"
BEAT_IT = "/home/alex/Music/Michael Jackson/Thriller/Beat It.mp3"
TRANSFORMER = "https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture)"

# One valid call of every function of every profile: (profile, name) -> (args, kwargs).
Call = tuple[tuple[Any, ...], dict[str, Any]]
# None marks functions that need more set-up than one call; their own tests cover them.
SAMPLE_CALLS: dict[tuple[str, str], Call | None] = {
    ("full", "print"): (("hello", 42), {}),
    ("full", "speak"): (("hello",), {}),
    ("full", "ask_question"): (("Which song should I play?",), {}),
    ("full", "ask_choice"): (("Which song should I play?", ["Beat It", "Fast Car"]), {}),
    ("full", "sleep"): ((1.5,), {}),
    ("full", "get_current_time"): ((), {}),
    ("full", "get_weekday"): (("2026-03-20",), {}),
    ("full", "shift_time"): (("2026-03-16 09:00",), {"days": 1}),
    ("full", "resolve_time"): (("next Tuesday at 3pm",), {}),
    ("full", "minutes_between"): (("2026-03-16 08:30", "2026-03-16 10:00"), {}),
    ("full", "generate_random_number"): ((1, 7), {}),
    ("full", "get_device_info"): ((), {}),
    ("full", "list_files"): (("~/Documents",), {}),
    ("full", "find_files"): (("car title",), {}),
    ("full", "find_file"): (("car title",), {}),
    ("full", "read_file"): ((CAR_TITLE,), {}),
    ("full", "file_info"): ((CAR_TITLE,), {}),
    ("full", "write_file"): (("~/new.txt", "text"), {}),
    ("full", "append_to_file"): (("~/todo.txt", "more"), {}),
    ("full", "create_folder"): (("~/Archive/2026",), {}),
    ("full", "move_file"): (("~/todo.txt", "~/Notes"), {}),
    ("full", "copy_file"): ((CAR_TITLE, "~/car_title_copy.pdf"), {}),
    ("full", "delete_file"): (("~/todo.txt",), {}),
    ("full", "find_contact_id"): (("landlord",), {}),
    ("full", "find_contacts"): (("Smith",), {}),
    ("full", "find_contact_email"): ((1,), {}),
    ("full", "find_contact_phone"): ((1,), {}),
    ("full", "get_contact"): ((1,), {}),
    ("full", "add_contact"): (("Ada Example",), {"email": "ada@example.com"}),
    ("full", "update_contact"): ((1,), {"phone": "+1 503 555 0100"}),
    ("full", "delete_contact"): ((1,), {}),
    ("full", "send_email"): (("a@example.com", "Hi", "Hello"), {"attachments": [CAR_TITLE]}),
    ("full", "list_emails"): ((), {}),
    ("full", "search_emails"): (("car title",), {}),
    ("full", "find_email"): (("vehicle title",), {}),
    ("full", "read_email"): ((1,), {}),
    ("full", "mark_email_read"): ((2,), {}),
    ("full", "reply_to_email"): ((1, "Thanks!"), {}),
    ("full", "forward_email"): ((1, "jordan@example.com"), {}),
    ("full", "save_draft"): (("a@example.com", "Hi", "Draft"), {}),
    ("full", "delete_email"): ((1,), {}),
    ("full", "list_events"): ((), {}),
    ("full", "find_events"): (("dentist",), {}),
    ("full", "create_event"): (("Lunch", "2026-03-20 12:00"), {}),
    ("full", "update_event"): ((1,), {"title": "Renamed"}),
    ("full", "delete_event"): ((1,), {}),
    ("full", "find_all_audio_files"): ((), {}),
    ("full", "find_songs"): (("beat it",), {}),
    ("full", "play_song"): ((1,), {}),
    ("full", "play_audio_file"): ((BEAT_IT,), {}),
    ("full", "pause_audio_player"): None,  # needs a playing song: covered in test_api_media
    ("full", "resume_audio_player"): None,
    ("full", "stop_audio_player"): None,
    ("full", "get_player_state"): ((), {}),
    ("full", "set_volume"): ((80,), {}),
    ("full", "send_message"): (("+1 503 555 0100", "On my way"), {}),
    ("full", "list_messages"): ((), {}),
    ("full", "create_note"): (("Idea", "Write it down"), {}),
    ("full", "find_notes"): (("garage",), {}),
    ("full", "list_notes"): ((), {}),
    ("full", "create_reminder"): (("Call mom",), {"due": "2026-03-17 18:00"}),
    ("full", "list_reminders"): ((), {}),
    ("full", "complete_reminder"): ((1,), {}),
    ("full", "get_temperature"): ((), {}),
    ("full", "read_sensor"): (("humidity",), {}),
    ("full", "http_get_request"): ((TRANSFORMER,), {}),
    ("full", "search_web"): (("transformer",), {}),
    ("full", "query_llm"): (("What is 2+2?",), {}),
    ("full", "shell"): (("ls",), {}),
    ("paper1", "find_file_id"): (("car title",), {}),
    ("paper1", "find_contact_id"): (("insurance company",), {}),
    ("paper1", "find_contact_email"): ((1,), {}),
    ("paper1", "play_voice"): (("hello",), {}),
    ("paper1", "ask_question"): (("Which song?",), {}),
    ("paper1", "play_audio_file"): None,  # takes a file id: covered in test_api_papers
    ("paper1", "send_email"): None,
    ("paper1", "receive_email"): (("a@example.com", "Hi", "Hello", []), {}),
    ("paper1", "print_screen"): (("hello",), {}),
    ("paper1", "get_temperature"): ((), {}),
    ("paper1", "shell"): (("pwd",), {}),
    ("paper2", "find_contact_id"): (("insurance company",), {}),
    ("paper2", "find_contact_email"): ((1,), {}),
    ("paper2", "ask_question"): (("Which song?",), {}),
    ("paper2", "send_email"): (("a@example.com", "Hi", "Hello", [CAR_TITLE]), {}),
    ("paper2", "get_temperature"): ((), {}),
    ("paper2", "find_files"): (("*.pdf",), {}),
    ("paper2", "print"): (("hello",), {}),
    ("paper2", "shell"): (("ls",), {}),
    ("paper2", "sleep"): ((5,), {}),
    ("paper2", "find_all_audio_files"): ((), {}),
    ("paper2", "generate_random_number"): ((1, 101), {}),
    ("paper2", "play_audio_file"): ((BEAT_IT,), {}),
    ("paper2", "find_file"): (("car title",), {}),
    ("paper2", "stop_audio_player"): None,  # needs a playing song: covered in test_api_papers
    ("paper2", "query_llm"): (("What is 2+2?",), {}),
    ("paper2", "http_get_request"): ((TRANSFORMER, {}), {}),
}

RUNNABLE: list[tuple[tuple[str, str], Call]] = sorted(
    (key, call) for key, call in SAMPLE_CALLS.items() if call is not None
)


def _paper(lines: list[str]) -> list[str]:
    return [f"function {line}" for line in lines]


def test_paper1_profile_is_the_papers_table(registry: Registry) -> None:
    table = registry.table("paper1")
    assert [paper_signature(f) for f in table.values()] == _paper(PAPER1_TABLE)


def test_paper2_profile_is_the_papers_table(registry: Registry) -> None:
    table = registry.table("paper2")
    assert [paper_signature(f) for f in table.values()] == _paper(PAPER2_TABLE)


def test_full_profile_is_large_and_covers_every_app(registry: Registry) -> None:
    table = registry.table("full")
    assert len(table) >= 40
    apps = {function.app for function in table.values()}
    assert apps >= {
        "files", "contacts", "mail", "calendar", "media", "messages", "notes",
        "system", "sensors", "web", "assistant", "shell",
    }  # fmt: skip


def test_every_function_of_every_profile_has_a_sample_call(registry: Registry) -> None:
    declared = {(p, name) for p in registry.profiles for name in registry.table(p)}
    assert declared == set(SAMPLE_CALLS)


@pytest.mark.parametrize("profile", ["full", "paper1", "paper2"])
def test_irreversible_functions_are_exactly_those_that_leave_the_device(
    registry: Registry, profile: str
) -> None:
    for name, function in registry.table(profile).items():
        assert (function.effect is Effect.IRREVERSIBLE) == (name in IRREVERSIBLE), name


@pytest.mark.parametrize(("key", "call"), RUNNABLE, ids=[f"{p}:{n}" for (p, n), _ in RUNNABLE])
def test_declared_effect_matches_what_the_call_does(
    session_for: SessionFactory,
    registry: Registry,
    key: tuple[str, str],
    call: tuple[tuple[Any, ...], dict[str, Any]],
) -> None:
    profile, name = key
    session = session_for(profile)
    session.context.query_llm = lambda query: "4"
    args, kwargs = call
    session(name, *args, **kwargs)
    changed = not session.transaction.diff().empty
    effect = registry.table(profile)[name].effect
    assert changed == (effect is not Effect.READ), f"{name} is {effect} but changed={changed}"


def test_every_function_is_documented_and_annotated(registry: Registry) -> None:
    for function in registry.all_functions():
        assert function.summary, function.name
        assert function.parameters is not None


@pytest.mark.parametrize("profile", ["full", "paper1", "paper2"])
def test_python_stubs_are_valid_python(registry: Registry, profile: str) -> None:
    source = render_table(registry.table(profile).values(), "python")
    tree = ast.parse(source)
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert names == list(registry.table(profile))


def test_python_stub_shows_defaults_and_docstring(registry: Registry) -> None:
    stub = python_stub(registry.table("full")["list_emails"])
    assert stub.startswith(
        "def list_emails(folder: str = 'inbox', limit: int = 20, unread_only: bool = False)"
        " -> list[MailHeader]:"
    )
    assert "newest first" in stub


def test_unknown_profile_is_a_clear_error(registry: Registry) -> None:
    with pytest.raises(Exception, match="unknown API profile 'paper3'; choose one of"):
        registry.table("paper3")


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((), {}, "is missing the argument"),
        (("a", "b", "c", "d"), {}, "too many"),
        (("landlord",), {"fuzzy": True}, "has no parameter 'fuzzy'"),
        ((42,), {}, "argument 'expression' must be a string, got int 42"),
        (([1, 2],), {}, "must be a string, got list"),
    ],
)
def test_argument_errors_say_what_was_expected(
    full: Session, args: tuple[Any, ...], kwargs: dict[str, Any], expected: str
) -> None:
    outcome = full.outcome("find_contact_id", *args, **kwargs)
    assert not outcome.ok
    assert outcome.error_kind == "argument"
    assert expected in (outcome.error or "")
    assert "find_contact_id(expression)" in (outcome.error or "")


def test_list_arguments_reject_a_bare_string(full: Session) -> None:
    error = full.error("send_email", "a@example.com", "s", "b", attachments=CAR_TITLE)
    assert "'attachments' must be a list of strings or None" in error
    assert full.transaction.diff().empty


def test_unknown_function_outcome(full: Session) -> None:
    outcome = full.outcome("find_contact", "landlord")
    assert (outcome.ok, outcome.error_kind) == (False, "unknown")


def test_internal_errors_are_reported_not_raised(
    full: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(query: str) -> str:
        raise RuntimeError("backend exploded")

    full.context.query_llm = broken
    outcome = full.outcome("query_llm", "hello")
    assert outcome.error_kind == "internal"
    assert "RuntimeError: backend exploded" in (outcome.error or "")


def test_outcomes_carry_effect_and_duration(full: Session) -> None:
    outcome = full.outcome("shell", "pwd")
    assert outcome.ok and outcome.effect is Effect.IRREVERSIBLE
    assert outcome.duration_ms >= 0


def test_to_plain_keeps_json_types_only() -> None:
    assert to_plain({"a": (1, 2.5, None, True)}) == {"a": [1, 2.5, None, True]}
    with pytest.raises(TypeError, match="JSON-like"):
        to_plain({1, 2})


def _half_done(ctx: ApiContext, title: str) -> None:
    """Create a note, then fail."""
    ctx.insert("notes", {"title": title, "body": "", "created": "x", "modified": "x"})
    raise ApiError("failed after writing")


def test_a_failed_call_leaves_no_partial_change(device: Device) -> None:
    registry = Registry([describe(_half_done, Effect.WRITE, name="half_done")], orders={})
    transaction = device.begin()
    outcome = registry.call(ApiContext(db=device.connection), "half_done", ["Left behind?"])
    assert outcome.error == "failed after writing"
    assert transaction.diff().empty
    transaction.rollback()


def test_functions_must_be_annotated_and_documented() -> None:
    def undocumented(ctx: ApiContext) -> None:
        pass

    def unannotated(ctx: ApiContext, x) -> None:  # type: ignore[no-untyped-def]
        """Doc."""

    with pytest.raises(TypeError, match="needs a docstring"):
        describe(undocumented, Effect.READ)
    with pytest.raises(TypeError, match=r"lacks annotations for \['x'\]"):
        describe(unannotated, Effect.READ)


def test_run_contexts_are_reproducible_from_the_device_state(device: Device) -> None:
    transaction = device.begin()
    first = ApiContext.for_run(device.connection)
    second = ApiContext.for_run(device.connection)
    assert [first.rng.random() for _ in range(3)] == [second.rng.random() for _ in range(3)]
    first.advance(60)
    third = ApiContext.for_run(device.connection)
    assert third.rng.random() != ApiContext.for_run(device.connection, seed=1).rng.random()
    transaction.rollback()


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("get_contact", (True,), "argument 'contact_id' must be an integer, got bool True"),
        ("get_contact", ("29",), "argument 'contact_id' must be an integer, got str '29'"),
        ("set_volume", (55.5,), "argument 'level' must be an integer, got float 55.5"),
        ("find_contact_id", (None,), "argument 'expression' must be a string, got NoneType"),
    ],
)
def test_arguments_are_checked_strictly(
    full: Session, name: str, args: tuple[Any, ...], expected: str
) -> None:
    assert expected in full.error(name, *args)


def test_none_passed_on_is_called_a_look_up_that_found_nothing(full: Session) -> None:
    message = full.error("read_file", None)
    assert "got NoneType None; a look-up that finds nothing returns None" in message
    assert "read_file(path)" in message
    assert "look-up" not in full.error("get_contact", "29")


def test_an_integer_is_a_valid_number(full: Session) -> None:
    full("sleep", 5)
    assert full("get_current_time") == "2026-03-16T08:30:05"
