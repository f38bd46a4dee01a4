"""The GBNF grammar of ``code+grammar`` mode: the Python the static check admits, one fenced block.

The grammar is the syntactic half of :mod:`intentos.codegen.check`; what only the names in
scope decide (is ``x`` defined?) stays with the check. It admits:

* statements one per line, indented by four spaces: assignment (to names, tuples of names and
  items), augmented assignment to a *name* (``total += x``; the check refuses ``d[k] += x``),
  expression statements (``items.append(x)``), ``if``/``elif``/``else``, ``for``, ``while``,
  ``try``/``except``/``finally``, ``return``, ``raise``, ``assert``, ``del``, ``pass``,
  ``break``, ``continue``, ``def``, comments, and a simple statement after a colon;
* expressions: operators, ``not``, conditional expressions, ``lambda``, calls with keyword
  and ``*``/``**`` arguments, items and slices, list/dict/set displays and comprehensions,
  generator arguments, tuples, strings with escapes, f-strings with conversions and format
  specs (in Python 3.11's rules: an expression inside an f-string uses the other quote),
  and brackets continued over several lines;
* calls of the profile's functions and the safe builtins only — until the workflow's first
  ``def`` or name bound to a ``lambda``; from there on a call may also name any identifier
  that is not a keyword or a forbidden name (the workflow's own functions; the check still
  refuses unknown ones);
* attributes and methods of :data:`~intentos.codegen.policy.ALL_SAFE_ATTRIBUTES` only.

* ``import`` and ``from ... import`` of the policy's modules and names
  (:data:`~intentos.codegen.policy.IMPORTABLE`), whose names may then be called.

It refuses what the check refuses on syntax alone: other imports, classes, ``global``, async code,
names and attributes starting with ``_``, other attributes, ``str.format``, calling anything
but a name or a method, and augmented assignment to an item. Every reference and alternative
workflow of every suite is admitted (``tests/test_grammar.py``, with :mod:`.gbnf`).

Rules that contain calls exist in two *families*: ``-k`` (known functions only) and ``-a``
(any allowed name, after a ``def``); expression rules exist once more per quoting context
(``n`` plain, ``d`` inside ``f"..."``, ``s`` inside ``f'...'``).
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Iterable

from intentos.api.registry import ApiFunction
from intentos.codegen.policy import (
    ALL_SAFE_ATTRIBUTES,
    FORBIDDEN_NAMES,
    IMPORTABLE,
    SAFE_BUILTINS,
)

_IDENTIFIER_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
# Never called by a workflow's own functions: Python's keywords and the forbidden names.
NOT_CALLABLE: frozenset[str] = frozenset(keyword.kwlist) | frozenset(FORBIDDEN_NAMES)


def prefix_tree(words: Iterable[str]) -> str:
    """The GBNF alternatives for ``words`` factored by common prefixes
    (``"find_" ("file" | "contact_id")``): llama.cpp keeps one parse stack per alternative
    that still matches, so a flat list of 40 names made grammar sampling 3x slower."""
    unique = set(words)
    groups: dict[str, list[str]] = {}
    for word in sorted(unique - {""}):
        groups.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for first, after_first in groups.items():
        prefix, rests = first, after_first
        while "" not in rests and len({rest[0] for rest in rests}) == 1:
            prefix += rests[0][0]
            rests = [rest[1:] for rest in rests]
        tail = prefix_tree(rests)
        alternatives.append(json.dumps(prefix) + (f" {tail}" if tail else ""))
    if not alternatives:
        return ""
    body = " | ".join(alternatives)
    if "" in unique:
        return f"({body})?"
    return f"({body})" if len(alternatives) > 1 else body


def _char_class(chars: Iterable[str]) -> str:
    """``[...]`` for ``chars``, runs of three or more written as ranges (``a-f``)."""
    runs: list[list[int]] = []
    for code in sorted({ord(char) for char in chars}):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(_run(low, high) for low, high in runs) + "]"


def _run(low: int, high: int) -> str:
    if high - low < 2:
        return "".join(chr(code) for code in range(low, high + 1))
    return f"{chr(low)}-{chr(high)}"


def identifier_except(words: Iterable[str]) -> str:
    """GBNF for the identifiers (a letter, then letters, digits and ``_``) that are none of
    ``words``. Deterministic: at every character one alternative at most can continue."""
    return _not_in({word for word in words if word}, _IDENTIFIER_CHARS[:52])


def _not_in(suffixes: set[str], allowed: str) -> str:
    """Non-empty strings of ``allowed`` then identifier characters, not in ``suffixes``."""
    firsts = {suffix[0] for suffix in suffixes if suffix and suffix[0] in allowed}
    options: list[str] = []
    free = [char for char in allowed if char not in firsts]
    if free:
        options.append(f"{_char_class(free)} name-rest")
    for first in sorted(firsts):
        rests = {suffix[1:] for suffix in suffixes if suffix.startswith(first)}
        tail = _not_in(rests, _IDENTIFIER_CHARS)
        # after the prefix: stop (unless a word ends here) or go on to a non-word
        options.append(f'"{first}" {tail}' if "" in rests else f'"{first}" {tail}?')
    return "(" + " | ".join(options) + ")"


_STATEMENTS = r"""
line-C      ::= indent (stmt-C comment? | comment) "\n" | "\n"
stmt-C      ::= simple-C | compound-C
compound-C  ::= ("if " | "elif " | "while ") expr-C-n ":" inline-C? | "else:" inline-C? |
                "try:" | "finally:" | "for " targets-C " in " exprs-C ":" inline-C? |
                "except" (" " expr-C-n (" as " name)?)? ":" inline-C?DEF
