"""The files app (apis/files.py over apis/_vfs.py): results on the default world, the exact
rows each call changes, and clear refusals that change nothing."""

from __future__ import annotations

import json

import pytest

from intentos.device.world import World
from tests.conftest import Session
from tests.helpers import (
    answer_questions,
    assert_unchanged,
    changed_only,
    expect_error,
    file_row,
    world_content,
)

HOME = "/home/alex"
NOW = "2026-03-16T08:30:00"
CAR = f"{HOME}/Documents/Car"
CAR_TITLE = f"{CAR}/car_title_subaru_outback_2019.pdf"
HONDA_TITLE = f"{CAR}/honda_civic_2008_title_copy_SOLD.pdf"
TODO = f"{HOME}/todo.txt"
README = f"{HOME}/readme.txt"
HEADSHOT = f"{HOME}/Pictures/headshot_alex_2025.jpg"
EOB = f"{HOME}/Downloads/pinecrest_EOB_2026-02.pdf"
BEAT_IT = f"{HOME}/Music/Michael Jackson/Thriller/Beat It.mp3"

HOME_LISTING = [
    f"{HOME}/.bashrc",
    f"{HOME}/Documents/",
    f"{HOME}/Downloads/",
    f"{HOME}/Music/",
    f"{HOME}/Notes/",
    f"{HOME}/Pictures/",
    f"{HOME}/Projects/",
    README,
    TODO,
]
CAR_FILES = [
    f"{CAR}/car_insurance_id_card_2026.pdf",
    f"{CAR}/car_insurance_policy_HM-AUTO-448120.pdf",
    f"{CAR}/car_registration_2026.pdf",
    f"{CAR}/car_service_history.txt",
    CAR_TITLE,
    HONDA_TITLE,
    f"{CAR}/subaru_purchase_agreement_2019.pdf",
]


# -- helpers ------------------------------------------------------------------------------


# -- list_files ---------------------------------------------------------------------------


def test_list_files_defaults_to_the_home_folder(full: Session) -> None:
    assert full("list_files") == HOME_LISTING
    assert full("list_files", ".") == HOME_LISTING
    assert full("list_files", "~") == HOME_LISTING
    assert_unchanged(full)


@pytest.mark.parametrize(
    "folder",
    [
        "~/Documents/Car",
        f"{CAR}",
        f"{CAR}/",
        "Documents/Car",
        "~/Documents/../Documents/./Car",
    ],
)
def test_list_files_accepts_every_spelling_of_a_folder(full: Session, folder: str) -> None:
    assert full("list_files", folder) == CAR_FILES
    assert_unchanged(full)


def test_list_files_marks_folders_and_lists_only_direct_children(full: Session) -> None:
    assert full("list_files", "~/Documents") == [
        f"{HOME}/Documents/{name}/"
        for name in ("Car", "Finance", "Health", "Housing", "Personal", "Taxes", "Travel", "Work")
    ]
    assert full("list_files", "/home") == [f"{HOME}/"]
    assert_unchanged(full)


def test_list_files_of_the_root_does_not_list_the_root_itself(full: Session) -> None:
    assert full("list_files", "/") == ["/home/"]


def test_a_cd_in_the_shell_does_not_move_list_files(full: Session) -> None:
    before = full("list_files")
    full("shell", "cd ~/Documents/Car")
    assert full("list_files") == before
    assert full("list_files", "~/Documents/Car") == CAR_FILES


@pytest.mark.parametrize(
    ("folder", "words"),
    [
        ("~/todo.txt", (TODO, "is a file", "not a folder")),
        ("~/Nowhere", (f"{HOME}/Nowhere", "no such file or folder", "find_files")),
        ("/etc", ("/etc", "no such file or folder")),
    ],
)
def test_list_files_refuses_what_is_not_a_folder(
    full: Session, folder: str, words: tuple[str, ...]
) -> None:
    expect_error(full, "list_files", folder, words=words)


