"""The simulated shell (apis/shell.py): every builtin on the default world, the operators,
the host programs that are answered and never run, and the shell history it records."""

from __future__ import annotations

import importlib
import os
import subprocess
from typing import Any

import pytest

from intentos.device.snapshot import DeviceDiff
from intentos.device.world import World
from intentos.resources import apis_package
from tests.conftest import Session
from tests.helpers import world_content

apis_package()
_shell_module = importlib.import_module("intentos.apis.shell")
HOST_PROGRAMS: dict[str, Any] = _shell_module.HOST_PROGRAMS
MAX_COMMAND_CHARS: int = _shell_module.MAX_COMMAND_CHARS
MAX_OUTPUT_CHARS: int = _shell_module.MAX_OUTPUT_CHARS

HOME = "/home/alex"
NOW = "2026-03-16T08:30:00"
TODO = f"{HOME}/todo.txt"
CAR = f"{HOME}/Documents/Car"
BEAT_IT = f"{HOME}/Music/Michael Jackson/Thriller/Beat It.mp3"
EOB = f"{HOME}/Downloads/pinecrest_EOB_2026-02.pdf"
# What `ls` shows in the home folder (.bashrc is hidden).
HOME_NAMES = [
    "Documents",
    "Downloads",
    "Music",
    "Notes",
    "Pictures",
    "Projects",
    "readme.txt",
    "todo.txt",
]


# -- helpers ------------------------------------------------------------------------------


def lines(*items: str) -> str:
    return "".join(item + "\n" for item in items)


def history(session: Session) -> list[dict[str, Any]]:
    return session.rows("SELECT * FROM shell_history ORDER BY id")


def last_code(session: Session) -> int:
    return int(history(session)[-1]["exit_code"])


def run(session: Session, command: str) -> tuple[str, int]:
    """The shell's output and the exit code it recorded."""
    output = session("shell", command)
    assert isinstance(output, str)
    return output, last_code(session)


def changed_only(session: Session, *tables: str) -> DeviceDiff:
    diff = session.transaction.diff()
    assert set(diff.tables) == {"shell_history", *tables}, diff.summary()
    assert diff.tables["shell_history"].removed == []
    assert diff.tables["shell_history"].changed == []
    return diff


def assert_only_history(session: Session, commands: int = 1) -> None:
    """A command that changes nothing but adds its line to the shell history."""
    diff = changed_only(session)
    assert len(diff.tables["shell_history"].added) == commands


# -- recording ----------------------------------------------------------------------------


def test_the_world_starts_without_shell_history(full: Session) -> None:
    assert history(full) == []


def test_every_command_line_is_recorded_with_its_output_and_exit_code(full: Session) -> None:
    assert full("shell", "pwd") == "/home/alex\n"
    diff = changed_only(full)
    (row,) = diff.tables["shell_history"].added
    assert row == {
        "id": row["id"],
        "at": NOW,
        "cwd": HOME,
        "command": "pwd",
        "output": "/home/alex\n",
        "exit_code": 0,
    }


def test_a_line_of_several_commands_is_one_history_row_with_the_last_code(full: Session) -> None:
    output, code = run(full, "echo a; false")
    assert (output, code) == ("a\n", 1)
    assert [row["command"] for row in history(full)] == ["echo a; false"]


@pytest.mark.parametrize(
    ("command", "words"),
    [("", ("empty",)), ("   ", ("empty",)), ("x" * (MAX_COMMAND_CHARS + 1), ("longer", "4000"))],
)
def test_shell_refuses_empty_and_overlong_commands(
    full: Session, command: str, words: tuple[str, ...]
) -> None:
    message = full.error("shell", command)
    assert all(word in message for word in words), message
    assert full.transaction.diff().empty


def test_shell_rejects_a_non_string_command(full: Session) -> None:
    assert "must be a string" in full.error("shell", ["ls"])
    assert full.transaction.diff().empty


