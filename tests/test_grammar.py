"""The code grammar admits what the static check admits and refuses what it refuses on syntax;
checked with the pure-Python GBNF recogniser (intentos.pipeline.gbnf), no model needed."""

from __future__ import annotations

import keyword
import random

import pytest

from intentos.api.registry import default_registry
from intentos.bench.suite import available_suites, load_suite
from intentos.codegen.check import check
from intentos.codegen.policy import FORBIDDEN_NAMES
from intentos.pipeline.gbnf import GrammarError, accepts, parse
from intentos.pipeline.grammar import NOT_CALLABLE, identifier_except, python_grammar


def grammar_for(profile: str) -> str:
    return python_grammar(default_registry().table(profile).values())


def fenced(code: str) -> str:
    return "```python\n" + code.rstrip("\n") + "\n```"


def workflows(suite_name: str) -> list[tuple[str, str]]:
    suite = load_suite(suite_name)
    return [
        (f"{case.id}#{index}", code)
        for case in suite.cases
        for index, code in enumerate([case.reference, *case.alternatives])
    ]


@pytest.mark.parametrize("suite_name", available_suites())
def test_every_workflow_of_every_suite_is_admitted(suite_name: str) -> None:
    grammar = grammar_for(load_suite(suite_name).profile)
    refused = [name for name, code in workflows(suite_name) if not accepts(grammar, fenced(code))]
    assert refused == [], f"the {suite_name} grammar refuses: {refused}"


# What the check admits and the grammar must admit too (profile full).
ADMITTED = [
    "def tell():\n    t = get_temperature()\n    return t\n\nprint(tell())\n",
    "def add(a, b=1):\n    return a + b\n\nprint(add(2))\n",
    *(
        f"total = 0\ntotal {op} 2\nprint(total)\n"
        for op in ("+=", "-=", "*=", "/=", "//=", "%=", "**=", "|=", "&=", "^=")
    ),
    'songs = sorted(find_songs("jazz"), key=lambda s: s["title"])\nprint(len(songs))\n',
    'print(", ".join(s["title"] for s in find_songs("jazz")))\n',
    'n = get_temperature()\nprint("warm" if n > 20 else "cold")\n',
    'n = get_temperature()\nprint(f"{n:.1f} degrees, {n!r}, {{literal}}")\n',
    "print(f\"{find_songs('x')[0]['title']}\")\n",
    'send_email(\n    "a@b.example",\n    "Hi",\n    "Line one\\nLine two",\n)\n',
    "items = [1, 2]\nitems.append(3)\nfirst, rest = items[0], items[1:]\nprint(items[::-1])\n",
    "for i, (a, b) in enumerate([(1, 2)]):\n    print(i, a, b)\n",
    "try:\n    x = 1 / 0\nexcept ZeroDivisionError as exc:\n    print(exc.args)\nfinally:\n    pass\n",
    'counts = {}\nfor w in "a b a".split():\n    counts[w] = counts.get(w, 0) + 1\nprint(counts)\n',
    "x = {n: n * n for n in range(3) if n}\nassert x, 'empty'\ndel x[1]\n",
    "if True: print('one line')\n",
    "# a comment\nprint(1)  # another\n",
    'known = lambda a: a in ("x", "y")\nprint(known("x"))\n',
    'def helper(v):\n    return v\n\nhelper(1)\nraise ValueError("no")\n',
    "import datetime\nprint(datetime.datetime.now().strftime('%A'))\n",
    "import datetime as dt, math\nprint(math.ceil(dt.date.today().day / 7))\n",
    "from datetime import datetime as d, timedelta\nprint((d.now() + timedelta(days=1)).day)\n",
    "for _ in range(2):\n    print(1)\n",
]

# What the check refuses on syntax alone, and the grammar must refuse too.
REFUSED = [
    "import os\nprint(1)\n",
    "from os import path\nprint(1)\n",
    "import os\n",
    "import datetime.sys\n",
    "from datetime import sys\n",
    "from math import factorial\n",
    "class A:\n    pass\n",
    "def f():\n    global x\n    x = 1\n\nf()\n",
    "_x = 1\nprint(_x)\n",
    "x = 'a'\nprint(x.__class__)\n",
    'print("{}".format(1))\n',
    'd = {"a": 1}\nd["a"] += 1\n',
    "x = [1]\nx.foo()\n",
    "os_system('ls')\n",
    "print(eval('1'))\n",
    "def f():\n    return 1\n\nprint(eval('1'))\n",
    "def f():\n    return 1\n\nopen('x')\n",
    "x = [print]\nx[0]()\n",
    "async def f():\n    pass\n",
    'print(f"{\'a\'}")\nprint(f"{"a"}")\n',  # Python 3.11: same quote inside an f-string
]


@pytest.mark.parametrize("code", ADMITTED)
def test_what_the_check_admits_the_grammar_admits(code: str) -> None:
    assert check(code, default_registry().table("full")).ok, code
    assert accepts(grammar_for("full"), fenced(code)), code


@pytest.mark.parametrize("code", REFUSED)
def test_what_the_check_refuses_the_grammar_refuses(code: str) -> None:
    assert not check(code, default_registry().table("full")).ok, code
    assert not accepts(grammar_for("full"), fenced(code)), code


def test_known_functions_only_until_the_first_def() -> None:
    grammar = grammar_for("paper2")
    assert not accepts(grammar, fenced("send_sms('1', 'hi')\n"))
    assert accepts(grammar, fenced("def greet():\n    print('hi')\n\ngreet()\n"))


def test_identifiers_except_words() -> None:
    words = sorted(NOT_CALLABLE)
    grammar = f"root ::= {identifier_except(words)}\nname-rest ::= [a-zA-Z0-9_]*"
    rng = random.Random(7)
    letters = "abcdefilmnoprstvxyz_9"
    samples = set(words) | {w + c for w in words for c in "s_1"} | {w[:-1] for w in words}
    samples |= {"".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(300)}
    for sample in sorted(samples):
        expected = sample[0].isalpha() and sample not in NOT_CALLABLE
        assert accepts(grammar, sample) == expected, sample
    assert {"eval", "open", "import", "lambda"} <= NOT_CALLABLE
    assert set(FORBIDDEN_NAMES) | set(keyword.kwlist) == NOT_CALLABLE


def test_the_recogniser_reads_gbnf() -> None:
    grammar = r"""
root ::= greeting (", " name)+ "!"? # a comment
greeting ::= "hi" |
             "hello"
name ::= [A-Z] [a-z]{1,3}
"""
    assert accepts(grammar, "hi, Al, Bob!")
    assert accepts(grammar, "hello, Ann")
    assert not accepts(grammar, "hi, Alice")  # at most three lower-case letters
    assert not accepts(grammar, "hey, Al")
    assert accepts('root ::= [^"\\n]* "\\n"', "any text\n")
    with pytest.raises(GrammarError, match="undefined rule"):
        parse("root ::= missing")
    with pytest.raises(GrammarError, match="left-recursive"):
        accepts('root ::= root "a" | "a"', "aa")