def test_list_files_rejects_a_non_string_folder(full: Session) -> None:
    expect_error(full, "list_files", 5, words=("folder", "must be a string"))


# -- find_files / find_file -----------------------------------------------------------------


def test_find_files_car_title_puts_the_subaru_title_first(full: Session) -> None:
    assert full("find_files", "car title") == [CAR_TITLE, HONDA_TITLE]
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (
            "*.csv",
            [
                f"{HOME}/Downloads/northwind_q1_kpi_export.csv",
                f"{HOME}/Projects/bike_commute/commute_log.csv",
                f"{HOME}/Projects/household_budget/budget_2026.csv",
            ],
        ),
        (
            "*.CSV",
            [
                f"{HOME}/Downloads/northwind_q1_kpi_export.csv",
                f"{HOME}/Projects/bike_commute/commute_log.csv",
                f"{HOME}/Projects/household_budget/budget_2026.csv",
            ],
        ),
        ("Documents/Car/*.pdf", [p for p in CAR_FILES if p.endswith(".pdf")]),
        ("~/Documents/Car/car_t*", [CAR_TITLE]),
        ("todo.txt", [TODO]),
        ("*.nothing", []),
    ],
)
def test_find_files_with_a_pattern(full: Session, expression: str, expected: list[str]) -> None:
    assert full("find_files", expression) == expected
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("expression", "first"),
    [
        ("Bohemian Rhapsody", f"{HOME}/Music/Queen/A Night at the Opera/Bohemian Rhapsody.mp3"),
        ("haystack rock sunset", f"{HOME}/Pictures/Camera/IMG_20250712_183045.jpg"),
        ("takoyaki", f"{HOME}/Pictures/Japan_2024/IMG_20240423_193044.jpg"),
        ("Piranesi", f"{HOME}/Notes/book_recommendations.md"),
        ("service history", f"{CAR}/car_service_history.txt"),
    ],
)
def test_find_files_matches_names_metadata_and_content(
    full: Session, expression: str, first: str
) -> None:
    assert full("find_files", expression)[0] == first
    assert full("find_file", expression) == first
    assert_unchanged(full)


def test_find_files_beat_it_finds_both_recordings_first(full: Session) -> None:
    found = full("find_files", "beat it")
    assert set(found[:2]) == {BEAT_IT, f"{HOME}/Music/Fall Out Boy/Live in Phoenix/Beat It.mp3"}


def test_find_files_never_returns_folders(full: Session) -> None:
    found = full("find_files", "Car")
    assert found[: len(CAR_FILES)] == CAR_FILES
    assert CAR not in found
    kinds = {row["kind"] for path in found if (row := file_row(full, path))}
    assert kinds == {"file"}


def test_find_files_and_find_file_without_a_match(full: Session) -> None:
    assert full("find_files", "zebra quasar") == []
    assert full("find_file", "zebra quasar") is None
    assert_unchanged(full)


def test_find_file_returns_the_best_match(full: Session) -> None:
    assert full("find_file", "car title") == CAR_TITLE
    assert full("find_file", "*.py") == f"{HOME}/Projects/bike_commute/analyze_commute.py"


def test_a_file_found_through_its_text_is_preferred_for_the_words_in_its_name(
    full: Session,
) -> None:
    """Both PDFs' texts hold "vehicle", "registration" and a date; only one is named for the
    registration, so the look-up does not tie (and ask) between them."""
    found = full("find_files", "car registration date")
    assert found[:2] == [
        f"{CAR}/car_registration_2026.pdf",
        f"{CAR}/subaru_purchase_agreement_2019.pdf",
    ]
    assert full("find_file", "car registration date") == f"{CAR}/car_registration_2026.pdf"
    assert full.rows("SELECT * FROM questions") == []


@pytest.mark.parametrize("expression", ["car photo", "picture of the car", "car song"])
def test_a_kind_of_file_is_not_found_in_a_text_that_mentions_it(
    full: Session, expression: str
) -> None:
    """The readme lists "Car" folders and "phone photos"; it is no photo of a car."""
    assert README not in full("find_files", expression)
    assert full("find_file", expression) is None


