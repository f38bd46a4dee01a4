"""The static check: every rule refuses with the right line and a message that says what to do,
and ordinary workflow code passes. The policy lists in :mod:`intentos.codegen.policy` are
parametrised over directly, so a name added there is tested here."""

from __future__ import annotations

import builtins
import datetime as dt

import pytest

from intentos.api.registry import default_registry
from intentos.api.times import Timestamp
from intentos.codegen.check import (
    CASE_CHANGES,
    MAX_CODE_CHARS,
    CheckError,
    CheckResult,
    check,
)
from intentos.codegen.policy import (
    ALL_SAFE_ATTRIBUTES,
    FORBIDDEN_NAMES,
    SAFE_ATTRIBUTES,
    SAFE_BUILTINS,
    attribute_allowed,
)

# Paper 2's function table.
PAPER2 = frozenset(
    {"find_contact_id", "find_contact_email", "ask_question", "send_email", "get_temperature"}
    | {"find_files", "print", "shell", "sleep", "find_all_audio_files", "generate_random_number"}
    | {"play_audio_file", "find_file", "stop_audio_player", "query_llm", "http_get_request"}
)
# Paper 1's, which has find_file_id where paper 2 has find_file.
PAPER1 = frozenset(
    {"find_file_id", "find_contact_id", "find_contact_email", "play_voice", "ask_question"}
    | {"play_audio_file", "send_email", "receive_email", "print_screen", "get_temperature"}
    | {"shell"}
)

CAR_TITLE = """\
contact_id = find_contact_id("insurance company")
email = find_contact_email(contact_id)
car_title = find_file("car title")
send_email(email, "My car title", "Please find my car title attached.", [car_title])"""

SEND_CAR_TITLE = """\
def send_car_title():
    contact_id = find_contact_id("insurance company")
    if contact_id is None:
        print("I could not find your insurance company.")
        return
    email = find_contact_email(contact_id)
    send_email(email, "My car title", "Please find it attached.", [find_file("car title")])"""


def refused(code: str, api: frozenset[str] = PAPER2) -> CheckResult:
    result = check(code, api)
    assert not result.ok, f"accepted:\n{code}"
    assert result.message()
    return result


def assert_refused(code: str, line: int | None, *words: str, api: frozenset[str] = PAPER2) -> str:
    """Refused with an error on ``line`` whose message contains every one of ``words``."""
    result = refused(code, api)
    on_line = [error.message for error in result.errors if error.line == line]
    assert on_line, f"no error on line {line}: {result.errors}"
    matching = [m for m in on_line if all(word.lower() in m.lower() for word in words)]
    assert matching, f"{words} not in the errors on line {line}: {on_line}"
    return matching[0]


def assert_passes(code: str, api: frozenset[str] = PAPER2) -> None:
    result = check(code, api)
    assert result.ok, f"refused:\n{code}\n{result.message()}"
    assert result.errors == []
    assert result.message() == ""


# --- refusals ---------------------------------------------------------------------------------

# (code, line, words the message must contain)
Refusal = tuple[str, int | None, tuple[str, ...]]

UNKNOWN_FUNCTIONS: list[Refusal] = [
    (
        'contact = find_contact("insurance company")',
        1,
        ("`find_contact` is not in the API", "did you mean `find_contact_id`?"),
    ),
    ("print(get_temprature())", 1, ("`get_temprature`", "did you mean `get_temperature`?")),
    (
        f"{CAR_TITLE}\nsend_mail(email, 'Car title', 'Attached.', [])",
        5,
        ("`send_mail` is not in the API", "did you mean `send_email`?"),
    ),
    ("files = find_file_ids('car')", 1, ("`find_file_ids`", "did you mean `find_files`?")),
    ("print(lenght([1, 2]))", 1, ("`lenght` is not in the API", "did you mean `len`?")),
    (
        "def send_car_title():\n    print('sending')\n\nsend_car_titel()",
        4,
        ("`send_car_titel`", "did you mean `send_car_title`?"),
    ),
    ("teleport('Berlin')", 1, ("`teleport` is not in the API",)),
]

UNDEFINED_NAMES: list[Refusal] = [
    ("contact_id = find_contact_id('insurance')\nprint(contact)", 2, ("`contact` is not defined",)),
    (
        "contact_id = find_contact_id('insurance')\nprint(contact_ids)",
        2,
        ("`contact_ids` is not defined", "did you mean `contact_id`?"),
    ),
    ("send_email(email_address, 'Hi', 'Hello', [])", 1, ("`email_address` is not defined",)),
    ("for path in files:\n    print(path)", 1, ("`files` is not defined",)),
    ("print(true)", 1, ("`true` is not defined", "did you mean `True`?")),
    ("value = null", 1, ("`null` is not defined",)),
    # An API function of another profile is not there.
    ("path = find_file_id('car title')", 1, ("`find_file_id` is not in the API",)),
]

