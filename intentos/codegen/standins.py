"""Values a workflow admits it made up: ``flight = datetime(2026, 4, 15)  # Example date``.

Asked "How many days until my flight to Boston?", a small model may write the flight's date
as a literal and say so in a comment ("Example date, replace with actual flight date"). The
workflow runs, prints a confident number and is wrong; nothing in its result shows that the
date was invented. The comment does, so the static check refuses such an assignment before
anything runs and says where the real value is to be found.

An assignment is refused when its value is made only of literals (a number, a text, a list
of them, ``datetime(2026, 4, 15)``) and the comment on its line, or a comment line right above
it, calls the value a stand-in (:data:`STAND_IN_WORDS`). A literal with any other comment
(``limit = 3  # at most three``) and a looked-up value with any comment are left alone.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

# What a comment says of a value that is not the person's: words of policy, parametrised over
# by the tests.
STAND_IN_WORDS = (
    "example",
    "sample",
    "dummy",
    "placeholder",
    "hypothetical",
    "fake",
    "made up",
    "made-up",
    "replace with",
    "replace this",
    "replace it",
    "assume we have",
    "assuming we have",
    "for demonstration",
    "for illustration",
)
_STAND_IN = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in STAND_IN_WORDS) + r")", re.IGNORECASE
)
# Calls that build a literal value from literals.
_BUILDERS = frozenset({"datetime", "date", "time", "timedelta", "list", "dict", "tuple", "set"})

WHERE_TO_LOOK = (
    "look the real value up on the device (find_events, find_files and read_file, "
    "search_emails, list_reminders, find_contacts ...) or ask the person with ask_question(); "
    "if it is nowhere, tell the person what is missing"
)


def stand_ins(code: str, tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, message)`` for each assignment of a literal that a comment calls a stand-in."""
    trailing, whole_lines = _comments(code)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        said = trailing.get(node.lineno) or whole_lines.get(node.lineno - 1, "")
        if not _literal(node.value) or _STAND_IN.search(said) is None:
            continue
        found.append(
            (
                node.lineno,
                f"`{ast.unparse(node)}` is a made-up value (the comment says {said!r}), not the "
                f"person's; {WHERE_TO_LOOK}",
            )
        )
    return found


def _comments(code: str) -> tuple[dict[int, str], dict[int, str]]:
    """The comments after code on a line, and the comments that are a line of their own, by
    line number."""
    trailing: dict[int, str] = {}
    whole_lines: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                text = token.string.lstrip("#").strip()
                alone = token.line.lstrip().startswith("#")
                (whole_lines if alone else trailing)[token.start[0]] = text
    except (tokenize.TokenError, SyntaxError):  # the code parsed, so this is not expected
        return {}, {}
    return trailing, whole_lines


def _literal(value: ast.expr) -> bool:
    """A value written out in the code, with no name, look-up or arithmetic on other values."""
    if isinstance(value, ast.Constant):
        return value.value is not None and not isinstance(value.value, bool)
    if isinstance(value, ast.UnaryOp) and isinstance(value.operand, ast.Constant):
        return True
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return bool(value.elts) and all(_literal(item) for item in value.elts)
    if isinstance(value, ast.Dict):
        return bool(value.values) and all(_literal(item) for item in value.values)
    if isinstance(value, ast.Call):
        name = value.func.id if isinstance(value.func, ast.Name) else None
        if isinstance(value.func, ast.Attribute):
            name = value.func.attr
        arguments = [*value.args, *(keyword.value for keyword in value.keywords)]
        return name in _BUILDERS and bool(arguments) and all(_literal(a) for a in arguments)
    return False