@pytest.mark.parametrize(
    ("expression", "found"),
    [
        # a model's invented extension is no word of the name (it made 3 files tie)
        ("car_title.txt", CAR_TITLE),
        ("car_title.pdf", CAR_TITLE),
        ("service history.txt", f"{CAR}/car_service_history.txt"),
        ("last electricity bill.pdf", None),
        ("v1.2", None),  # not an extension: the words stay as they are
    ],
)
def test_find_file_reads_a_trailing_extension_as_a_tie_breaker(
    full: Session, expression: str, found: str | None
) -> None:
    assert full("find_file", expression) == found


def test_an_extension_decides_between_files_that_match_equally(full: Session) -> None:
    full("write_file", f"{CAR}/car_title_subaru_outback_2019.txt", "the title, as text")
    assert full("find_file", "car title subaru outback 2019.txt").endswith("2019.txt")
    assert full("find_file", "car title subaru outback 2019.pdf") == CAR_TITLE


@pytest.mark.parametrize("name", ["find_files", "find_file"])
@pytest.mark.parametrize("expression", ["", "   "])
def test_find_refuses_an_empty_expression(full: Session, name: str, expression: str) -> None:
    expect_error(full, name, expression, words=("empty", "car title"))


def test_find_files_rejects_a_non_string(full: Session) -> None:
    expect_error(full, "find_files", ["car"], words=("expression", "must be a string"))


def test_find_functions_are_paper2_functions(paper2: Session) -> None:
    assert paper2("find_files", "car title") == [CAR_TITLE, HONDA_TITLE]
    assert paper2("find_file", "car title") == CAR_TITLE
    assert "not a function" in paper2.error("read_file", TODO)
    assert_unchanged(paper2)


@pytest.mark.parametrize("name", ["find_files", "find_file", "list_files", "write_file"])
def test_paper1_has_no_files_functions(paper1: Session, name: str) -> None:
    assert "not a function of the API" in paper1.error(name, "car title")


# -- read_file / file_info ------------------------------------------------------------------


@pytest.mark.parametrize("path", [TODO, README, CAR_TITLE, f"{HOME}/.bashrc"])
def test_read_file_returns_the_whole_text(full: Session, default_world: World, path: str) -> None:
    assert full("read_file", path) == world_content(default_world, path)
    assert_unchanged(full)


def test_read_file_resolves_home_and_relative_paths(full: Session, default_world: World) -> None:
    text = world_content(default_world, TODO)
    assert full("read_file", "~/todo.txt") == text
    assert full("read_file", "todo.txt") == text
    assert full("read_file", "Documents/../todo.txt") == text
    assert full("read_file", "Documents/Car/car_title_subaru_outback_2019.pdf") == (
        world_content(default_world, CAR_TITLE)
    )


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("~/Documents", (f"{HOME}/Documents", "is a folder", "not a file")),
        ("~/missing.txt", (f"{HOME}/missing.txt", "no such file", "find_files")),
        (HEADSHOT, (HEADSHOT, "image/jpeg", "without text", "file_info")),
    ],
)
def test_read_file_refuses_folders_missing_and_binary_files(
    full: Session, path: str, words: tuple[str, ...]
) -> None:
    expect_error(full, "read_file", path, words=words)


def test_file_info_of_the_car_title(full: Session, default_world: World) -> None:
    assert full("file_info", CAR_TITLE) == {
        "path": CAR_TITLE,
        "kind": "file",
        "size": len(world_content(default_world, CAR_TITLE).encode()),
        "mime": "application/pdf",
        "modified": "2025-08-19T18:42:00",
        "meta": {
            "pages": 1,
            "scanned": True,
            "source": "scan of the paper title, original in the fire safe",
        },
    }
    assert_unchanged(full)


