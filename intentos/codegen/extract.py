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
    r"<\|(?:assistant|user|system|im_start|im_end|im_sep|end|endoftext|eot_id|eom_id|"
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
            if _looks_like_code(candidate):
                best = candidate
                break
    return best


def uncalled_functions(code: str) -> list[str]:
    """Top-level functions that nothing in the code calls."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return [name for name in defined if name not in called]


def _parameters_required(code: str, name: str) -> bool:
    tree = ast.parse(code)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            arguments = node.args
            required = len(arguments.args) - len(arguments.defaults)
            return required > 0 or any(d is None for d in arguments.kw_defaults)
    return False


def extract(text: str) -> Extraction:
    cleaned = strip_debris(text)
    blocks = [body for label, body in fenced_blocks(cleaned) if label in PYTHON_LABELS]
    notes: list[str] = []
    if blocks:
        code = "\n\n".join(block.strip("\n") for block in blocks if block.strip())
        if len(blocks) > 1:
            notes.append(f"joined {len(blocks)} code blocks in order")
    else:
        code = _unfenced_code(cleaned)
        if code and code != cleaned.strip("\n"):
            notes.append("the reply had no code fence; used the part that is Python")
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