IMPORTS: list[Refusal] = [
    ("import os\nprint(os.listdir('.'))", 1, ("`import os` is not allowed",)),
    ("from subprocess import run\nrun(['ls'])", 1, ("`from subprocess import` is not allowed",)),
    ("print('start')\nimport os.path as osp", 2, ("`import os.path` is not allowed",)),
    ("def main():\n    import json\n    print(json)\n\nmain()", 2, ("`import json`",)),
    ("from os import *", 1, ("may import only datetime and math", "API functions are available")),
    ("from datetime import *", 1, ("`from datetime import *`", "datetime offers date")),
    ("import datetime, time", 1, ("`import time` is not allowed",)),
]

UNDERSCORE_NAMES: list[Refusal] = [
    ("_secret = find_file('car title')", 1, ("`_secret`", "names starting with '_'")),
    ("print(__builtins__)", 1, ("`__builtins__`", "names starting with '_'")),
    ("x = 1\nprint(__name__)", 2, ("`__name__`", "names starting with '_'")),
    (
        "def main():\n    print(get_temperature())\n\nif __name__ == '__main__':\n    main()",
        4,
        ("`__name__`", "not allowed"),
    ),
    ("for __ in range(3):\n    sleep(1)", 1, ("`__`", "names starting with '_'")),
    ("def _helper():\n    return 1\n\nprint(_helper())", 4, ("`_helper`",)),
]

UNDERSCORE_ATTRIBUTES: list[Refusal] = [
    ("kind = ''.__class__", 1, ("`.__class__`", "attributes starting with '_'")),
    ("print(find_file.__globals__)", 1, ("`.__globals__`", "attributes starting with '_'")),
    ("x = 1\ncode = (lambda: 0).__code__", 2, ("`.__code__`",)),
    ("print([].__class__.__base__.__subclasses__())", 1, ("`.__subclasses__`",)),
    ("values = {}\nprint(values.__dict__)", 2, ("`.__dict__`",)),
    ("name = 'x'\nprint(name._private)", 2, ("`._private`", "attributes starting with '_'")),
]

ATTRIBUTES: list[Refusal] = [
    (
        "numbers = (n for n in range(3))\nframe = numbers.gi_frame",
        2,
        ("`.gi_frame` is not allowed", "methods of strings, lists, dicts and sets"),
    ),
    (
        "name = 'Alex'\nprint('Hello {}'.format(name))",
        2,
        ("`.format()` is not allowed", "use an f-string"),
    ),
    ("print('{name}'.format_map({'name': 'Alex'}))", 1, ("`.format_map()`", "f-string")),
    (
        "result = shell('ls')\nresult.system('rm -rf /')",
        2,
        ("`.system` is not allowed", "fields of the API's records"),
    ),
    ("text = 'x'\ndata = text.encode()", 2, ("`.encode` is not allowed",)),
    ("print(send_email.f_back)", 1, ("`.f_back` is not allowed",)),
    (
        "try:\n    x = 1\nexcept Exception as e:\n    print(e.with_traceback)",
        4,
        ("`.with_traceback`",),
    ),
]

STATEMENTS: list[Refusal] = [
    ("class Mailer:\n    pass", 1, ("classes are not allowed", "use functions, dicts and lists")),
    (
        "print('x')\n\nclass Contact:\n    name = 'Alex'\n\nprint(Contact)",
        3,
        ("classes are not allowed",),
    ),
    (
        "async def main():\n    await send_email('a@b.c', 'Hi', 'Hi', [])\n\nmain()",
        1,
        ("async code is not allowed",),
    ),
    (
        "count = 0\n\ndef bump():\n    global count\n    count = count + 1\n\nbump()",
        4,
        ("`global` is not allowed", "return values from functions instead"),
    ),
    # Calling something that is not a function the workflow may call.
    (
        "result = find_file('car title')\nresult()",
        2,
        ("`result` cannot be called", "only API functions, safe builtins"),
    ),
    (
        "def run(callback):\n    callback('hi')\n\nrun(print)",
        2,
        ("`callback` cannot be called",),
    ),
    ("for path in find_files('*'):\n    path()", 2, ("`path` cannot be called",)),
    ("handlers = [print]\nhandlers[0]('hi')", 2, ("only functions called by name",)),
    ("find_file('a')('b')", 1, ("only functions called by name",)),
    ("(lambda: find_file('a'))()", 1, ("only functions called by name",)),
]