def test_long_output_is_cut_in_the_reply_and_the_history(full: Session) -> None:
    full("write_file", "~/big.txt", "y" * (MAX_OUTPUT_CHARS + 500))
    output, code = run(full, "cat ~/big.txt")
    assert code == 0
    assert output == "y" * MAX_OUTPUT_CHARS + "\n[output cut]\n"
    assert history(full)[-1]["output"] == output


@pytest.mark.parametrize("profile", ["paper1", "paper2"])
def test_shell_is_a_function_of_both_papers(profile: str, request: pytest.FixtureRequest) -> None:
    session: Session = request.getfixturevalue(profile)
    assert session("shell", "whoami") == "alex\n"
    assert_only_history(session)


# -- pwd / cd -------------------------------------------------------------------------------


def test_cd_lasts_until_the_command_line_ends(full: Session) -> None:
    # Like a shell started for one command (the papers' shell()), cd does not outlive it.
    assert run(full, "cd Documents/Car && pwd") == (CAR + "\n", 0)
    assert run(full, "pwd") == (HOME + "\n", 0)
    rows = history(full)
    assert [row["cwd"] for row in rows] == [HOME, HOME]
    assert set(changed_only(full).tables) == {"shell_history"}
    assert full("get_device_info")["current_folder"] == HOME


@pytest.mark.parametrize(
    ("command", "cwd"),
    [
        ("cd ~/Documents && cd ..", HOME),
        ("cd /home", "/home"),
        ("cd ~/Documents; cd", HOME),
        ("cd ~/Documents/Car/../Health", f"{HOME}/Documents/Health"),
        ("cd /; cd home/alex/Notes", f"{HOME}/Notes"),
    ],
)
def test_cd_paths(full: Session, command: str, cwd: str) -> None:
    assert run(full, f"{command}; pwd") == (cwd + "\n", 0)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nowhere", "bash: cd: nowhere: No such file or directory\n"),
        ("todo.txt", "bash: cd: todo.txt: Not a directory\n"),
    ],
)
def test_cd_failures_keep_the_directory(full: Session, target: str, message: str) -> None:
    assert run(full, f"cd {target}") == (message, 1)
    assert run(full, "pwd") == (HOME + "\n", 0)
    assert_only_history(full, 2)


# -- ls -----------------------------------------------------------------------------------


def test_ls_lists_the_working_directory_without_hidden_files(full: Session) -> None:
    assert run(full, "ls") == (lines(*HOME_NAMES), 0)
    assert run(full, "ls ~") == (lines(*HOME_NAMES), 0)
    assert_only_history(full, 2)


def test_ls_a_shows_hidden_files(full: Session) -> None:
    output, code = run(full, "ls -a")
    assert (output, code) == (lines(".bashrc", *HOME_NAMES), 0)


def test_ls_l_shows_kind_size_and_modification_time(full: Session) -> None:
    output, code = run(full, "ls -l")
    assert code == 0
    rows = output.splitlines()
    assert len(rows) == len(HOME_NAMES)
    assert rows[0] == "drwxr-xr-x 1 owner owner         0 2026-03-16 08:30 Documents"
    assert rows[-1] == "-rw-r--r-- 1 owner owner       435 2026-03-15 21:12 todo.txt"


def test_ls_la_combines_flags(full: Session) -> None:
    first = run(full, "ls -la")[0].splitlines()[0]
    assert first == "-rw-r--r-- 1 owner owner       167 2025-05-04 11:20 .bashrc"
    assert run(full, "ls -l -a")[0] == run(full, "ls -la")[0]


def test_ls_of_a_folder_and_of_a_file(full: Session) -> None:
    car_names = [
        "car_insurance_id_card_2026.pdf",
        "car_insurance_policy_HM-AUTO-448120.pdf",
        "car_registration_2026.pdf",
        "car_service_history.txt",
        "car_title_subaru_outback_2019.pdf",
        "honda_civic_2008_title_copy_SOLD.pdf",
        "subaru_purchase_agreement_2019.pdf",
    ]
    assert run(full, "ls ~/Documents/Car") == (lines(*car_names), 0)
    assert run(full, "ls todo.txt") == ("todo.txt\n", 0)
    assert run(full, "ls /") == ("home\n", 0)


