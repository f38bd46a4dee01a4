"""The simulated shell's syntax: quoting, operators, redirections; and option parsing of
host programs."""

from __future__ import annotations

import importlib

import pytest

from intentos.resources import apis_package
from tests.conftest import Session

apis_package()
syntax = importlib.import_module("intentos.apis._shell_syntax")


def words(line: str) -> list[list[str]]:
    return [pipeline[0].words for _, pipeline in syntax.parse(line)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("echo a b", [["echo", "a", "b"]]),
        ("echo 'a  b' \"c d\"", [["echo", "a  b", "c d"]]),
        ("grep '>' notes.txt", [["grep", ">", "notes.txt"]]),
        ("echo '|' ';'", [["echo", "|", ";"]]),
        ('echo "say \\"hi\\""', [["echo", 'say "hi"']]),
        ("echo a\\ b", [["echo", "a b"]]),
        ("echo ''", [["echo", ""]]),
        ("echo x # a comment", [["echo", "x"]]),
        ("echo a2>b", [["echo", "a2"]]),
        ("ls; pwd", [["ls"], ["pwd"]]),
    ],
)
def test_words_and_quotes(line: str, expected: list[list[str]]) -> None:
    assert words(line) == expected


def test_connectors_and_pipelines() -> None:
    parsed = syntax.parse("ls | wc -l && echo ok || echo no; pwd")
    assert [connector for connector, _ in parsed] == [";", "&&", "||", ";"]
    assert [command.words for command in parsed[0][1]] == [["ls"], ["wc", "-l"]]


def test_redirections_are_attached_to_their_command() -> None:
    ((_, pipeline),) = syntax.parse("cat < in.txt 2>/dev/null > out.txt 2>&1")
    (command,) = pipeline
    assert command.words == ["cat"]
    assert [(r.operator, r.target) for r in command.redirects] == [
        ("<", "in.txt"),
        ("2>", "/dev/null"),
        (">", "out.txt"),
        ("2>&1", ""),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("| wc", "near unexpected token `|'"),
        ("echo >", "near unexpected token `newline'"),
        ("&& ls", "near unexpected token `&&'"),
        ("echo 'open", "unexpected EOF while looking for matching `''"),
    ],
)
def test_syntax_errors(line: str, message: str) -> None:
    with pytest.raises(syntax.ShellSyntaxError, match=message):
        syntax.parse(line)


def run(session: Session, line: str) -> str:
    output: str = session("shell", line)
    return output


def test_quoted_operator_is_searched_for(full: Session) -> None:
    full("write_file", "~/ops.txt", "a > b\nc\n")
    assert run(full, "grep '>' ops.txt") == "a > b\n"


def test_stderr_to_dev_null(full: Session) -> None:
    assert run(full, "ls ghost 2>/dev/null") == ""
    assert run(full, "cat ghost.txt 2> /dev/null; echo done") == "done\n"


def test_stderr_into_the_pipe(full: Session) -> None:
    assert run(full, "cat ghost.txt 2>&1 | wc -l") == "      1\n"
    assert (
        run(full, "cat ghost.txt | wc -l") == "cat: ghost.txt: No such file or directory\n      0\n"
    )


def test_both_streams_to_a_file(full: Session) -> None:
    assert run(full, "cat todo.txt ghost.txt &> both.txt") == ""
    content = full("read_file", "~/both.txt")
    assert content.endswith("cat: ghost.txt: No such file or directory\n")
    assert content.startswith(full("read_file", "~/todo.txt"))


def test_stdout_to_file_and_stderr_to_terminal(full: Session) -> None:
    assert run(full, "cat todo.txt ghost.txt > out.txt") == (
        "cat: ghost.txt: No such file or directory\n"
    )
    assert full("read_file", "~/out.txt") == full("read_file", "~/todo.txt")


def test_input_redirection(full: Session) -> None:
    assert run(full, "wc -l < todo.txt") == run(full, "cat todo.txt | wc -l")
    assert run(full, "wc -l < ghost.txt") == "bash: ghost.txt: No such file or directory\n"


def test_redirect_alone_creates_an_empty_file(full: Session) -> None:
    assert run(full, "> empty.txt") == ""
    assert full("read_file", "~/empty.txt") == ""


def test_a_failed_redirect_does_not_run_the_command(full: Session) -> None:
    assert run(full, "rm todo.txt > nowhere/x.txt") == (
        "bash: nowhere/x.txt: No such file or directory\n"
    )
    assert full("file_info", "~/todo.txt")["kind"] == "file"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ssh -i ~/.ssh/id_ed25519 admin@10.0.0.5", "connect to host 10.0.0.5 port 22:"),
        ("ssh -p2222 root@127.0.0.1", "connect to host 127.0.0.1 port 2222:"),
        ("ssh -o StrictHostKeyChecking=no -p 2222 127.0.0.1", "host 127.0.0.1 port 2222:"),
        ("scp -P 2200 file.txt user@host.example:/tmp", "host host.example port 2200:"),
        ("curl -o page.html https://example.org/x", "Could not resolve host: example.org"),
        ("curl -H 'Accept: text/html' http://a.example", "Could not resolve host: a.example"),
        ("wget -O out.html http://b.example/file", "address 'b.example'"),
    ],
)
def test_host_program_options_with_values(full: Session, line: str, expected: str) -> None:
    assert expected in run(full, line)


@pytest.mark.parametrize("program", ["mkdir", "touch", "rm", "cp", "mv"])
def test_missing_operands(full: Session, program: str) -> None:
    assert run(full, program) == f"{program}: missing operand\n"
    (row,) = full.rows("SELECT exit_code FROM shell_history")
    assert row["exit_code"] == 1


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("Subaru", "Subaru"), ("a.*b", "a.*b"), ("(a+)+$", r"\(a\+\)\+$"), ("^x$", "^x$")],
)
def test_grep_basic_patterns_have_no_nested_repetition(pattern: str, expected: str) -> None:
    commands = importlib.import_module("intentos.apis._shell_commands")
    assert commands.basic_regex(pattern) == expected


@pytest.mark.parametrize("pattern", ["(a+)+$", "(x*y?)*", "(ab+){3,}"])
def test_grep_extended_patterns_that_could_run_away_are_refused(
    full: Session, pattern: str
) -> None:
    full("write_file", "~/a.txt", "a" * 40 + "!\n")
    assert run(full, f"grep -E '{pattern}' a.txt") == "grep: Invalid regular expression\n"


def test_grep_fixed_strings(full: Session) -> None:
    full("write_file", "~/a.txt", "1+1=2\nx\n")
    assert run(full, "grep -F '1+1' a.txt") == "1+1=2\n"
