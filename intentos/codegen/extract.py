"""Find the workflow in what a model wrote.

Models wrap code in fences (```python, ```python3, ```py, bare ```), sometimes in several
blocks, sometimes with no fence at all, and sometimes leave chat-template tokens such as
``<|assistant|>`` or ``<|im_end|>`` behind. :func:`extract` removes the debris, joins every
Python block in order, and when the code defines a function it never calls (a failure the
papers saw), appends the call and says so in ``notes``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

# Chat-template and special tokens that leak into completions.
DEBRIS = re.compile(
    r"<\|im_start\|>(?:assistant|user|system)?|<\|start_header_id\|>\w*<\|end_header_id\|>"
    r"|<\|(?:assistant|user|system|im_start|im_end|im_sep|end|endoftext|eot_id|eom_id|"
    r"start_header_id|end_header_id|begin_of_text|end_of_text|file_separator|fim_\w+)\|>"
    r"|</?s>|\[/?INST\]|<end_of_turn>|<start_of_turn>(?:model|user)?",
    re.IGNORECASE,
)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)
PYTHON_LABELS = frozenset({"", "python", "python3", "py", "py3", "python 3"})


@dataclass
class Extraction:
    """The code found (empty if none), how many blocks it came from, and what was done."""

    code: str
    blocks: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.code.strip())


def strip_debris(text: str) -> str:
    return DEBRIS.sub("", text)


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """``(label, body)`` of every fenced block; an unclosed last fence runs to the end."""
    blocks: list[tuple[str, str]] = []
    position = 0
    while True:
        opening = FENCE.search(text, position)
        if opening is None:
            return blocks
        marker, label = opening.group(1), opening.group(2).lower()
        closing = re.compile(rf"^[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.M)
        end = closing.search(text, opening.end())
        body_end = end.start() if end else len(text)
        blocks.append((label, text[opening.end() + 1 : body_end]))
        if end is None:
            return blocks
        position = end.end()


def _looks_like_code(text: str) -> bool:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    return any(
        not isinstance(node, ast.Expr) or isinstance(node.value, ast.Call) for node in tree.body
    )


def _unfenced_code(text: str) -> str:
    """The longest run of lines that parses as Python, for replies without fences."""
    if _looks_like_code(text):
        return text.strip("\n")
    lines = text.splitlines()
    best = ""
    for start in range(len(lines)):
        if not lines[start].strip() or lines[start][0] in " \t":
            continue
        for end in range(len(lines), start, -1):
            candidate = "\n".join(lines[start:end]).strip("\n")
            if len(candidate) <= len(best):
                break
            if _parses(candidate):
                # Shorter runs from here parse into a subset of these statements: stop either way.
                if _looks_like_code(candidate):
                    best = candidate
                break
    return best


def uncalled_functions(code: str) -> list[str]:
    """Top-level functions that nothing in the code calls or uses as a value (``key=by_name``)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    used = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    return [name for name in defined if name not in used]


def _parameters_required(code: str, name: str) -> bool:
    tree = ast.parse(code)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            arguments = node.args
            positional = [*arguments.posonlyargs, *arguments.args]
            required = len(positional) - len(arguments.defaults)
            return required > 0 or any(d is None for d in arguments.kw_defaults)
    return False


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _top_level_calls(code: str) -> set[str]:
    """Names of functions called by a statement of the module itself."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return set()
    return {
        node.value.func.id
        for node in tree.body
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
    }


def _only_repeats(block: str, called: set[str]) -> bool:
    """A block of nothing but calls already made (an "Example usage" block)."""
    try:
        tree = ast.parse(block)
    except (SyntaxError, ValueError):
        return False
    return bool(tree.body) and all(
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in called
        for node in tree.body
    )


def _join_blocks(blocks: list[tuple[str, str]], notes: list[str]) -> str:
    """Join the Python blocks in order. A bare block that is not Python (example output) and a
    block that only repeats calls already made are left out, with a note."""
    parts: list[str] = []
    for index, (label, text) in enumerate(blocks, 1):
        body = _unguard_main(text.strip("\n"), notes)
        if not body.strip():
            continue
        if label == "" and not _parses(body):
            notes.append(f"left out block {index}: it is not Python")
            continue
        if parts and _only_repeats(body, _top_level_calls("\n\n".join(parts))):
            notes.append(f"left out block {index}: it only repeats a call already made")
            continue
        parts.append(body)
    if len(parts) > 1:
        notes.append(f"joined {len(parts)} code blocks in order")
    return "\n\n".join(parts)


_MAIN_GUARD = re.compile(
    r"""^if\s+(?:__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__)\s*:\s*$"""
)


def _unguard_main(code: str, notes: list[str]) -> str:
    """Replace ``if __name__ == "__main__":`` by its body: a workflow is always "main"."""
    lines = code.split("\n")
    for index, line in enumerate(lines):
        if not _MAIN_GUARD.match(line):
            continue
        body = lines[index + 1 :]
        end = next(
            (i for i, b in enumerate(body) if b.strip() and len(b) - len(b.lstrip()) == 0),
            len(body),
        )
        indents = [len(b) - len(b.lstrip()) for b in body[:end] if b.strip()]
        if not indents:
            return code
        width = min(indents)
        unguarded = [b[width:] if b.strip() else b for b in body[:end]]
        notes.append('removed the `if __name__ == "__main__":` guard and ran its body')
        return "\n".join([*lines[:index], *unguarded, *body[end:]])
    return code


def extract(text: str) -> Extraction:
    text = text.replace("\r\n", "\n")
    cleaned = strip_debris(text)
    blocks = [(label, body) for label, body in fenced_blocks(cleaned) if label in PYTHON_LABELS]
    notes: list[str] = []
    if blocks:
        code = _join_blocks(blocks, notes)
    else:
        code = _unfenced_code(cleaned)
        if code and code != cleaned.strip("\n"):
            notes.append("the reply had no code fence; used the part that is Python")
        code = _unguard_main(code, notes)
    if cleaned != text:
        notes.append("removed chat-template tokens")
    extraction = Extraction(code=code, blocks=len(blocks), notes=notes)
    _call_uncalled_entry(extraction)
    return extraction


def _call_uncalled_entry(extraction: Extraction) -> None:
    uncalled = uncalled_functions(extraction.code)
    if not uncalled:
        return
    entry = uncalled[-1]
    if _parameters_required(extraction.code, entry):
        extraction.notes.append(f"{entry}() is defined but never called and needs arguments")
        return
    extraction.code = f"{extraction.code.rstrip()}\n\n{entry}()\n"
    extraction.notes.append(f"{entry}() was defined but never called; intentos called it")