def test_file_info_of_a_binary_file_and_a_folder(full: Session) -> None:
    photo = full("file_info", "~/Pictures/headshot_alex_2025.jpg")
    assert photo["path"] == HEADSHOT
    assert (photo["kind"], photo["size"], photo["mime"]) == ("file", 1288450, "image/jpeg")
    assert photo["meta"]["camera"] == "Fujifilm X-T30"
    assert "content" not in photo
    assert full("file_info", "~/Documents") == {
        "path": f"{HOME}/Documents",
        "kind": "folder",
        "size": 0,
        "mime": None,
        "modified": NOW,
        "meta": {},
    }
    assert_unchanged(full)


def test_file_info_of_a_missing_path(full: Session) -> None:
    expect_error(full, "file_info", "~/ghost.pdf", words=(f"{HOME}/ghost.pdf", "no such file"))


# -- write_file -------------------------------------------------------------------------------


def test_write_file_creates_exactly_one_file_row(full: Session) -> None:
    assert (
        full("write_file", "~/Notes/plan.txt", "step one\nstep two\n") == f"{HOME}/Notes/plan.txt"
    )
    diff = changed_only(full, "files")
    table = diff.tables["files"]
    assert (len(table.added), table.removed, table.changed) == (1, [], [])
    added = table.added[0]
    assert added["path"] == f"{HOME}/Notes/plan.txt"
    assert added["kind"] == "file"
    assert added["content"] == "step one\nstep two\n"
    assert added["size"] == len(b"step one\nstep two\n")
    assert added["mime"] == "text/plain"
    assert (added["created"], added["modified"]) == (NOW, NOW)
    assert json.loads(added["meta"]) == {}
    assert full("read_file", "~/Notes/plan.txt") == "step one\nstep two\n"


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("a.txt", "text/plain"),
        ("a.md", "text/markdown"),
        ("a.csv", "text/csv"),
        ("a.JSON", "application/json"),
        ("a.py", "text/x-python"),
        ("a.html", "text/html"),
        ("Makefile", "text/plain"),
        ("a.unknown", "text/plain"),
    ],
)
def test_write_file_guesses_the_mime_type(full: Session, name: str, mime: str) -> None:
    full("write_file", f"~/Notes/{name}", "x")
    assert full.transaction.diff().tables["files"].added[0]["mime"] == mime


def test_write_file_counts_the_size_in_bytes(full: Session) -> None:
    full("write_file", "~/Notes/cafe.txt", "café ☕")
    assert full.transaction.diff().tables["files"].added[0]["size"] == len("café ☕".encode())


def test_write_file_relative_to_the_current_folder(full: Session) -> None:
    assert full("write_file", "Notes/new.txt", "hi") == f"{HOME}/Notes/new.txt"
    full("shell", "cd Projects")  # a shell's cd ends with its command line
    assert full("write_file", "new.txt", "hi") == f"{HOME}/new.txt"


def test_write_file_overwrites_an_existing_file_in_place(full: Session) -> None:
    before = file_row(full, TODO)
    assert before is not None
    assert full("write_file", "~/todo.txt", "nothing to do\n") == TODO
    diff = changed_only(full, "files")
    table = diff.tables["files"]
    assert (table.added, table.removed, len(table.changed)) == ([], [], 1)
    change = table.changed[0]
    assert change.key == {"id": before["id"]}
    assert set(change.fields) == {"content", "size", "modified"}
    assert change.fields["content"].after == "nothing to do\n"
    assert change.fields["size"].after == len("nothing to do\n")
    assert change.fields["modified"].before == "2026-03-15T21:12:00"
    assert change.fields["modified"].after == NOW


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("~/NoSuchFolder/x.txt", (f"{HOME}/NoSuchFolder", "does not exist", "create_folder")),
        ("~/Documents", (f"{HOME}/Documents", "is a folder")),
        ("~", (HOME, "is a folder")),
        ("~/todo.txt/inner.txt", (TODO, "is a file", "not a folder")),
    ],
)
def test_write_file_refuses_bad_paths(full: Session, path: str, words: tuple[str, ...]) -> None:
    expect_error(full, "write_file", path, "text", words=words)