def test_ls_of_several_folders_names_each(full: Session) -> None:
    output, code = run(full, "ls ~/Projects ~/Pictures")
    assert code == 0
    assert output == lines(
        "~/Projects:",
        "bike_commute",
        "household_budget",
        "",
        "~/Pictures:",
        "Camera",
        "Fujifilm",
        "Japan_2024",
        "headshot_alex_2025.jpg",
    )


def test_ls_of_a_missing_path(full: Session) -> None:
    assert run(full, "ls ghost") == ("ls: cannot access 'ghost': No such file or directory\n", 2)
    assert run(full, "ls todo.txt ghost") == (
        "todo.txt\nls: cannot access 'ghost': No such file or directory\n",
        2,
    )


# -- cat / echo ---------------------------------------------------------------------------


def test_cat_prints_files_whole(full: Session, default_world: World) -> None:
    todo = world_content(default_world, TODO)
    readme = world_content(default_world, f"{HOME}/readme.txt")
    assert run(full, "cat ~/todo.txt") == (todo, 0)
    assert run(full, "cat todo.txt readme.txt") == (todo + readme, 0)
    assert_only_history(full, 2)


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("cat ghost.txt", "cat: ghost.txt: No such file or directory\n"),
        ("cat Documents", "cat: Documents: Is a directory\n"),
        ("cat Pictures/headshot_alex_2025.jpg", ""),
    ],
)
def test_cat_errors(full: Session, command: str, output: str) -> None:
    assert run(full, command) == (output, 1 if output else 0)


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("echo hello world", "hello world\n"),
        ("echo", "\n"),
        ("echo -n no newline", "no newline"),
        ('echo "spaced   out"  twice', "spaced   out twice\n"),
        ("echo 'single $HOME'", "single $HOME\n"),
        ("echo a # a comment", "a\n"),
    ],
)
def test_echo(full: Session, command: str, output: str) -> None:
    assert run(full, command) == (output, 0)
    assert_only_history(full)


# -- wc / head / tail ---------------------------------------------------------------------


def test_wc_counts_lines_words_and_bytes(full: Session, default_world: World) -> None:
    text = world_content(default_world, TODO)
    counts = (text.count("\n"), len(text.split()), len(text.encode()))
    assert counts == (9, 79, 435)
    assert run(full, "wc todo.txt") == ("      9      79     435 todo.txt\n", 0)
    assert run(full, "wc -l todo.txt") == ("      9 todo.txt\n", 0)
    assert run(full, "wc -w -c todo.txt") == ("     79     435 todo.txt\n", 0)
    assert run(full, "cat todo.txt | wc -l") == ("      9\n", 0)
    assert run(full, "echo one two | wc") == ("      1       2       8\n", 0)


def test_wc_of_a_missing_file(full: Session) -> None:
    assert run(full, "wc ghost") == ("wc: ghost: No such file or directory\n", 1)


LOG = "~/Projects/bike_commute/commute_log.csv"


@pytest.mark.parametrize(
    ("command", "selected"),
    [
        (f"head -n 2 {LOG}", slice(0, 2)),
        (f"head -3 {LOG}", slice(0, 3)),
        (f"head {LOG}", slice(0, 10)),
        (f"head -n 0 {LOG}", slice(0, 0)),
        (f"tail -n 2 {LOG}", slice(-2, None)),
        (f"tail -1 {LOG}", slice(-1, None)),
        (f"tail {LOG}", slice(-10, None)),
        (f"tail -n 0 {LOG}", slice(0, 0)),
        (f"cat {LOG} | head -n 1", slice(0, 1)),
        (f"cat {LOG} | tail -n 3 | head -n 1", slice(-3, -2)),
    ],
)
def test_head_and_tail(full: Session, default_world: World, command: str, selected: slice) -> None:
    text = world_content(default_world, LOG.replace("~", HOME))
    assert text.count("\n") == 10
    expected = "".join(text.splitlines(keepends=True)[selected])
    assert run(full, command) == (expected, 0)


