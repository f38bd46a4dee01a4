"""A small recogniser for GBNF grammars (llama.cpp's grammar format), in pure Python.

llama.cpp tells whether a grammar *parses* but not, without a model and its vocabulary, which
texts it admits. :func:`accepts` answers that: it parses the subset of GBNF intentos writes
(rules, string literals, character classes with ranges and ``^``, groups, alternatives,
``*``, ``+``, ``?``, ``{m,n}``, ``#`` comments) and decides whether a whole text is in the
language. It computes, for each rule and start position, the set of positions a match can end
at (memoised), so ambiguity costs little and no backtracking is exponential; left recursion,
which intentos' grammars do not use, is refused. Tests use it to prove the code grammar admits
every workflow of every suite (``tests/test_grammar.py``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from intentos.errors import IntentosError


class GrammarError(IntentosError):
    """The grammar text is not GBNF this recogniser understands."""


# -- the grammar as nodes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class CharClass:
    ranges: tuple[tuple[str, str], ...]
    negated: bool

    def admits(self, char: str) -> bool:
        inside = any(low <= char <= high for low, high in self.ranges)
        return inside != self.negated


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Choice:
    options: tuple[Node, ...]


@dataclass(frozen=True)
class Repeat:
    item: Node
    least: int
    most: int | None  # None: unbounded


Node = Literal | CharClass | Ref | Sequence | Choice | Repeat

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "[": "[", "]": "]", "-": "-"}
_NAME = re.compile(r"[a-zA-Z0-9-]+")
_RULE_START = re.compile(r"^([a-zA-Z0-9-]+)\s*::=", re.MULTILINE)


@dataclass
class _Reader:
    text: str
    at: int = 0

    def skip_space(self, newlines: bool) -> None:
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "#":
                end = self.text.find("\n", self.at)
                self.at = len(self.text) if end < 0 else end
            elif char in " \t" or (newlines and char in "\r\n"):
                self.at += 1
            else:
                return

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def char(self) -> str:
        """One character of a literal or class, escapes decoded."""
        char = self.text[self.at]
        self.at += 1
        if char != "\\":
            return char
        code = self.text[self.at]
        self.at += 1
        if code == "x":
            value = chr(int(self.text[self.at : self.at + 2], 16))
            self.at += 2
            return value
        if code not in _ESCAPES:
            raise GrammarError(f"unknown escape \\{code} at {self.at}")
        return _ESCAPES[code]

    def fail(self, what: str) -> GrammarError:
        line = self.text.count("\n", 0, self.at) + 1
        return GrammarError(f"line {line}: {what} (at {self.text[self.at : self.at + 20]!r})")


def parse(grammar: str) -> dict[str, Node]:
    """The rules of ``grammar`` by name."""
    rules: dict[str, Node] = {}
    starts = list(_RULE_START.finditer(grammar))
    if not starts:
        raise GrammarError("no rules (a rule is `name ::= ...`)")
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(grammar)
        reader = _Reader(grammar[:end], start.end())
        node = _alternatives(reader, depth=0)
        reader.skip_space(newlines=True)
        if reader.at != end:
            raise reader.fail(f"rule {start[1]}: unexpected text")
        if start[1] in rules:
            raise GrammarError(f"rule {start[1]} is defined twice")
        rules[start[1]] = node
    missing = sorted({ref for node in rules.values() for ref in _refs(node)} - set(rules))
    if missing:
        raise GrammarError(f"undefined rule(s): {', '.join(missing)}")
    return rules


def _alternatives(reader: _Reader, depth: int) -> Node:
    options = [_sequence(reader, depth)]
    while reader.peek() == "|":
        reader.at += 1
        options.append(_sequence(reader, depth))
    return options[0] if len(options) == 1 else Choice(tuple(options))


def _sequence(reader: _Reader, depth: int) -> Node:
    items: list[Node] = []
    while True:
        # Inside a group a newline is space; at the top it ends the rule unless a "|" came last.
        reader.skip_space(newlines=depth > 0 or not items)
        char = reader.peek()
        if char in ("", "|", ")", "\n", "\r"):
            break
        items.append(_postfix(reader, _primary(reader, depth)))
    return items[0] if len(items) == 1 else Sequence(tuple(items))


def _primary(reader: _Reader, depth: int) -> Node:
    char = reader.peek()
    if char == '"':
        reader.at += 1
        text = ""
        while reader.peek() != '"':
            if not reader.peek():
                raise reader.fail("unterminated string")
            text += reader.char()
        reader.at += 1
        return Literal(text)
    if char == "[":
        return _char_class(reader)
    if char == "(":
        reader.at += 1
        node = _alternatives(reader, depth + 1)
        reader.skip_space(newlines=True)
        if reader.peek() != ")":
            raise reader.fail("expected )")
        reader.at += 1
        return node
    match = _NAME.match(reader.text, reader.at)
    if match is None:
        raise reader.fail("expected a literal, a class, a group or a rule name")
    reader.at = match.end()
    return Ref(match[0])


def _char_class(reader: _Reader) -> CharClass:
    reader.at += 1
    negated = reader.peek() == "^"
    reader.at += negated
    ranges: list[tuple[str, str]] = []
    while reader.peek() != "]":
        if not reader.peek():
            raise reader.fail("unterminated character class")
        low = reader.char()
        high = low
        if reader.peek() == "-" and reader.text[reader.at + 1 : reader.at + 2] != "]":
            reader.at += 1
            high = reader.char()
        ranges.append((low, high))
    reader.at += 1
    return CharClass(tuple(ranges), negated)


def _postfix(reader: _Reader, node: Node) -> Node:
    while True:
        char = reader.peek()
        if char and char in "*+?":
            reader.at += 1
            least, most = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
            node = Repeat(node, least, most)
        elif char == "{":
            end = reader.text.index("}", reader.at)
            low, comma, high = reader.text[reader.at + 1 : end].partition(",")
            reader.at = end + 1
            least = int(low)
            most = least if not comma else (int(high) if high.strip() else None)
            node = Repeat(node, least, most)
        else:
            return node


def _refs(node: Node) -> Iterator[str]:
    if isinstance(node, Ref):
        yield node.name
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from _refs(item)
    elif isinstance(node, Choice):
        for option in node.options:
            yield from _refs(option)
    elif isinstance(node, Repeat):
        yield from _refs(node.item)


# -- recognising ------------------------------------------------------------------------------


@dataclass
class _Matcher:
    rules: dict[str, Node]
    text: str
    memo: dict[tuple[str, int], frozenset[int]] = field(default_factory=dict)
    active: set[tuple[str, int]] = field(default_factory=set)

    def ends(self, node: Node, at: int) -> frozenset[int]:
        """Every position a match of ``node`` starting at ``at`` can end at."""
        if isinstance(node, Literal):
            found = self.text.startswith(node.text, at)
            return frozenset({at + len(node.text)}) if found else _NONE
        if isinstance(node, CharClass):
            ok = at < len(self.text) and node.admits(self.text[at])
            return frozenset({at + 1}) if ok else _NONE
        if isinstance(node, Ref):
            return self.rule(node.name, at)
        if isinstance(node, Sequence):
            current = frozenset({at})
            for item in node.items:
                current = frozenset(end for start in current for end in self.ends(item, start))
                if not current:
                    break
            return current
        if isinstance(node, Choice):
            return frozenset(end for option in node.options for end in self.ends(option, at))
        return self.repeat(node, at)

    def rule(self, name: str, at: int) -> frozenset[int]:
        key = (name, at)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            raise GrammarError(f"rule {name} is left-recursive")
        self.active.add(key)
        try:
            result = self.ends(self.rules[name], at)
        finally:
            self.active.discard(key)
        self.memo[key] = result
        return result

    def repeat(self, node: Repeat, at: int) -> frozenset[int]:
        reached: set[int] = set()
        frontier = {at}
        count = 0
        if node.least == 0:
            reached.add(at)
        while frontier and (node.most is None or count < node.most):
            count += 1
            following = {end for start in frontier for end in self.ends(node.item, start)}
            if count >= node.least:
                frontier = following - reached
                reached |= following
            else:
                frontier = following
        return frozenset(reached)


_NONE: frozenset[int] = frozenset()


@cache
def _parsed(grammar: str) -> dict[str, Node]:
    return parse(grammar)


def accepts(grammar: str, text: str, root: str = "root") -> bool:
    """Whether ``grammar`` (GBNF) admits exactly ``text``, from rule ``root``."""
    rules = _parsed(grammar)
    if root not in rules:
        raise GrammarError(f"no rule {root!r}")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        return len(text) in _Matcher(rules, text).rule(root, 0)
    finally:
        sys.setrecursionlimit(limit)
