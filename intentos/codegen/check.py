"""The static check: what a workflow may contain, decided before anything runs.

A workflow may call the functions of its API profile, the safe builtins of
:mod:`intentos.codegen.policy` and the functions it defines itself, import the modules the
policy lists (``datetime``, ``math``), and use the listed methods of strings, lists, dicts
and times. No other imports, no classes, no async code, no names or attributes starting with
``_`` (``_`` alone is a throwaway name). Two workflows that would run but can only fail the
person are refused too: one made only of comments, and one comparing a lowered text with a
literal that has capitals (``"April" in text.lower()`` is always false), and values a comment
calls made up (:mod:`intentos.codegen.standins`). Every error names the line and says what to
do instead, so a model can repair its code.
"""

from __future__ import annotations

import ast
import difflib
import re
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from RestrictedPython.compile import compile_restricted_exec

from intentos.codegen.declarations import does_nothing, without_declarations
from intentos.codegen.policy import (
    ALL_SAFE_ATTRIBUTES,
    FORBIDDEN_NAMES,
    IMPORTABLE,
    SAFE_BUILTINS,
)
from intentos.codegen.standins import stand_ins

MAX_CODE_CHARS = 20_000
_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.FloorDiv: "//=",
    ast.Mod: "%=", ast.Pow: "**=", ast.BitOr: "|=", ast.BitAnd: "&=", ast.BitXor: "^=",
}  # fmt: skip
RESTRICTED_LINE = re.compile(r"Line (\d+): ")
_IMPORTS = (
    f"a workflow may import only {' and '.join(sorted(IMPORTABLE))}; the API functions are "
    "available without an import"
)

# The 1.5B sometimes answers with comments that describe the steps ("You will need to download
# the package ...") and no statement: it would run, do nothing and tell the person nothing.
NOTHING_DONE = (
    "the workflow has no statements, only comments: it would do nothing and tell the person "
    "nothing; write the calls that fulfil the wish, or print() why it cannot be done"
)

# A text changed by one of these string methods cannot hold a literal the method would change:
# `"April's rent" in r["text"].lower()` is never true, and the workflow quietly finds nothing.
CASE_CHANGES: dict[str, Callable[[str], str]] = {
    "lower": str.lower, "casefold": str.casefold, "upper": str.upper,
}  # fmt: skip


@dataclass(frozen=True)
class CheckError:
    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclass
class CheckResult:
    errors: list[CheckError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def message(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def _bound_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def _callable_names(tree: ast.AST) -> set[str]:
    """Functions the workflow defines (``def`` statements, names bound to a lambda) or imports
    from an importable module (``from datetime import timedelta``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom) and node.module in IMPORTABLE:
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


# Words a model uses in invented function names, and the word the API uses for the same
# thing; a verb counts less than a noun when a known name is matched to an unknown one.
WORD_SYNONYMS: dict[str, str] = {
    "search": "find", "get": "find", "lookup": "find", "look": "find", "fetch": "find",
    "show": "list", "all": "list",
    "emails": "email", "mail": "email", "mails": "email", "inbox": "email",
    "files": "file", "folder": "file", "folders": "file", "directory": "file",
    "document": "file", "documents": "file", "bill": "file", "bills": "file",
    "remove": "delete", "trash": "delete", "erase": "delete",
    "contacts": "contact", "person": "contact", "people": "contact",
    "events": "event", "meeting": "event", "appointment": "event", "calendar": "event",
    "songs": "song", "music": "song", "track": "song", "reminders": "reminder",
    "notes": "note", "messages": "message", "sms": "message", "text": "message",
}  # fmt: skip
VERBS = frozenset({"find", "list", "delete", "create", "add", "send", "read", "update", "set"})


def _word(word: str) -> str:
    word = WORD_SYNONYMS.get(word, word)
    return word[:-1] if len(word) > 2 and word.endswith("s") else word


def _words(name: str) -> set[str]:
    return {_word(word) for word in name.lower().split("_") if word}


def _weight(words: set[str]) -> float:
    return sum(1.0 if word in VERBS else 2.0 for word in words)


def _likeness(name: str, candidate: str) -> tuple[float, float]:
    """How well ``candidate`` matches ``name``: the words they share (nouns weigh 2, verbs
    1) less half of the words only the candidate has, then spelling."""
    wanted, offered = _words(name), _words(candidate)
    words = _weight(wanted & offered) - _weight(offered - wanted) / 2
    return words, difflib.SequenceMatcher(None, name, candidate).ratio()


def _suggest(name: str, known: Collection[str], *, by_words: bool = False) -> str:
    """A known name for an unknown one: by spelling (``contact_ids`` → ``contact_id``), or
    for a function first by the words they share (``find_emails`` → ``search_emails``)."""
    if by_words and known:
        best = max(sorted(known), key=lambda candidate: _likeness(name, candidate))
        if _likeness(name, best)[0] >= 2:
            return f"; did you mean `{best}`?"
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


class _Checker(ast.NodeVisitor):
    def __init__(self, api: Collection[str], tree: ast.Module) -> None:
        self.api = set(api)
        self.defined = _callable_names(tree)
        self.bound = _bound_names(tree)
        self.errors: list[CheckError] = []

    def error(self, node: ast.AST, message: str) -> None:
        self.errors.append(CheckError(getattr(node, "lineno", None), message))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name not in IMPORTABLE:
                self.error(node, f"`import {alias.name}` is not allowed; {_IMPORTS}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or module not in IMPORTABLE:
            self.error(node, f"`from {'.' * node.level}{module} import` is not allowed; {_IMPORTS}")
            return
        offered = IMPORTABLE[module]
        for alias in node.names:
            if alias.name not in offered:
                self.error(
                    node,
                    f"`from {module} import {alias.name}` is not allowed; {module} offers "
                    f"{', '.join(sorted(offered))}",
                )

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name in self.api:
            self.error(
                node,
                f"`{node.name}` is an API function: call it, do not define it again "
                "(its description is all a workflow needs)",
            )
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.error(node, "classes are not allowed; use functions, dicts and lists")

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.error(node, "async code is not allowed; API functions return their result directly")

    def visit_Await(self, node: ast.Await) -> None:
        self.error(node, "async code is not allowed")

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Subscript | ast.Attribute):
            target = ast.unparse(node.target)
            operator = ast.unparse(ast.BinOp(node.target, node.op, node.value))
            self.error(
                node,
                f"`{target} {_OPERATORS.get(type(node.op), '?=')} ...` is not allowed on an "
                f"item; write `{target} = {operator}`",
            )
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.error(node, "`global` is not allowed; return values from functions instead")

    def visit_Name(self, node: ast.Name) -> None:
        name = node.id
        if name in FORBIDDEN_NAMES and name not in self.bound | self.api:
            self.error(node, f"`{name}` is not allowed: {FORBIDDEN_NAMES[name]}")
        elif name.startswith("_") and name != "_":  # `for _ in ...` is harmless
            self.error(node, f"`{name}`: names starting with '_' are not allowed")
        elif isinstance(node.ctx, ast.Load) and name not in (self.bound | self.api | SAFE_BUILTINS):
            hint = _suggest(name, self.api | self.bound | SAFE_BUILTINS)
            self.error(node, f"`{name}` is not defined{hint}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = node.attr
        if name.startswith("_"):
            self.error(node, f"`.{name}`: attributes starting with '_' are not allowed")
        elif name in {"format", "format_map"}:
            self.error(node, f"`.{name}()` is not allowed; use an f-string such as f'{{x}}'")
        elif name not in ALL_SAFE_ATTRIBUTES:
            self.error(
                node,
                f"`.{name}` is not allowed; only the fields of the API's records and the "
                "methods of strings, lists, dicts and sets can be used",
            )
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        if isinstance(function, ast.Name):
            name = function.id
            known = self.api | SAFE_BUILTINS | self.defined
            if name not in known and not name.startswith("_") and name not in FORBIDDEN_NAMES:
                if name in self.bound:
                    self.error(
                        node,
                        f"`{name}` cannot be called: only API functions, safe builtins and "
                        "functions defined in the workflow can be called",
                    )
                else:
                    hint = _suggest(name, self.api | SAFE_BUILTINS | self.defined, by_words=True)
                    self.errors.append(CheckError(node.lineno, f"`{name}` is not in the API{hint}"))
                    self.generic_visit_arguments(node)
                    return
        elif not isinstance(function, ast.Attribute):
            self.error(node, "only functions called by name (or methods) can be called")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for operator, left, right in zip(node.ops, operands, operands[1:], strict=False):
            message = _never_matches(left, operator, right)
            if message:
                self.error(node, message)
        self.generic_visit(node)

    def generic_visit_arguments(self, node: ast.Call) -> None:
        for argument in [*node.args, *node.keywords]:
            self.visit(argument)


def _never_matches(left: ast.expr, operator: ast.cmpop, right: ast.expr) -> str | None:
    """Why ``left operator right`` always gives the same answer because one side is a text
    after ``.lower()`` (or the like) and the other a literal that method would change; None
    when the comparison can go either way."""
    if isinstance(operator, ast.Eq | ast.NotEq):
        pairs = [(left, right), (right, left)]
    elif isinstance(operator, ast.In | ast.NotIn):
        pairs = [(left, right)]
    else:
        return None
    for literal, changed in pairs:
        if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
            continue
        if not (isinstance(changed, ast.Call) and isinstance(changed.func, ast.Attribute)):
            continue
        method = changed.func.attr
        change = CASE_CHANGES.get(method)
        if change is None or change(literal.value) == literal.value:
            continue
        comparison = ast.unparse(ast.Compare(left, [operator], [right]))
        outcome = "true" if isinstance(operator, ast.NotEq | ast.NotIn) else "false"
        relation = "contain" if isinstance(operator, ast.In | ast.NotIn) else "equal"
        return (
            f"`{comparison}` is always {outcome}: after .{method}() the text cannot {relation} "
            f"{ast.unparse(literal)}; write {ast.unparse(ast.Constant(change(literal.value)))}"
        )
    return None


def _calls_something_at_top_level(tree: ast.Module) -> bool:
    defs = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    others = [node for node in tree.body if not isinstance(node, ast.FunctionDef)]
    return not defs or any(
        isinstance(child, ast.Call) for node in others for child in ast.walk(node)
    )


def _restricted_error(message: str) -> CheckError:
    """RestrictedPython's messages start with ``Line N: ``; keep N as the line."""
    match = RESTRICTED_LINE.match(message)
    if match is None:
        return CheckError(None, message)
    return CheckError(int(match.group(1)), message[match.end() :])


def check(code: str, api: Collection[str]) -> CheckResult:
    """Check ``code`` against the functions ``api`` of the active profile."""
    result = CheckResult()
    if len(code) > MAX_CODE_CHARS:
        result.errors.append(
            CheckError(None, f"the workflow is longer than {MAX_CODE_CHARS} characters")
        )
        return result
    # Compiler warnings about the model's code (`x is 1`, "\d") are not the host's to print.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _check_parsed(code, api, result)
        except RecursionError:
            message = "the workflow is nested too deeply; split long expressions into steps"
            result.errors = [CheckError(None, message)]
    result.errors.sort(key=lambda error: error.line or 0)
    return result


def _check_parsed(code: str, api: Collection[str], result: CheckResult) -> None:
    try:
        written = ast.parse(code)
    except SyntaxError as exc:
        result.errors.append(CheckError(exc.lineno, f"syntax error: {exc.msg}"))
        return
    if does_nothing(written.body):
        result.errors.append(CheckError(None, NOTHING_DONE))
        return
    if not _calls_something_at_top_level(written):
        result.errors.append(
            CheckError(None, "the workflow defines functions but never calls one; call it")
        )
    result.errors.extend(CheckError(line, message) for line, message in stand_ins(code, written))
    tree = without_declarations(written, api)  # what the sandbox will run (changed in place)
    checker = _Checker(api, tree)
    checker.visit(tree)
    result.errors.extend(checker.errors)
    if result.ok:
        try:
            compiled = compile_restricted_exec(tree, "<workflow>")
        except SyntaxError as exc:  # what only the compiler sees: `return` outside a function
            result.errors.append(CheckError(exc.lineno, f"syntax error: {exc.msg}"))
            return
        result.errors.extend(_restricted_error(message) for message in compiled.errors)