def test_write_file_rejects_non_text_content(full: Session) -> None:
    expect_error(full, "write_file", "~/Notes/x.txt", 42, words=("content", "must be a string"))
    message = full.error("write_file", "~/Notes/x.txt")
    assert "missing" in message
    assert "write_file(path, content)" in message
    assert_unchanged(full)


# -- append_to_file -------------------------------------------------------------------------


def test_append_to_file_adds_at_the_end(full: Session, default_world: World) -> None:
    original = world_content(default_world, TODO)
    assert full("append_to_file", "~/todo.txt", "- buy oat milk\n") == TODO
    assert full("append_to_file", TODO, "- call mom\n") == TODO
    expected = original + "- buy oat milk\n- call mom\n"
    assert full("read_file", TODO) == expected
    table = changed_only(full, "files").tables["files"]
    assert (table.added, table.removed, len(table.changed)) == ([], [], 1)
    assert table.changed[0].fields["content"].after == expected
    assert table.changed[0].fields["size"].after == len(expected.encode())


def test_append_to_file_creates_a_missing_file(full: Session) -> None:
    assert full("append_to_file", "~/Notes/log.txt", "first\n") == f"{HOME}/Notes/log.txt"
    table = changed_only(full, "files").tables["files"]
    assert [row["path"] for row in table.added] == [f"{HOME}/Notes/log.txt"]
    assert table.added[0]["content"] == "first\n"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (HEADSHOT, (HEADSHOT, "image/jpeg", "without text", "append")),
        ("~/Documents", (f"{HOME}/Documents", "is a folder")),
        ("~/NoSuchFolder/log.txt", (f"{HOME}/NoSuchFolder", "does not exist")),
    ],
)
def test_append_to_file_refuses(full: Session, path: str, words: tuple[str, ...]) -> None:
    expect_error(full, "append_to_file", path, "more", words=words)


# -- create_folder ----------------------------------------------------------------------------


def test_create_folder_creates_missing_parents(full: Session) -> None:
    assert full("create_folder", "~/Projects/garden/2026") == f"{HOME}/Projects/garden/2026"
    table = changed_only(full, "files").tables["files"]
    assert table.removed == [] and table.changed == []
    assert [(row["path"], row["kind"]) for row in table.added] == [
        (f"{HOME}/Projects/garden", "dir"),
        (f"{HOME}/Projects/garden/2026", "dir"),
    ]
    assert all(row["content"] is None and row["size"] == 0 for row in table.added)
    assert all(row["created"] == NOW == row["modified"] for row in table.added)
    assert f"{HOME}/Projects/garden/" in full("list_files", "~/Projects")
    assert full("list_files", "~/Projects/garden") == [f"{HOME}/Projects/garden/2026/"]


@pytest.mark.parametrize("path", ["~/Documents", "/", "~", f"{CAR}/"])
def test_create_folder_of_an_existing_folder_changes_nothing(full: Session, path: str) -> None:
    full("create_folder", path)
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("~/todo.txt", ("cannot create", TODO, "is a file")),
        ("~/todo.txt/sub/deeper", ("cannot create", f"{TODO} is a file")),
    ],
)
def test_create_folder_refuses_a_file_in_the_way(
    full: Session, path: str, words: tuple[str, ...]
) -> None:
    expect_error(full, "create_folder", path, words=words)


# -- move_file ------------------------------------------------------------------------------


def test_move_file_renames_the_same_row(full: Session, default_world: World) -> None:
    row = file_row(full, TODO)
    assert row is not None
    assert full("move_file", "~/todo.txt", "~/Notes/todo_old.txt") == f"{HOME}/Notes/todo_old.txt"
    table = changed_only(full, "files").tables["files"]
    assert (table.added, table.removed, len(table.changed)) == ([], [], 1)
    change = table.changed[0]
    assert change.key == {"id": row["id"]}
    assert change.fields["path"].before == TODO
    assert change.fields["path"].after == f"{HOME}/Notes/todo_old.txt"
    assert set(change.fields) == {"path", "modified"}
    assert full("read_file", "~/Notes/todo_old.txt") == world_content(default_world, TODO)
    assert "no such file" in full.error("read_file", TODO)