def test_head_of_a_missing_file(full: Session) -> None:
    assert run(full, "head ghost") == ("head: ghost: No such file or directory\n", 1)
    assert run(full, "tail ghost") == ("tail: ghost: No such file or directory\n", 1)


# -- grep -----------------------------------------------------------------------------------

SUBARU_LINES = (
    "- send a copy of the Subaru title to Harbor Mutual (they still list the old lienholder)",
    "- renew Subaru registration before 4/30 (DMV notice in Documents/Car)",
)


@pytest.mark.parametrize(
    ("command", "output", "code"),
    [
        ("grep Subaru todo.txt", lines(*SUBARU_LINES), 0),
        ("grep subaru todo.txt", "", 1),
        ("grep -i SUBARU todo.txt", lines(*SUBARU_LINES), 0),
        ("grep -c Subaru todo.txt", "2\n", 0),
        ("grep -c zebra todo.txt", "0\n", 1),
        ("grep -v - todo.txt", "TODO\n", 0),
        (
            "grep -E '^- (renew|swap)' todo.txt",
            lines(SUBARU_LINES[1], "- swap winter tires in April"),
            0,
        ),
        ("cat todo.txt | grep -i subaru | grep renew", lines(SUBARU_LINES[1]), 0),
        ("grep Subaru ghost.txt", "grep: ghost.txt: No such file or directory\n", 2),
        ("grep -E '(' todo.txt", "grep: Invalid regular expression\n", 2),
        ("grep", "Usage: grep [OPTION]... PATTERNS [FILE]...\n", 2),
    ],
)
def test_grep(full: Session, command: str, output: str, code: int) -> None:
    assert run(full, command) == (output, code)
    assert_only_history(full)


# -- find -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("find ~/Documents/Car -name '*.txt'", lines("~/Documents/Car/car_service_history.txt")),
        (
            "find ~/Projects -type d",
            lines("~/Projects", "~/Projects/bike_commute", "~/Projects/household_budget"),
        ),
        (
            "find . -type f -name '*.CSV'",
            lines(
                "./Downloads/northwind_q1_kpi_export.csv",
                "./Projects/bike_commute/commute_log.csv",
                "./Projects/household_budget/budget_2026.csv",
            ),
        ),
        (
            "find -name '*budget*'",
            lines("./Projects/household_budget", "./Projects/household_budget/budget_2026.csv"),
        ),
        (
            "find ~/Projects/household_budget",
            lines("~/Projects/household_budget", "~/Projects/household_budget/budget_2026.csv"),
        ),
        ("find todo.txt", "todo.txt\n"),
        ("find / -type d | head -n 3", lines("/", "/home", HOME)),
        (f"find {CAR} -iname HONDA*", lines(f"{CAR}/honda_civic_2008_title_copy_SOLD.pdf")),
        ("find ~/Notes -name '*.pdf'", ""),
    ],
)
def test_find(full: Session, command: str, output: str) -> None:
    assert run(full, command) == (output, 0)
    assert_only_history(full)


def test_find_counts_every_file_once(full: Session) -> None:
    total = full.rows("SELECT count(*) AS n FROM files")[0]["n"]
    output, _ = run(full, "find /")
    assert len(output.splitlines()) == total
    assert len(set(output.splitlines())) == total


def test_find_of_a_missing_start(full: Session) -> None:
    assert run(full, "find ghost") == ("find: 'ghost': No such file or directory\n", 1)


# -- mkdir / touch ----------------------------------------------------------------------------


def test_mkdir_creates_one_folder(full: Session) -> None:
    assert run(full, "mkdir ~/Scratch") == ("", 0)
    diff = changed_only(full, "files")
    (added,) = diff.tables["files"].added
    assert (added["path"], added["kind"], added["created"]) == (f"{HOME}/Scratch", "dir", NOW)