inline-C    ::= " " simple-C
simple-C    ::= "pass" | "break" | "continue" | "return" (" " exprs-C)? |
                "raise" (" " expr-C-n (" from " expr-C-n)?)? | "assert " expr-C-n (", " expr-C-n)? |
                "del " targets-C | targets-C " = " exprs-C | name " " augop " " expr-C-n |
                import | expr-C-n
targets-C   ::= target-C (", " target-C)* ","? | "(" target-C (", " target-C)* ","? ")"
target-C    ::= name ("[" subscript-C-n "]")* | "(" target-C (", " target-C)* ")"
exprs-C     ::= expr-C-n (", " expr-C-n)* ","?
"""

# A workflow's own function; calls of any allowed name are admitted from its first def (or
# name bound to a lambda) on.
_DEF = r"""
def-a       ::= "def " name "(" params-a-n? ")" (" -> " expr-a-n)? ":" inline-a?
"""

_EXPRESSIONS = r"""
expr-C-Q      ::= lambda-C-Q | disj-C-Q (" if " disj-C-Q " else " expr-C-Q)?
lambda-C-Q    ::= "lambda" (" " params-C-Q)? ": " expr-C-Q
params-C-Q    ::= param-C-Q (", " param-C-Q)*
param-C-Q     ::= ("*" | "**")? name (": " disj-C-Q)? (" = " expr-C-Q | "=" expr-C-Q)?
disj-C-Q      ::= operand-C-Q (binop operand-C-Q)*
operand-C-Q   ::= ("not " | "-" | "+")* primary-C-Q
primary-C-Q   ::= atom-C-Q trailer-C-Q*
atom-C-Q      ::= call-C-Q | name | number | string-C-Q | list-C-Q | brace-C-Q | paren-C-Q
call-C-Q      ::= callee-C "(" args-C-Q? ")"
trailer-C-Q   ::= "[" subscript-C-Q "]" | "." attribute ("(" args-C-Q? ")")?
subscript-C-Q ::= expr-C-Q (":" slice-C-Q)? | ":" slice-C-Q
slice-C-Q     ::= expr-C-Q? (":" expr-C-Q?)?
args-C-Q      ::= open (expr-C-Q (comp-C-Q | (comma arg-C-Q)*) | named-C-Q (comma arg-C-Q)*) close
arg-C-Q       ::= expr-C-Q | named-C-Q
named-C-Q     ::= name "=" expr-C-Q | ("*" | "**") expr-C-Q
list-C-Q      ::= "[" (open expr-C-Q (comp-C-Q | (comma expr-C-Q)*) close)? "]"
brace-C-Q     ::= "{" (open item-C-Q (comp-C-Q | (comma item-C-Q)*) close)? "}"
item-C-Q      ::= expr-C-Q (": " expr-C-Q)? | "**" expr-C-Q
paren-C-Q     ::= "(" (open expr-C-Q (comp-C-Q | (comma expr-C-Q)*) close)? ")"
comp-C-Q      ::= (" for " targets-C " in " disj-C-Q (" if " disj-C-Q)*)+
"""

_STRINGS = r"""
string-C-n  ::= dq | sq | fd-C | fs-C
string-C-d  ::= sq-plain
string-C-s  ::= dq-plain
fd-C        ::= "f\"" ([^"{}\\\n] | escape | "{{" | "}}" | "{" expr-C-d conv? spec-d? "}")* "\""
fs-C        ::= "f'" ([^'{}\\\n] | escape | "{{" | "}}" | "{" expr-C-s conv? spec-s? "}")* "'"
"""

_SHARED = r"""
indent    ::= ("    ")*
comment   ::= " "* "#" [^\n]*
augop     ::= "+=" | "-=" | "*=" | "/=" | "//=" | "%=" | "**=" | "|=" | "&=" | "^="
binop     ::= " " (symbol | "and" | "or" | "in" | "not in" | "is" | "is not") " " | symbol
symbol    ::= "+" | "-" | "*" | "/" | "//" | "%" | "**" | "==" | "!=" | "<" | ">" | "<=" |
              ">=" | "|" | "&" | "^"
open      ::= ("\n" " "*)?
comma     ::= "," (" " | "\n" " "*)
close     ::= ","? ("\n" " "*)?
name      ::= [a-zA-Z] name-rest | "_"
name-rest ::= [a-zA-Z0-9_]*
number    ::= [0-9]+ ("." [0-9]+)? ([eE] "-"? [0-9]+)?
dq        ::= "\"" ([^"\\\n] | escape)* "\""
sq        ::= "'" ([^'\\\n] | escape)* "'"
dq-plain  ::= "\"" [^"\\\n{}]* "\""
sq-plain  ::= "'" [^'\\\n{}]* "'"
escape    ::= "\\" [^\n]
conv      ::= "!" [rsa]
spec-d    ::= ":" [^{}"\\\n]*
spec-s    ::= ":" [^{}'\\\n]*
"""


def _imports() -> str:
    """``import datetime as dt``, ``from datetime import datetime, timedelta``: the policy's
    modules and names only."""
    modules = " | ".join(f'"{module}"' for module in sorted(IMPORTABLE))
    named = '{}-name (" as " name)?'
    froms = " |\n              ".join(
        f'"from {module} import " {named.format(module)} (", " {named.format(module)})*'
        for module in sorted(IMPORTABLE)
    )
    rules = [
        f'import    ::= "import " module (" as " name)? (", " module (" as " name)?)* |\n'
        f"              {froms}",
        f"module    ::= {modules}",
    ]
    rules += [f"{module}-name ::= {prefix_tree(names)}" for module, names in IMPORTABLE.items()]
    return "\n".join(rules)


def _family(text: str, calls: str, quote: str = "n") -> str:
    return text.replace("-C", f"-{calls}").replace("-Q", f"-{quote}")


def python_grammar(functions: Iterable[ApiFunction]) -> str:
    """The GBNF grammar for workflows over ``functions`` (see the module docstring)."""
    imported = frozenset().union(*IMPORTABLE.values())  # the check decides if they were
    known = [function.name for function in functions] + sorted(
        (SAFE_BUILTINS - {"True", "False", "None"}) | imported
    )
    # llama.cpp ends a top-level rule at a newline unless the line ends with "|" (a line that
    # starts with "|" is a parse error), so long rules break after their "|". Repetitions are
    # unbounded: llama.cpp expands x{0,400} into 400 nested rules, which made sampling take
    # minutes per answer; the sandbox's argument caps bound sizes anyway.
    parts = [
        'root      ::= "```python\\n" (line-k+ defs? | defs) "```"',
        'defs      ::= indent (def-a | name " = " lambda-a-n) comment? "\\n" line-a*',
        f"callee-k  ::= {prefix_tree(known)}",
        f"callee-a  ::= {identifier_except(NOT_CALLABLE)}",
        f"attribute ::= {prefix_tree(ALL_SAFE_ATTRIBUTES)}",
        _imports(),
        _family(_STATEMENTS.replace("DEF", ""), "k"),
        _family(_STATEMENTS.replace("DEF", " |\n                def-a"), "a"),
        _DEF,
    ]
    parts += [_family(_EXPRESSIONS, calls, quote) for calls in "ka" for quote in "nds"]
    parts += [_family(_STRINGS, calls) for calls in "ka"]
    parts.append(_SHARED)
    return "\n".join(part.strip() for part in parts)