def test_move_file_into_an_existing_folder_keeps_the_name(full: Session) -> None:
    assert full("move_file", TODO, "~/Documents") == f"{HOME}/Documents/todo.txt"
    assert f"{HOME}/Documents/todo.txt" in full("list_files", "~/Documents")


def test_move_file_moves_a_folder_with_everything_in_it(full: Session) -> None:
    old = f"{HOME}/Projects/bike_commute"
    before = {
        row["id"]: row["path"]
        for row in full.rows(
            "SELECT id, path FROM files WHERE path = ? OR path LIKE ?", (old, old + "/%")
        )
    }
    assert len(before) == 4
    assert full("move_file", old, "~/Documents") == f"{HOME}/Documents/bike_commute"
    table = changed_only(full, "files").tables["files"]
    assert (table.added, table.removed) == ([], [])
    moved = {change.key["id"]: change.fields["path"].after for change in table.changed}
    assert moved == {
        row_id: path.replace(old, f"{HOME}/Documents/bike_commute")
        for row_id, path in before.items()
    }
    assert full("list_files", "~/Documents/bike_commute") == [
        f"{HOME}/Documents/bike_commute/README.md",
        f"{HOME}/Documents/bike_commute/analyze_commute.py",
        f"{HOME}/Documents/bike_commute/commute_log.csv",
    ]


@pytest.mark.parametrize(
    ("source", "destination", "words"),
    [
        ("~/ghost.txt", "~/Notes", (f"{HOME}/ghost.txt", "no such file")),
        ("~/readme.txt", "~/todo.txt", (TODO, "already exists", "another name")),
        ("~/todo.txt", "~/todo.txt", (TODO, "already exists")),
        ("~/Documents", "~/Documents/Car", ("cannot move", "into itself")),
        ("~/Documents", "~/Documents", ("into itself",)),
        ("~/todo.txt", "~/NoSuchFolder/todo.txt", (f"{HOME}/NoSuchFolder", "does not exist")),
        ("~/todo.txt", "~/readme.txt/todo.txt", (README, "not a folder")),
        ("~", "/home/bob", ("refusing", HOME, "home folder")),
        ("/home", "/users", ("refusing", "/home", "home folder")),
    ],
)
def test_move_file_refuses(
    full: Session, source: str, destination: str, words: tuple[str, ...]
) -> None:
    expect_error(full, "move_file", source, destination, words=words)


# -- copy_file ------------------------------------------------------------------------------


def test_copy_file_into_a_folder_copies_everything_but_the_times(full: Session) -> None:
    original = file_row(full, CAR_TITLE)
    assert original is not None
    copy = f"{HOME}/Downloads/car_title_subaru_outback_2019.pdf"
    assert full("copy_file", CAR_TITLE, "~/Downloads") == copy
    table = changed_only(full, "files").tables["files"]
    assert (len(table.added), table.removed, table.changed) == (1, [], [])
    added = table.added[0]
    assert added["path"] == copy
    for column in ("kind", "content", "mime", "size", "meta"):
        assert added[column] == original[column], column
    assert (added["created"], added["modified"]) == (NOW, NOW)
    assert full("file_info", copy)["meta"] == full("file_info", CAR_TITLE)["meta"]


def test_copy_file_to_a_new_name(full: Session) -> None:
    assert full("copy_file", "~/todo.txt", "todo_backup.txt") == f"{HOME}/todo_backup.txt"
    assert full("read_file", "~/todo_backup.txt") == full("read_file", TODO)