SYNTAX_ERRORS: list[Refusal] = [
    ("print('a')\nif contact_id\n    print(contact_id)", 2, ("syntax error",)),
    ("x = 1\ny = 2\nprint('unterminated)", 3, ("syntax error", "unterminated string")),
    ("def main():\nprint('x')", 2, ("syntax error", "expected an indented block")),
    ("send_email(\n    'a@b.c',\n    'Hi'", 1, ("syntax error", "never closed")),
    ("```python\nprint(1)\n```", 1, ("syntax error",)),
    ("Sure! Here is the code:\nprint(1)", 1, ("syntax error",)),
    # only the compiler sees these (the 1.5B wrote the first; it crashed the check)
    ("print('found it')\nreturn", 2, ("syntax error", "'return' outside function")),
    ("print(1)\nbreak", 2, ("syntax error", "'break' outside loop")),
]

# Workflows that would run, do nothing and tell the person nothing.
NOTHING_DONE: list[Refusal] = [
    ("# Install nginx by following the official instructions.\n# Then run nginx -v.", None,
     ("only comments", "print() why it cannot be done")),
    ("pass", None, ("no statements",)),
    ('"""Send the file to Rosa."""\n...', None, ("no statements",)),
]  # fmt: skip

# What the RestrictedPython layer refuses after the check's own rules have passed.
RESTRICTED: list[Refusal] = [
    (
        "counts = {}\ncounts['pdf'] = 0\ncounts['pdf'] += 1",
        3,
        ("is not allowed on an item", "write `counts['pdf'] = counts['pdf'] + 1`"),
    ),
    ("printed = []\nprinted.append(1)", 1, ('"printed" is a reserved name',)),
    (
        "def outer():\n    n = 0\n    def inner():\n        nonlocal n\n        n = 1\n"
        "    inner()\n\nouter()",
        4,
        ("nonlocal statements are not allowed",),
    ),
    (
        "temperature = get_temperature()\nmatch temperature:\n    case 20:\n        print('ok')",
        2,
        ("match statements are not allowed",),
    ),
    (
        "try:\n    print(1)\nexcept* ValueError:\n    pass",
        1,
        ("trystar statements are not allowed",),
    ),
    ("mail__roles__ = 1", 1, ('ends with "__roles__"',)),
]


def refusal_params(prefix: str, group: list[Refusal]) -> list[object]:
    return [
        pytest.param(code, line, words, id=f"{prefix}-{index}")
        for index, (code, line, words) in enumerate(group)
    ]


@pytest.mark.parametrize(
    ("code", "line", "words"),
    [
        *refusal_params("unknown", UNKNOWN_FUNCTIONS),
        *refusal_params("undefined", UNDEFINED_NAMES),
        *refusal_params("import", IMPORTS),
        *refusal_params("underscore-name", UNDERSCORE_NAMES),
        *refusal_params("underscore-attribute", UNDERSCORE_ATTRIBUTES),
        *refusal_params("attribute", ATTRIBUTES),
        *refusal_params("statement", STATEMENTS),
        *refusal_params("syntax", SYNTAX_ERRORS),
        *refusal_params("restricted", RESTRICTED),
        *refusal_params("nothing-done", NOTHING_DONE),
    ],
)
def test_refused(code: str, line: int | None, words: tuple[str, ...]) -> None:
    assert_refused(code, line, *words)


@pytest.mark.parametrize(
    ("code", "invented", "meant"),
    [
        ("mails = find_emails('harbor')", "find_emails", "find_email"),
        ("m = find_email_id('Jon')", "find_email_id", "find_email"),
        ("print(find_folder('Cannon Beach'))", "find_folder", "find_file"),
        ("print(list_bills())", "list_bills", "list_files"),
        ("print(get_events())", "get_events", "find_events"),
    ],
)
def test_an_invented_function_is_matched_by_its_words(code: str, invented: str, meant: str) -> None:
    # find ~ search ~ get, folder ~ bill ~ file: the words count before the spelling
    full = frozenset(default_registry().table("full"))
    assert_refused(code, 1, f"`{invented}` is not in the API", f"did you mean `{meant}`?", api=full)


def test_did_you_mean_is_left_out_when_nothing_is_close() -> None:
    message = assert_refused("teleport('Berlin')", 1, "`teleport` is not in the API")
    assert "did you mean" not in message


def test_an_unknown_function_is_one_error_not_two() -> None:
    result = refused("contact = find_contact('insurance company')")
    assert result.errors == [
        CheckError(1, "`find_contact` is not in the API; did you mean `find_contact_id`?")
    ]