def test_mkdir_p_creates_the_missing_chain(full: Session) -> None:
    assert run(full, "mkdir -p Scratch/a/b") == ("", 0)
    diff = changed_only(full, "files")
    assert [row["path"] for row in diff.tables["files"].added] == [
        f"{HOME}/Scratch",
        f"{HOME}/Scratch/a",
        f"{HOME}/Scratch/a/b",
    ]
    assert run(full, "mkdir -p Scratch/a Documents") == ("", 0)
    assert len(full.transaction.diff().tables["files"].added) == 3


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("mkdir Documents", "mkdir: cannot create directory 'Documents': File exists\n"),
        ("mkdir a/b", "mkdir: cannot create directory 'a/b': No such file or directory\n"),
        ("mkdir todo.txt/x", "mkdir: cannot create directory 'todo.txt/x': Not a directory\n"),
        (
            "mkdir -p todo.txt/x/y",
            "mkdir: cannot create directory 'todo.txt/x/y': Not a directory\n",
        ),
    ],
)
def test_mkdir_failures_create_nothing(full: Session, command: str, output: str) -> None:
    assert run(full, command) == (output, 1)
    assert_only_history(full)


def test_touch_creates_an_empty_file(full: Session) -> None:
    assert run(full, "touch Notes/new.md") == ("", 0)
    (added,) = changed_only(full, "files").tables["files"].added
    assert added["path"] == f"{HOME}/Notes/new.md"
    assert (added["content"], added["size"], added["mime"]) == ("", 0, "text/markdown")


def test_touch_of_an_existing_file_only_updates_its_time(full: Session) -> None:
    assert run(full, "touch todo.txt") == ("", 0)
    (change,) = changed_only(full, "files").tables["files"].changed
    assert change.fields.keys() == {"modified"}
    assert (change.fields["modified"].before, change.fields["modified"].after) == (
        "2026-03-15T21:12:00",
        NOW,
    )


def test_touch_in_a_missing_folder(full: Session) -> None:
    assert run(full, "touch nowhere/x.txt") == (
        "touch: cannot touch 'nowhere/x.txt': No such file or directory\n",
        1,
    )
    assert_only_history(full)


# -- rm -------------------------------------------------------------------------------------


def test_rm_removes_a_file(full: Session) -> None:
    assert run(full, "rm todo.txt") == ("", 0)
    removed = changed_only(full, "files").tables["files"].removed
    assert [row["path"] for row in removed] == [TODO]


def test_rm_r_removes_a_folder_and_its_contents(full: Session) -> None:
    assert run(full, "rm -r ~/Projects/bike_commute") == ("", 0)
    removed = changed_only(full, "files").tables["files"].removed
    assert sorted(row["path"] for row in removed) == [
        f"{HOME}/Projects/bike_commute",
        f"{HOME}/Projects/bike_commute/README.md",
        f"{HOME}/Projects/bike_commute/analyze_commute.py",
        f"{HOME}/Projects/bike_commute/commute_log.csv",
    ]


def test_rm_detaches_a_mail_attachment(full: Session) -> None:
    assert run(full, f"rm {EOB}") == ("", 0)
    diff = changed_only(full, "files", "mail_attachments")
    (change,) = diff.tables["mail_attachments"].changed
    assert change.fields["file_id"].after is None


def test_rm_f_ignores_missing_files(full: Session) -> None:
    assert run(full, "rm -f ghost.txt") == ("", 0)
    assert run(full, "rm -rf ghost") == ("", 0)
    assert_only_history(full, 2)


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("rm ghost.txt", "rm: cannot remove 'ghost.txt': No such file or directory\n"),
        ("rm Documents", "rm: cannot remove 'Documents': Is a directory\n"),
        ("rm -r ~", "rm: refusing to remove '~'\n"),
        ("rm -rf /", "rm: refusing to remove '/'\n"),
        ("rm -r /home", "rm: refusing to remove '/home'\n"),
        (f"rm '{BEAT_IT}'", f"rm: cannot remove '{BEAT_IT}': Operation not permitted\n"),
        (
            "rm -r ~/Music/Queen",
            "rm: cannot remove '/home/alex/Music/Queen/A Night at the Opera/Bohemian Rhapsody.mp3'"
            ": Operation not permitted\n",
        ),
    ],
)
def test_rm_refusals_remove_nothing(full: Session, command: str, output: str) -> None:
    assert run(full, command) == (output, 1)
    assert_only_history(full)


