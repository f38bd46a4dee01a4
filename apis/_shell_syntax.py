"""Shell syntax: words, quotes, operators, pipelines and redirections (a small POSIX subset).

``parse`` turns a command line into a list of pipelines joined by ``;``, ``&&``, ``||`` or ``&``.
Quoted text is never an operator: ``grep '>' notes.txt`` searches for ``>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Longest first, so that ">>" is not read as two ">".
OPERATORS = ("2>&1", "&>>", "2>>", "&>", "2>", ">>", ">&", "||", "&&", ">", "<", "|", ";", "&")
CONNECTORS = frozenset({";", "&&", "||", "&"})
REDIRECTIONS = frozenset({"2>&1", "&>>", "2>>", "&>", "2>", ">>", ">&", ">", "<"})


class ShellSyntaxError(ValueError):
    """The command line cannot be parsed; the message is bash's."""


GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class Token:
    text: str
    operator: bool = False
    # The word as a file name pattern, when it has an unquoted glob character (``*.pdf``);
    # quoted glob characters are escaped in it (``'*'.txt`` → ``[*].txt``).
    pattern: str | None = None


@dataclass(frozen=True)
class Redirect:
    operator: str  # one of REDIRECTIONS
    target: str  # a path, or "" for 2>&1


@dataclass
class Command:
    words: list[str] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    # For each word, its file name pattern when it has unquoted glob characters, else None.
    patterns: list[str | None] = field(default_factory=list)


Pipeline = list[Command]


def _escaped(text: str) -> str:
    """``text`` as a pattern that matches only itself."""
    return "".join(f"[{char}]" if char in GLOB_CHARACTERS else char for char in text)


def tokenize(line: str) -> list[Token]:
    tokens: list[Token] = []
    word: list[str] = []
    pattern: list[str] = []  # the word with its quoted parts' glob characters escaped
    quoted = False
    globbed = False
    index = 0

    def add(text: str, *, literal: bool) -> None:
        nonlocal globbed
        word.append(text)
        pattern.append(_escaped(text) if literal else text)
        globbed = globbed or (not literal and bool(set(text) & GLOB_CHARACTERS))

    def flush() -> None:
        nonlocal word, pattern, quoted, globbed
        if word or quoted:
            tokens.append(Token("".join(word), pattern="".join(pattern) if globbed else None))
        word, pattern, quoted, globbed = [], [], False, False

    while index < len(line):
        char = line[index]
        if char in " \t\n":
            flush()
            index += 1
        elif char == "#" and not word and not quoted:
            break
        elif char == "'":
            end = line.find("'", index + 1)
            if end < 0:
                raise ShellSyntaxError("unexpected EOF while looking for matching `''")
            add(line[index + 1 : end], literal=True)
            quoted, index = True, end + 1
        elif char == '"':
            inner: list[str] = []
            index = _double_quoted(line, index + 1, inner)
            add("".join(inner), literal=True)
            quoted = True
        elif char == "\\":
            add(line[index + 1 : index + 2], literal=True)
            index += 2
        else:
            operator = _operator_at(line, index, starts_word=not word and not quoted)
            if operator is None:
                add(char, literal=False)
                index += 1
            else:
                flush()
                tokens.append(Token(operator, operator=True))
                index += len(operator)
    flush()
    return tokens


def _double_quoted(line: str, index: int, word: list[str]) -> int:
    while index < len(line):
        char = line[index]
        if char == '"':
            return index + 1
        if char == "\\" and line[index + 1 : index + 2] in {'"', "\\", "$", "`"}:
            word.append(line[index + 1])
            index += 2
        else:
            word.append(char)
            index += 1
    raise ShellSyntaxError("unexpected EOF while looking for matching `\"'")


def _operator_at(line: str, index: int, *, starts_word: bool) -> str | None:
    for operator in OPERATORS:
        if line.startswith(operator, index):
            if operator.startswith("2") and not starts_word:
                continue
            return operator
    return None


def parse(line: str) -> list[tuple[str, Pipeline]]:
    """``[(connector, pipeline), ...]``; the connector says when the pipeline runs
    (``;`` always, ``&&`` after success, ``||`` after failure)."""
    result: list[tuple[str, Pipeline]] = []
    connector = ";"
    current: list[Token] = []
    for token in [*tokenize(line), Token(";", operator=True)]:
        if token.operator and token.text in CONNECTORS:
            if not current:
                if token.text != ";" or connector != ";":
                    raise ShellSyntaxError(f"syntax error near unexpected token `{token.text}'")
                continue
            result.append((connector, _pipeline(current)))
            connector, current = token.text, []
        else:
            current.append(token)
    return result


def _pipeline(tokens: list[Token]) -> Pipeline:
    commands: Pipeline = [Command()]
    iterator = iter(tokens)
    for token in iterator:
        if token.operator and token.text == "|":
            if not commands[-1].words:
                raise ShellSyntaxError("syntax error near unexpected token `|'")
            commands.append(Command())
        elif token.operator and token.text == "2>&1":
            commands[-1].redirects.append(Redirect("2>&1", ""))
        elif token.operator:
            target = next(iterator, None)
            if target is None or target.operator:
                shown = "newline" if target is None else target.text
                raise ShellSyntaxError(f"syntax error near unexpected token `{shown}'")
            commands[-1].redirects.append(Redirect(token.text, target.text))
        else:
            commands[-1].words.append(token.text)
            commands[-1].patterns.append(token.pattern)
    if not commands[-1].words and not commands[-1].redirects:
        raise ShellSyntaxError("syntax error near unexpected token `|'")
    return commands
