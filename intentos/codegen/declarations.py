"""Declarations a model writes that change nothing: type annotations and API stubs.

Small models copy the function table into their workflow. They annotate with the table's
record names (``def pick(events: list[CalendarEvent]) -> str``, ``found: Email = ...``) and
restate API functions as stubs (``def search_emails(query: str) -> list[Email]: pass``).
Neither changes what the workflow means, yet both made it fail: the record names are not
defined in a workflow, RestrictedPython refuses annotated assignments, and a stub hides the
API function it restates, so the workflow calls a function that does nothing.

:func:`without_declarations` drops both from a parsed workflow; every other node keeps its
line, so errors still name the model's lines. The static check and the sandbox both use it,
so what is checked is what runs.
"""

from __future__ import annotations

import ast
from collections.abc import Collection


def is_stub(function: ast.FunctionDef) -> bool:
    """A body that does nothing: ``pass``, ``...``, a docstring, ``raise NotImplementedError``."""
    return does_nothing(function.body)


def does_nothing(statements: list[ast.stmt]) -> bool:
    """True for no statements or only ones that do nothing (a comment leaves no statement)."""
    return all(_does_nothing(statement) for statement in statements)


def _does_nothing(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return statement.value.value is Ellipsis or isinstance(statement.value.value, str)
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
    return False


class _Undeclare(ast.NodeTransformer):
    def __init__(self, api: Collection[str]) -> None:
        self.api = set(api)

    def visit_Module(self, node: ast.Module) -> ast.Module:
        node.body = [
            statement
            for statement in node.body
            if not (
                isinstance(statement, ast.FunctionDef)
                and statement.name in self.api
                and is_stub(statement)
            )
        ]
        self.generic_visit(node)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.returns = None
        self.generic_visit(node)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.annotation = None
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.stmt:
        if node.value is None:  # `name: Type` alone declares and does nothing
            return ast.copy_location(ast.Pass(), node)
        assign = ast.Assign(targets=[node.target], value=node.value)
        return ast.copy_location(self.generic_visit(assign), node)  # type: ignore[return-value]


def without_declarations(tree: ast.Module, api: Collection[str]) -> ast.Module:
    """``tree`` (changed in place) without annotations and without top-level stubs of the API
    functions ``api``; a module left empty gets a ``pass``."""
    cleaned = _Undeclare(api).visit(tree)
    assert isinstance(cleaned, ast.Module)
    if not cleaned.body:
        cleaned.body = [ast.Pass(lineno=1, col_offset=0, end_lineno=1, end_col_offset=0)]
    return ast.fix_missing_locations(cleaned)


def parse_workflow(code: str, api: Collection[str]) -> ast.Module:
    """The workflow as the check and the sandbox read it; raises SyntaxError like ast.parse."""
    return without_declarations(ast.parse(code), api)