def test_the_api_profile_decides_what_is_known() -> None:
    assert_passes("print(find_file_id('car title'))", api=PAPER1)
    message = assert_refused("print(find_file('car title'))", 1, "`find_file`", api=PAPER1)
    assert "did you mean `find_file_id`?" in message


@pytest.mark.parametrize("name", sorted(FORBIDDEN_NAMES))
@pytest.mark.parametrize(
    ("template", "line"),
    [
        ("result = {name}('x')\nprint(result)", 1),
        ("path = find_file('car title')\nprint({name}(path))", 2),
        ("handler = {name}\nprint(handler)", 1),
        ("def main():\n    value = find_file('a')\n    return {name}(value)\n\nmain()", 3),
    ],
    ids=["call", "argument", "value", "in-function"],
)
def test_forbidden_names_are_refused_with_their_reason(name: str, template: str, line: int) -> None:
    result = refused(template.format(name=name))
    assert result.errors == [CheckError(line, f"`{name}` is not allowed: {FORBIDDEN_NAMES[name]}")]


# Names RestrictedPython refuses whatever the API says.
RESTRICTED_RESERVED = {
    "eval": "Eval calls are not allowed.",
    "exec": "Exec calls are not allowed.",
    "breakpoint": '"breakpoint" is a reserved name.',
}


@pytest.mark.parametrize(
    "name", sorted(set(FORBIDDEN_NAMES) - set(RESTRICTED_RESERVED) - {"__import__"})
)
def test_an_api_function_may_have_a_forbidden_name(name: str) -> None:
    assert_passes(f"print({name}('x'))", api=PAPER2 | {name})


@pytest.mark.parametrize("name", sorted(RESTRICTED_RESERVED))
def test_restricted_python_still_refuses_its_reserved_names(name: str) -> None:
    result = refused(f"print({name}('x'))", api=PAPER2 | {name})
    assert result.errors == [CheckError(1, RESTRICTED_RESERVED[name])]


@pytest.mark.parametrize(
    "attribute",
    [
        *["gi_frame", "gi_code", "cr_frame", "f_back", "f_globals", "tb_frame", "tb_next", "mro"],
        *["system", "popen", "encode", "decode", "readline", "write", "setdefaultencoding"],
    ],
)
def test_attributes_outside_the_safe_lists_are_refused(attribute: str) -> None:
    message = assert_refused(f"value = find_file('a')\nprint(value.{attribute})", 2)
    assert message.startswith(f"`.{attribute}` is not allowed")


def test_a_workflow_that_only_defines_functions() -> None:
    result = refused(SEND_CAR_TITLE)
    assert result.errors == [
        CheckError(None, "the workflow defines functions but never calls one; call it")
    ]


@pytest.mark.parametrize(
    "code",
    [
        SEND_CAR_TITLE,
        f"{SEND_CAR_TITLE}\n\nentry = send_car_title",
        "def helper():\n    return 1\n\ndef main():\n    print(helper())",
    ],
)
def test_functions_defined_but_never_called(code: str) -> None:
    assert_refused(code, None, "defines functions but never calls one")