# -- mv / cp --------------------------------------------------------------------------------


def test_mv_renames(full: Session, default_world: World) -> None:
    assert run(full, "mv todo.txt Notes/todo_old.txt") == ("", 0)
    (change,) = changed_only(full, "files").tables["files"].changed
    assert change.fields["path"].after == f"{HOME}/Notes/todo_old.txt"
    assert run(full, "cat Notes/todo_old.txt") == (world_content(default_world, TODO), 0)


def test_cp_into_a_folder(full: Session, default_world: World) -> None:
    assert run(full, "cp -v todo.txt Documents") == ("", 0)
    (added,) = changed_only(full, "files").tables["files"].added
    assert added["path"] == f"{HOME}/Documents/todo.txt"
    assert added["content"] == world_content(default_world, TODO)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("mv todo.txt", ("mv:", "missing destination file operand after 'todo.txt'")),
        ("cp a b c", ("cp:", "expected a source and a destination")),
        ("mv ghost.txt Notes", ("mv:", "no such file or folder")),
        ("cp readme.txt todo.txt", ("cp:", "already exists")),
        ("cp Documents Notes", ("cp:", "is a folder, not a file")),
        ("mv ~ /home/bob", ("mv:", "refusing", "home folder")),
    ],
)
def test_mv_and_cp_failures(full: Session, command: str, words: tuple[str, ...]) -> None:
    output, code = run(full, command)
    assert code == 1
    assert all(word in output for word in words), output
    assert_only_history(full)


# -- date / whoami / hostname / uname / true / false ---------------------------------------


@pytest.mark.parametrize(
    ("command", "output", "code"),
    [
        ("date", "Mon Mar 16 08:30:00 2026\n", 0),
        ("whoami", "alex\n", 0),
        ("hostname", "alex-device\n", 0),
        ("uname", "Linux\n", 0),
        ("uname -a", "Linux\n", 0),
        ("true", "", 0),
        ("false", "", 1),
    ],
)
def test_constant_builtins(full: Session, command: str, output: str, code: int) -> None:
    assert run(full, command) == (output, code)
    assert_only_history(full)


def test_date_follows_the_virtual_clock(full: Session) -> None:
    full("sleep", 3600 * 24 + 61)
    assert run(full, "date") == ("Tue Mar 17 08:31:01 2026\n", 0)


# -- operators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "output", "code"),
    [
        ("echo a; echo b", "a\nb\n", 0),
        ("echo a ; false", "a\n", 1),
        ("false; echo b", "b\n", 0),
        ("true && echo yes", "yes\n", 0),
        ("false && echo yes", "", 1),
        ("true || echo no", "", 0),
        ("false || echo no", "no\n", 0),
        ("false && echo a || echo b", "b\n", 0),
        ("true || echo a && echo b", "b\n", 0),
        ("cd ghost && echo moved", "bash: cd: ghost: No such file or directory\n", 1),
        (
            "ls ghost || echo fallback",
            "ls: cannot access 'ghost': No such file or directory\nfallback\n",
            0,
        ),
        ("echo a&&echo b", "a\nb\n", 0),
        ("echo one two three | wc -w", "      3\n", 0),
        ("echo hi | false", "", 1),
        ("false | echo hi", "hi\n", 0),
        ("echo 'a | b; c && d'", "a | b; c && d\n", 0),
    ],
)
def test_sequences_conditionals_and_pipes(
    full: Session, command: str, output: str, code: int
) -> None:
    assert run(full, command) == (output, code)
    assert_only_history(full)


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("| wc", "bash: syntax error near unexpected token `|'\n"),
        ("echo hi |", "bash: syntax error near unexpected token `|'\n"),
        ("echo hi | | wc", "bash: syntax error near unexpected token `|'\n"),
        ("echo hi >", "bash: syntax error near unexpected token `newline'\n"),
        ("echo 'unterminated", "bash: unexpected EOF while looking for matching `''\n"),
        ('cat "todo.txt', "bash: unexpected EOF while looking for matching `\"'\n"),
    ],
)
def test_syntax_errors_exit_2_and_change_nothing_else(
    full: Session, command: str, output: str
) -> None:
    assert run(full, command) == (output, 2)
    assert_only_history(full)
    assert history(full)[-1]["command"] == command