def test_copy_file_copies_a_binary_file(full: Session) -> None:
    copy = full("copy_file", HEADSHOT, "~/Documents/headshot.jpg")
    info = full("file_info", copy)
    assert (info["size"], info["mime"]) == (1288450, "image/jpeg")


@pytest.mark.parametrize(
    ("source", "destination", "words"),
    [
        ("~/Documents/Car", "~/Downloads", (CAR, "is a folder", "not a file")),
        ("~/ghost.txt", "~/Notes", ("no such file",)),
        ("~/readme.txt", "~/todo.txt", (TODO, "already exists")),
        ("~/todo.txt", "~", (TODO, "already exists")),
        ("~/todo.txt", "~/NoSuchFolder/x.txt", ("does not exist", "create_folder")),
    ],
)
def test_copy_file_refuses(
    full: Session, source: str, destination: str, words: tuple[str, ...]
) -> None:
    expect_error(full, "copy_file", source, destination, words=words)


# -- delete_file ----------------------------------------------------------------------------


def test_delete_file_removes_exactly_one_row(full: Session) -> None:
    assert full("delete_file", "~/todo.txt") is None
    table = changed_only(full, "files").tables["files"]
    assert [row["path"] for row in table.removed] == [TODO]
    assert (table.added, table.changed) == ([], [])
    assert file_row(full, TODO) is None


def test_delete_file_detaches_a_mail_attachment(full: Session) -> None:
    row = file_row(full, EOB)
    assert row is not None
    full("delete_file", EOB)
    diff = changed_only(full, "files", "mail_attachments")
    assert [r["path"] for r in diff.tables["files"].removed] == [EOB]
    (change,) = diff.tables["mail_attachments"].changed
    assert change.fields["file_id"].before == row["id"]
    assert change.fields["file_id"].after is None
    # The mail keeps naming the file it was sent with.
    attachment = full.rows(
        "SELECT path FROM mail_attachments WHERE mail_id = ? AND position = ?",
        (change.key["mail_id"], change.key["position"]),
    )
    assert attachment == [{"path": EOB}]


def test_delete_file_removes_an_empty_folder(full: Session) -> None:
    full("create_folder", "~/Scratch")
    full("delete_file", "~/Scratch")
    assert file_row(full, f"{HOME}/Scratch") is None
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("~/Documents/Car", (CAR, "not empty", "delete its files first")),
        ("~", ("refusing", HOME)),
        ("/", ("refusing",)),
        (BEAT_IT, (BEAT_IT, "music library", "cannot be deleted")),
        ("~/ghost.txt", (f"{HOME}/ghost.txt", "no such file")),
    ],
)
def test_delete_file_refuses(full: Session, path: str, words: tuple[str, ...]) -> None:
    expect_error(full, "delete_file", path, words=words)


# -- look-ups that find nothing, or several; names in another case ----------------------------

BEACH_PHOTOS = [
    "/home/alex/Pictures/Camera/IMG_20250712_183045.jpg",
    "/home/alex/Pictures/Camera/IMG_20250712_190211.jpg",
]


@pytest.mark.parametrize(
    "expression", ["last electricity bill", "boat registration", "electricity bill", "unicorn"]
)
def test_a_look_up_below_the_threshold_finds_nothing(full: Session, expression: str) -> None:
    assert full("find_file", expression) is None
    assert full("find_files", expression) == []


def test_photos_are_found_by_place_and_description(full: Session) -> None:
    assert full("find_files", "Cannon Beach") == BEACH_PHOTOS
    assert full("find_files", "beach photo") == BEACH_PHOTOS
    assert full("find_files", "kite on the beach")[0] == BEACH_PHOTOS[1]


@pytest.mark.parametrize(("answer", "chosen"), [("the kite one", 1), ("1", 0), ("?", None)])
def test_find_file_with_equal_rivals_asks_which_one(
    full: Session, answer: str, chosen: int | None
) -> None:
    answer_questions(full, answer, pattern="which file")
    if chosen is None:
        message = full.error("find_file", "Cannon Beach")
        assert message.startswith("2 files match 'Cannon Beach' equally well and the answer")
    else:
        assert full("find_file", "Cannon Beach") == BEACH_PHOTOS[chosen]
    [question] = full.rows("SELECT question FROM questions")
    assert all(path in question["question"] for path in BEACH_PHOTOS)