def test_oversized_code() -> None:
    code = "print('x')\n" * (MAX_CODE_CHARS // 11 + 1)
    assert len(code) > MAX_CODE_CHARS
    result = refused(code)
    assert result.errors == [
        CheckError(None, f"the workflow is longer than {MAX_CODE_CHARS} characters")
    ]


def test_code_just_under_the_limit_is_checked() -> None:
    code = "print('x')\n" * (MAX_CODE_CHARS // 11)
    assert len(code) <= MAX_CODE_CHARS
    assert_passes(code)


@pytest.mark.parametrize(
    "code",
    [
        "total = " + "1 + " * 3000 + "1",
        "value = " + "-" * 5000 + "1",
        "flag = " + "not " * 4000 + "True",
    ],
    ids=["sum", "minus", "not"],
)
def test_deeply_nested_code_is_refused_not_crashed_on(code: str) -> None:
    assert len(code) <= MAX_CODE_CHARS
    result = refused(code)
    assert result.errors == [
        CheckError(None, "the workflow is nested too deeply; split long expressions into steps")
    ]


def test_several_errors_come_in_line_order() -> None:
    code = (
        "import os\n"
        "contact = find_contact('insurance')\n"
        "print('{}'.format(contact))\n"
        "class Mailer:\n"
        "    pass\n"
        "print(_secret)"
    )
    result = refused(code)
    assert [error.line for error in result.errors] == [1, 2, 3, 4, 6]
    lines = result.message().splitlines()
    assert lines[0] == (
        "line 1: `import os` is not allowed; a workflow may import only datetime and math; "
        "the API functions are available without an import"
    )
    assert lines[1].startswith("line 2: `find_contact` is not in the API")
    assert lines[-1] == "line 6: `_secret`: names starting with '_' are not allowed"


def test_restricted_python_runs_only_when_the_check_passes() -> None:
    """The check's own error is reported; RestrictedPython's duplicate of it is not."""
    result = refused("_hidden = 1\nprint(_hidden)")
    assert all("invalid variable name" not in error.message for error in result.errors)
    assert [error.line for error in result.errors] == [1, 2]


def test_check_error_text() -> None:
    assert str(CheckError(3, "`x` is not defined")) == "line 3: `x` is not defined"
    assert str(CheckError(None, "too long")) == "too long"
    assert CheckResult().ok
    assert CheckResult().message() == ""


# --- code that must pass ----------------------------------------------------------------------

PASSING: dict[str, str] = {
    "car-title": CAR_TITLE,
    "paper2-function-and-call": f"{SEND_CAR_TITLE}\n\n\nsend_car_title()",
    "f-strings": (
        "temperature = get_temperature()\n"
        'print(f"It is {temperature} degrees ({temperature:.1f}, {temperature!r}).")\n'
        "files = find_files('*')\n"
        "print(f\"{len(files)} files: {', '.join(sorted(files))}\")"
    ),
    "comprehensions": (
        "files = find_files('*')\n"
        "pdfs = [path for path in files if path.lower().endswith('.pdf')]\n"
        "sizes = {path: len(path) for path in pdfs}\n"
        "folders = {path.rsplit('/', 1)[0] for path in files}\n"
        "total = sum(len(path) for path in files)\n"
        "pairs = [(a, b) for a in range(3) for b in range(a)]\n"
        "names = {name: size for name, size in sizes.items() if size > 3}\n"
        "print(pdfs, sizes, folders, total, pairs, names)"
    ),
    "try-except": (
        "try:\n"
        "    seconds = int(ask_question('How many seconds?'))\n"
        "except ValueError as error:\n"
        "    print(f'That is not a number: {error}')\n"
        "    seconds = 5\n"
        "except (KeyError, IndexError):\n"
        "    raise\n"
        "else:\n"
        "    print('ok')\n"
        "finally:\n"
        "    print('done')\n"
        "sleep(seconds)"
    ),
    "api-error": (
        "try:\n"
        "    play_audio_file('/home/alex/Music/missing.mp3')\n"
        "except ApiError as error:\n"
        "    print(f'Could not play it: {error.args}')"
    ),
    "raise": "contact_id = find_contact_id('insurance')\nif contact_id is None:\n    raise ValueError('no insurer')",
    "loops": (
        "songs = find_all_audio_files()\n"
        "index = 0\n"
        "while index < len(songs):\n"
        "    if songs[index].endswith('.wav'):\n"
        "        index += 1\n"
        "        continue\n"
        "    if index > 10:\n"
        "        break\n"
        "    play_audio_file(songs[index])\n"
        "    sleep(5)\n"
        "    stop_audio_player()\n"
        "    index += 1\n"
        "else:\n"
        "    print('played them all')\n"
        "for number, song in enumerate(songs):\n"
        "    print(number, song)"
    ),
    "random-song": (
        "songs = find_all_audio_files()\n"
        "song = songs[generate_random_number(0, len(songs))]\n"
        "play_audio_file(song)\n"
        "sleep(5)\n"
        "stop_audio_player()"
    ),
    "keyword-arguments": (
        "send_email(\n"
        "    email=find_contact_email(find_contact_id('insurance company')),\n"
        "    subject='Car title',\n"
        "    text='Attached.',\n"
        "    attachment_paths=[find_file('car title')],\n"
        ")\n"
        "print(*sorted(find_files('*'), key=len, reverse=True), sep='\\n')\n"
        "http_get_request(url='https://example.org', headers={'Accept': 'text/html'})"
    ),
    "own-functions-with-defaults-and-keywords": (
        "def tell(text, prefix='Note', *, loud=False):\n"
        "    message = f'{prefix}: {text}'\n"
        "    print(message.upper() if loud else message)\n"
        "\n"
        "tell('hello')\n"
        "tell('hello', prefix='Info', loud=True)"
    ),
    "recursion-between-own-functions": (
        "def is_even(number):\n"
        "    return True if number == 0 else is_odd(number - 1)\n"
        "\n"
        "def is_odd(number):\n"
        "    return False if number == 0 else is_even(number - 1)\n"
        "\n"
        "def countdown(n):\n"
        "    if n > 0:\n"
        "        print(n)\n"
        "        countdown(n - 1)\n"
        "\n"
        "print(is_even(10))\n"
        "countdown(3)"
    ),
    "nested-functions": (
        "def main():\n"
        "    def shout(text):\n"
        "        return text.upper()\n"
        "    print(shout('done'))\n"
        "\n"
        "main()"
    ),
    "lambdas": (
        "by_name = lambda path: path.lower()\n"
        "shout = lambda text, end='!': text.upper() + end\n"
        "print(sorted(find_files('*'), key=by_name))\n"
        "print(shout('hello'))\n"
        "print(sorted(find_files('*'), key=lambda path: len(path)))"
    ),
    "star-args": (
        "files = find_files('*')\n"
        "print(*files)\n"
        "options = {'sep': ', '}\n"
        "print(*files, **options)\n"
        "arguments = ['a@b.c', 'Hi', 'Hello', []]\n"
        "send_email(*arguments)\n"
        "def tell(*lines, **options):\n"
        "    for line in lines:\n"
        "        print(line, **options)\n"
        "tell('a', 'b', sep='')"
    ),
    "unpacking-and-slices": (
        "first, *rest = find_files('*')\n"
        "name, extension = first.rsplit('.', 1)\n"
        "print(rest[:3], rest[-1], name[::-1], extension)\n"
        "minutes, seconds = divmod(125, 60)\n"
        "(a, b), c = (1, 2), 3\n"
        "del rest[0]"
    ),
    "walrus-and-conditional-expressions": (
        "if (contact_id := find_contact_id('Alex')) is not None:\n"
        "    print(find_contact_email(contact_id) or 'no address')\n"
        "answer = 'yes' if get_temperature() > 20 else 'no'\n"
        "print(answer)"
    ),
    "augmented-assignment-of-names": (
        "total = 0\nfor path in find_files('*'):\n    total += len(path)\n    total -= 1\nprint(total)"
    ),
    "dict-and-list-updates": (
        "counts = {}\n"
        "for path in find_files('*'):\n"
        "    extension = path.rsplit('.', 1)[-1]\n"
        "    counts[extension] = counts.get(extension, 0) + 1\n"
        "names = []\n"
        "names.append('a')\n"
        "names[0] = 'b'\n"
        "print(counts, names)"
    ),
    "with-statement-free-summary": (
        "page = http_get_request('https://en.wikipedia.org/wiki/Transformer', {})\n"
        "summary = query_llm('Summarize in three sentences: ' + page[:4000])\n"
        "print(summary)"
    ),
    "shell": "print(shell('ls -la'))",
    "generators": (
        "def numbers(limit):\n"
        "    for number in range(limit):\n"
        "        yield number * number\n"
        "\n"
        "print(list(numbers(4)))"
    ),
    "shadowing-a-forbidden-builtin": "type = find_file('car title')\nprint(type)",
    "empty-return-and-pass": "def noop():\n    pass\n\ndef stop():\n    return\n\nnoop()\nstop()",
    "assert": "temperature = get_temperature()\nassert isinstance(temperature, int), 'not a number'",
    "only-top-level-code": "x = 1\ny = x + 1",
}


@pytest.mark.parametrize("code", list(PASSING.values()), ids=list(PASSING))
def test_passes(code: str) -> None:
    assert_passes(code)


# Every safe builtin in a realistic use; the keys must be exactly the policy set.
BUILTIN_USES: dict[str, str] = {
    "abs": "print(abs(get_temperature() - 20))",
    "all": "print(all(path.endswith('.pdf') for path in find_files('*')))",
    "any": "print(any([find_file('car title'), find_file('title')]))",
    "bool": "print(bool(find_file('car title')))",
    "chr": "print(chr(65))",
    "dict": "print(dict(name='Alex', email='alex@example.org'))",
    "divmod": "minutes, seconds = divmod(125, 60)\nprint(minutes, seconds)",
    "enumerate": "for number, path in enumerate(find_files('*'), start=1):\n    print(number, path)",
    "filter": "print(list(filter(None, [find_file('a'), find_file('b')])))",
    "float": "print(float(ask_question('How warm should it be?')))",
    "frozenset": "print(frozenset(find_files('*')))",
    "int": "sleep(int(ask_question('How many seconds?')))",
    "isinstance": "value = find_file('car title')\nprint(isinstance(value, str))",
    "len": "print(len(find_files('*')))",
    "list": "print(list(range(3)))",
    "map": "print(list(map(str.upper, find_files('*'))))",
    "max": "print(max(find_files('*'), key=len))",
    "min": "print(min(3, 1, 2))",
    "ord": "print(ord('A'))",
    "pow": "print(pow(2, 10))",
    "range": "for second in range(5):\n    sleep(1)",
    "repr": "print(repr(find_file('car title')))",
    "reversed": "print(list(reversed(find_files('*'))))",
    "round": "print(round(get_temperature() / 3, 1))",
    "set": "print(set(find_files('*')))",
    "sorted": "print(sorted(find_files('*'), reverse=True))",
    "str": "print('It is ' + str(get_temperature()) + ' degrees')",
    "sum": "print(sum([1, 2, 3]))",
    "tuple": "print(tuple(find_files('*')))",
    "zip": "for a, b in zip([1, 2], ['a', 'b']):\n    print(a, b)",
    "print": "print('hello', 'world', sep=', ', end='\\n')",
    "True": "found = True\nprint(found)",
    "False": "while False:\n    pass",
    "None": "if find_file('car title') is None:\n    print('not found')",
    "ApiError": (
        "try:\n"
        "    play_audio_file('/home/alex/Music/missing.mp3')\n"
        "except ApiError as error:\n"
        "    print(f'Could not play it: {error}')"
    ),
}
EXCEPTIONS = sorted(
    name
    for name in SAFE_BUILTINS
    if isinstance(getattr(builtins, name, None), type)
    and issubclass(getattr(builtins, name), BaseException)
)
for _exception in EXCEPTIONS:
    BUILTIN_USES[_exception] = (
        f"try:\n    raise {_exception}('no such contact')\n"
        f"except {_exception} as error:\n    print(error.args)"
    )


def test_every_safe_builtin_has_an_example() -> None:
    assert set(BUILTIN_USES) == SAFE_BUILTINS


@pytest.mark.parametrize("name", sorted(SAFE_BUILTINS))
def test_safe_builtins_in_use(name: str) -> None:
    code = BUILTIN_USES[name]
    assert name in code
    assert_passes(code)


@pytest.mark.parametrize("name", sorted(SAFE_BUILTINS))
def test_safe_builtins_as_values(name: str) -> None:
    assert_passes(f"value = {name}\nprint(value)")
    assert_passes(f"print([{name}])")


# A value of each type, bound to `value`, in a workflow and in Python.
RECEIVERS: dict[type, tuple[str, object]] = {
    str: ("value = find_file('car title') or ''", "car title"),
    list: ("value = find_files('*')", ["a", "b"]),
    dict: ("value = {'name': 'Alex'}", {"name": "Alex"}),
    set: ("value = set(find_files('*'))", {"a"}),
    frozenset: ("value = frozenset(find_files('*'))", frozenset({"a"})),
    tuple: ("value = tuple(find_files('*'))", ("a",)),
    int: ("value = get_temperature()", 21),
    float: ("value = get_temperature() / 2", 10.5),
    BaseException: ("value = ValueError('no such contact')", ValueError("no such contact")),
    dt.datetime: (
        "from datetime import datetime\nvalue = datetime.now()",
        dt.datetime(2026, 3, 16, 8, 30),
    ),
    dt.date: ("from datetime import date\nvalue = date.today()", dt.date(2026, 3, 16)),
    dt.time: ("import datetime\nvalue = datetime.time(14, 0)", dt.time(14, 0)),
    dt.timedelta: ("from datetime import timedelta\nvalue = timedelta(days=2)", dt.timedelta(2)),
    Timestamp: ("value = '2026-03-16T08:30:00'", Timestamp("2026-03-16T08:30:00")),
}
SAFE_ATTRIBUTE_PAIRS = [
    pytest.param(kind, name, id=f"{kind.__name__}.{name}")
    for kind, names in SAFE_ATTRIBUTES.items()
    for name in sorted(names)
]


def test_every_type_of_the_policy_has_a_receiver() -> None:
    assert set(RECEIVERS) == set(SAFE_ATTRIBUTES)


@pytest.mark.parametrize(("kind", "name"), SAFE_ATTRIBUTE_PAIRS)
def test_safe_attributes(kind: type, name: str) -> None:
    setup, sample = RECEIVERS[kind]
    assert_passes(f"{setup}\nprint(value.{name})")
    assert hasattr(sample, name), f"{kind.__name__} has no attribute {name}"
    assert attribute_allowed(sample, name)


@pytest.mark.parametrize(
    "code",
    [
        "print(', '.join(sorted(find_files('*'))))",
        "print(find_file('car title').strip().lower().replace(' ', '_'))",
        "name, at, domain = 'alex@example.org'.partition('@')\nprint(name, domain)",
        "words = ask_question('What?').split()\nwords.sort(key=str.lower)\nprint(words)",
        "contact = {'name': 'Alex'}\ncontact.update(email='a@b.c')\nprint(contact.get('email', ''))",
        "for key, value in {'a': 1}.items():\n    print(key, value)",
        "seen = set()\nseen.add('a')\nprint(seen.union({'b'}))",
        "print((7).bit_length(), (2.5).is_integer())",
    ],
)
def test_chained_and_typical_method_calls(code: str) -> None:
    assert_passes(code)


# --- the policy lists themselves ------------------------------------------------------------


def test_safe_and_forbidden_names_do_not_overlap() -> None:
    assert not SAFE_BUILTINS & set(FORBIDDEN_NAMES)


@pytest.mark.parametrize("name", sorted(SAFE_BUILTINS - {"ApiError"}))
def test_safe_builtins_are_builtins(name: str) -> None:
    assert hasattr(builtins, name)


@pytest.mark.parametrize("name", sorted(FORBIDDEN_NAMES))
def test_forbidden_names_have_reasons(name: str) -> None:
    reason = FORBIDDEN_NAMES[name]
    assert reason
    assert reason == reason.strip()
    assert not reason.endswith(".")


def test_no_safe_attribute_is_private_or_a_format_method() -> None:
    assert not any(name.startswith("_") for name in ALL_SAFE_ATTRIBUTES)
    assert not {"format", "format_map"} & ALL_SAFE_ATTRIBUTES


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("text", "__class__"),
        ("text", "format"),
        ("text", "append"),
        (["a"], "upper"),
        ((n for n in range(1)), "gi_frame"),
        (len, "__self__"),
        (3, "from_bytes"),
    ],
)
def test_attribute_allowed_refuses(value: object, name: str) -> None:
    assert not attribute_allowed(value, name)