# -- redirection ----------------------------------------------------------------------------


def test_redirect_creates_a_file_with_the_output(full: Session) -> None:
    assert run(full, "echo hello > Notes/hello.txt") == ("", 0)
    (added,) = changed_only(full, "files").tables["files"].added
    assert (added["path"], added["content"], added["mime"]) == (
        f"{HOME}/Notes/hello.txt",
        "hello\n",
        "text/plain",
    )


def test_redirect_overwrites_and_appends(full: Session) -> None:
    run(full, "echo one > out.txt")
    run(full, "echo two >> out.txt")
    run(full, "ls Projects >> out.txt")
    assert full("read_file", "out.txt") == "one\ntwo\nbike_commute\nhousehold_budget\n"
    run(full, "echo fresh > out.txt")
    assert full("read_file", "out.txt") == "fresh\n"
    (added,) = changed_only(full, "files").tables["files"].added
    assert added["path"] == f"{HOME}/out.txt"


def test_redirect_of_a_pipeline_keeps_its_exit_code(full: Session) -> None:
    assert run(full, "grep -i subaru todo.txt | wc -l > count.txt") == ("", 0)
    assert full("read_file", "count.txt") == "      2\n"
    assert run(full, "grep zebra todo.txt > none.txt") == ("", 1)
    assert full("read_file", "none.txt") == ""


def test_append_redirect_to_an_existing_file(full: Session, default_world: World) -> None:
    assert run(full, "echo '- water plants' >> todo.txt") == ("", 0)
    expected = world_content(default_world, TODO) + "- water plants\n"
    assert full("read_file", TODO) == expected
    (change,) = changed_only(full, "files").tables["files"].changed
    assert change.fields["content"].after == expected


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("echo hi > nowhere/x.txt", "bash: nowhere/x.txt: No such file or directory\n"),
        ("echo hi > Documents", "bash: Documents: Is a directory\n"),
        ("echo hi >> todo.txt/x", "bash: todo.txt/x: No such file or directory\n"),
    ],
)
def test_redirect_failures_write_nothing(full: Session, command: str, output: str) -> None:
    assert run(full, command) == (output, 1)
    assert_only_history(full)


# -- unknown and host programs ----------------------------------------------------------------


@pytest.mark.parametrize("program", ["frobnicate", "python3", "/usr/bin/ls", "vim", "docker"])
def test_unknown_commands_are_not_found(full: Session, program: str) -> None:
    assert run(full, f"{program} --version") == (f"bash: {program}: command not found\n", 127)
    assert_only_history(full)


@pytest.fixture
def no_host_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to start a process on the host fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the shell tried to run a host process: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    for name in (
        "system",
        "popen",
        "fork",
        "forkpty",
        "execv",
        "execve",
        "execvp",
        "execvpe",
        "execl",
        "execlp",
        "spawnv",
        "spawnvp",
        "posix_spawn",
        "posix_spawnp",
    ):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse)


@pytest.mark.usefixtures("no_host_processes")
@pytest.mark.parametrize("program", sorted(HOST_PROGRAMS))
def test_host_programs_are_answered_and_recorded(full: Session, program: str) -> None:
    described = HOST_PROGRAMS[program]
    template, code = described.message, described.code
    command = f"{program} example.org"
    output = full("shell", command)
    assert output == template.format(host="example.org", port=described.default_port) + "\n"
    assert "command not found" not in output
    if "{host}" in template:
        assert "example.org" in output
    (row,) = changed_only(full).tables["shell_history"].added
    assert (row["command"], row["output"], row["exit_code"], row["cwd"]) == (
        command,
        output,
        code,
        HOME,
    )
    assert code != 0