def test_a_name_match_beats_a_description_match(full: Session) -> None:
    assert full("find_file", "CV") == "/home/alex/Documents/Work/Alex_Morgan_CV_2026.docx"
    assert full("find_file", "curriculum vitae") == full("find_file", "CV")


def test_the_papers_find_file_returns_the_first_of_equal_rivals(paper2: Session) -> None:
    assert paper2("find_file", "Cannon Beach") == BEACH_PHOTOS[0]
    assert paper2("find_file", "last electricity bill") is None


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("downloads", "/home/alex/Downloads"),
        ("~/documents/CAR", "/home/alex/Documents/Car"),
        ("/HOME/alex/Pictures/camera", "/home/alex/Pictures/Camera"),
    ],
)
def test_folder_names_resolve_in_any_case(full: Session, written: str, meant: str) -> None:
    assert full("list_files", written) == full("list_files", meant)
    assert full("file_info", written)["path"] == meant


def test_a_file_name_in_another_case_is_read_and_written_in_place(full: Session) -> None:
    assert full("read_file", "~/notes/SHOPPING_LIST.txt").startswith("Groceries")
    assert full("write_file", "~/notes/new.txt", "x") == "/home/alex/Notes/new.txt"
    assert full("create_folder", "~/documents/Archive") == "/home/alex/Documents/Archive"


@pytest.mark.parametrize(
    ("written", "closest"),
    [
        ("~/Notes/shoping_list.txt", "/home/alex/Notes/shopping_list.txt"),
        ("~/Documnts", "/home/alex/Documents"),
        # the same name in another folder, however far away
        (
            "~/Music/Clair de lune.mp3",
            "/home/alex/Music/Claude Debussy/Suite bergamasque/Clair de lune.mp3",
        ),
        # the one file whose name holds every word of the name written
        ("~/budget.txt", "/home/alex/Projects/household_budget/budget_2026.csv"),
        ("~/car_title.txt", CAR_TITLE),
    ],
)
def test_a_missing_path_error_names_the_closest_one(
    full: Session, written: str, closest: str
) -> None:
    # file_info: a file only used as it is (read_file ...) is found deeper in its folder
    message = full.error("file_info" if "." in written else "list_files", written)
    assert f"did you mean {closest}?" in message
    assert_unchanged(full)


@pytest.mark.parametrize(
    "written",
    [
        "~/Projects/budget_2026.csv",
        "~/budget_2026.csv",
        "~/Projects/old_budgets/BUDGET_2026.csv",  # the deepest folder that exists is searched
    ],
)
def test_a_file_used_as_it_is_is_found_by_its_name_deeper_in_its_folder(
    full: Session, written: str
) -> None:
    assert full("read_file", written) == full(
        "read_file", "~/Projects/household_budget/budget_2026.csv"
    )
    copied = full("copy_file", written, "~/Documents")
    assert copied == "/home/alex/Documents/budget_2026.csv"


def test_a_file_name_deeper_in_its_folder_is_not_moved_deleted_or_guessed_between_two(
    full: Session,
) -> None:
    full("copy_file", "~/Projects/household_budget/budget_2026.csv", "~/Documents")
    message = full.error("read_file", "~/budget_2026.csv")  # two now: which one is unclear
    assert "no such file or folder: /home/alex/budget_2026.csv" in message
    for call in ("delete_file", "file_info"):
        assert "no such file" in full.error(call, "~/Projects/budget_2026.csv")


def test_a_path_like_nothing_on_the_device_names_no_guess(full: Session) -> None:
    message = full.error("list_files", "/srv/www/htdocs/site")
    assert "did you mean" not in message