# Declarations a small model copies from the function table change nothing and are dropped
# (intentos.codegen.declarations): record names in annotations, annotated assignments, stubs
# of API functions.
@pytest.mark.parametrize(
    "code",
    [
        "def recipient(name: str) -> Contact:\n    return find_contact_email(find_contact_id(name))\n"
        "print(recipient('Jane'))",
        "address: str = find_contact_email(find_contact_id('Jane'))\nprint(address)",
        "found: list[File]\nfound = find_files('bill')\nprint(found)",
        "def find_file(name: str) -> File:\n    '''Finds a file.'''\n    pass\n\n"
        "print(find_file('car title'))",
        "def find_files(query: str) -> list[File]: ...\nprint(find_files('bill'))",
        "def find_file(name):\n    raise NotImplementedError\nprint(find_file('x'))",
    ],
)
def test_declarations_change_nothing(code: str) -> None:
    result = check(code, PAPER2)
    assert result.ok, result.message()


def test_an_api_function_defined_with_a_body_is_refused() -> None:
    code = "def find_file(name):\n    return find_files(name)[0]\nprint(find_file('x'))"
    assert_refused(code, 1, "`find_file` is an api function", "call it")


def test_a_workflow_of_api_stubs_alone_is_told_to_call_something() -> None:
    assert_refused("def find_file(name: str) -> File:\n    pass\n", None, "never calls one")