def test_paper2_nginx_over_ssh_is_refused_and_recorded(
    paper2: Session, no_host_processes: None
) -> None:
    command = "ssh -p 2222 user@127.0.0.1 'sudo apt install nginx'"
    output = paper2("shell", command)
    assert output == "ssh: connect to host 127.0.0.1 port 2222: Connection refused\n"
    assert "127.0.0.1" in output
    assert "2222" in output
    assert "Connection refused" in output
    (row,) = changed_only(paper2).tables["shell_history"].added
    assert (row["command"], row["output"], row["exit_code"]) == (command, output, 255)


@pytest.mark.usefixtures("no_host_processes")
@pytest.mark.parametrize(
    ("command", "output", "code"),
    [
        (
            "ssh alex@example.org:2200",
            "ssh: connect to host example.org port 2200: Connection refused\n",
            255,
        ),
        (
            "ssh -p 2222 user@[::1] uptime",
            "ssh: connect to host [::1] port 2222: Connection refused\n",
            255,
        ),
        (
            "curl -s https://example.org/a/b?c=1",
            "curl: (6) Could not resolve host: example.org\n",
            6,
        ),
        (
            "wget http://files.example/x.tar.gz",
            "wget: unable to resolve host address 'files.example'\n",
            4,
        ),
        (
            "nc example.org 80",
            'nc: getaddrinfo for host "example.org" port 80: Temporary failure in name resolution\n',
            1,
        ),
        (
            "telnet example.org 23",
            "telnet: could not resolve example.org/23: Temporary failure in name resolution\n",
            1,
        ),
        ("sudo apt install nginx", HOST_PROGRAMS["sudo"].message + "\n", 1),
        ("apt install nginx", HOST_PROGRAMS["apt"].message + "\n", 100),
        (
            "git status",
            "fatal: not a git repository (or any of the parent directories): .git\n",
            128,
        ),
        ("ping -c 1 8.8.8.8", "ping: connect: Network is unreachable\n", 2),
        (
            "curl example.org || echo offline",
            "curl: (6) Could not resolve host: example.org\noffline\n",
            0,
        ),
    ],
)
def test_host_programs_name_the_host_and_port(
    full: Session, command: str, output: str, code: int
) -> None:
    assert run(full, command) == (output, code)
    assert_only_history(full)


# -- file name patterns -------------------------------------------------------------------

CAR_PDFS = [
    "car_insurance_id_card_2026.pdf",
    "car_insurance_policy_HM-AUTO-448120.pdf",
    "car_registration_2026.pdf",
    "car_title_subaru_outback_2019.pdf",
    "honda_civic_2008_title_copy_SOLD.pdf",
    "subaru_purchase_agreement_2019.pdf",
]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("ls ~/Documents/Car/*.pdf | wc -l", lines("      6")),
        ("cd ~/Documents/Car && ls *.pdf", lines(*CAR_PDFS)),
        ("echo ~/Documents/Car/car_t*", lines(f"{CAR}/car_title_subaru_outback_2019.pdf")),
        ("cd ~/Documents && echo Car/*_20??.pdf", lines(
            "Car/car_insurance_id_card_2026.pdf Car/car_registration_2026.pdf "
            "Car/car_title_subaru_outback_2019.pdf Car/subaru_purchase_agreement_2019.pdf")),
        ("echo */todo.txt ~/t[o]do.txt", lines(f"*/todo.txt {HOME}/todo.txt")),
        ("echo ~/*.txt", lines(f"{HOME}/readme.txt {HOME}/todo.txt")),
        ("echo ~/.bash*", lines(f"{HOME}/.bashrc")),
        ("echo '*.txt' \"~/*.txt\" \\*.txt", lines("*.txt ~/*.txt *.txt")),
        ("echo ~/*.nothing", lines("~/*.nothing")),
        ("ls ~/*/Car/*title* | wc -l", lines("      2")),
    ],
)  # fmt: skip
def test_unquoted_patterns_expand_to_the_matching_paths(
    full: Session, command: str, expected: str
) -> None:
    assert run(full, command) == (expected, 0)