@pytest.mark.parametrize(
    ("comparison", "expected", "fixed"),
    [
        ("\"April's rent\" in text.lower()", "always false: after .lower() the text cannot contain", "\"april's rent\""),
        ("'Jon Smith' not in text.casefold()", "always true: after .casefold() the text cannot contain", "'jon smith'"),
        ("text.lower() == 'Yes'", "always false: after .lower() the text cannot equal", "'yes'"),
        ("'Yes' == text.lower()", "always false", "'yes'"),
        ("text.upper() != 'done'", "always true: after .upper() the text cannot equal", "'DONE'"),
    ],
)  # fmt: skip
def test_a_comparison_a_case_change_decides_is_refused(
    comparison: str, expected: str, fixed: str
) -> None:
    """``"April's rent" in r["text"].lower()`` quietly finds nothing; the model is told the
    literal to write instead."""
    message = assert_refused(f"text = 'x'\nprint({comparison})", 2, expected)
    assert message.endswith(f"; write {fixed}")


@pytest.mark.parametrize(
    "comparison",
    [
        '"april\'s rent" in text.lower()',
        "'JON' in text.upper()",
        "'Jon' in text",
        "text.lower() in 'Yes please'",  # a part of the literal: can be true
        "text.strip() == 'Yes'",
        "'2025' in text.lower()",
        "text.lower() < 'B'",
    ],
)
def test_a_comparison_that_can_go_either_way_passes(comparison: str) -> None:
    assert_passes(f"text = 'x'\nprint({comparison})")


@pytest.mark.parametrize("method", sorted(CASE_CHANGES))
def test_every_case_change_is_a_string_method(method: str) -> None:
    assert getattr(str, method) is CASE_CHANGES[method]
