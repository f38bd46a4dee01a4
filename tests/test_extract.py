"""Finding the workflow in a model's reply: fences, several blocks, no fence, chat-template
debris, and the papers' "function defined but never called"."""

from __future__ import annotations

import pytest

from intentos.codegen.extract import (
    Extraction,
    extract,
    fenced_blocks,
    strip_debris,
    uncalled_functions,
)

NO_FENCE = "the reply had no code fence; used the part that is Python"
DEBRIS = "removed chat-template tokens"

# The car-title intent of both papers, as the paper-2 API resolves it.
CAR_TITLE = """\
contact_id = find_contact_id("insurance company")
email = find_contact_email(contact_id)
car_title = find_file("car title")
send_email(email, "My car title", "Please find my car title attached.", [car_title])"""

TEMPERATURE = 'print(f"The current temperature is {get_temperature()} degrees.")'

# Nested blocks, a continuation line and a blank line inside a function: indentation must survive.
NESTED = """\
def list_files():
    files = find_files("*")
    if not files:
        print("There are no files.")
    else:
        for path in sorted(files):
            print(
                path,
            )

    return len(files)


list_files()"""


def called(code: str, entry: str) -> str:
    """What extract makes of ``code`` whose function ``entry`` was never called."""
    return f"{code}\n\n{entry}()\n"


def noted_call(entry: str) -> str:
    return f"{entry}() was defined but never called; intentos called it"


def needs_arguments(entry: str) -> str:
    return f"{entry}() is defined but never called and needs arguments"


# (reply, expected code, expected notes)
Case = tuple[str, str, list[str]]

FENCES: list[Case] = [
    (
        f"Sure! Here is the workflow:\n\n```python\n{CAR_TITLE}\n```\n\n"
        "It looks the insurer up, then sends the file.",
        CAR_TITLE,
        [],
    ),
    (f"```python3\n{TEMPERATURE}\n```", TEMPERATURE, []),
    (f"```py\n{TEMPERATURE}\n```\n", TEMPERATURE, []),
    (f"```\n{TEMPERATURE}\n```", TEMPERATURE, []),
    (f"~~~python\n{CAR_TITLE}\n~~~", CAR_TITLE, []),
    (f"~~~\n{TEMPERATURE}\n~~~\nDone.", TEMPERATURE, []),
    (f"```Python\n{TEMPERATURE}\n```", TEMPERATURE, []),
    (f"``` python\n{TEMPERATURE}\n```", TEMPERATURE, []),
    (f"```python title=workflow.py\n{TEMPERATURE}\n```", TEMPERATURE, []),
    (f"  ```python\n{TEMPERATURE}\n  ```  \n", TEMPERATURE, []),
    # A longer fence is closed only by a fence at least as long.
    (
        "````python\nfence = '''\n```\n'''\nprint(fence)\n````",
        "fence = '''\n```\n'''\nprint(fence)",
        [],
    ),
    # Blank lines around the code inside the fence are dropped, indentation is not.
    (f"```python\n\n\n{NESTED}\n\n```", NESTED, []),
    (
        "```python\nfor path in find_files('*'):\n\tif path.endswith('.mp3'):\n\t\tprint(path)\n```",
        "for path in find_files('*'):\n\tif path.endswith('.mp3'):\n\t\tprint(path)",
        [],
    ),
]

SEVERAL_BLOCKS: list[Case] = [
    # Paper 2's failure: the function in one block, its call in a second one the harness ignored.
    (
        "```python\ndef send_car_title():\n"
        '    contact_id = find_contact_id("insurance company")\n'
        "    email = find_contact_email(contact_id)\n"
        '    send_email(email, "Car title", "Attached.", [find_file("car title")])\n```\n\n'
        "Now call the function:\n\n```python\nsend_car_title()\n```\n",
        "def send_car_title():\n"
        '    contact_id = find_contact_id("insurance company")\n'
        "    email = find_contact_email(contact_id)\n"
        '    send_email(email, "Car title", "Attached.", [find_file("car title")])\n\n'
        "send_car_title()",
        ["joined 2 code blocks in order"],
    ),
    (
        "First find the contact:\n```python\n"
        'contact_id = find_contact_id("insurance company")\n```\n'
        "then the address:\n```py\nemail = find_contact_email(contact_id)\n```\n"
        "and send it:\n```\n"
        'send_email(email, "Car title", "Attached.", [find_file("car title")])\n```',
        'contact_id = find_contact_id("insurance company")\n\n'
        "email = find_contact_email(contact_id)\n\n"
        'send_email(email, "Car title", "Attached.", [find_file("car title")])',
        ["joined 3 code blocks in order"],
    ),
    # Blocks in other languages are not Python and are ignored.
    (
        "You may need:\n```bash\nsudo apt-get install nginx\n```\n"
        f"The workflow:\n```python\n{TEMPERATURE}\n```\n"
        'It prints:\n```json\n{"temperature": 21}\n```\n'
        "```text\nThe current temperature is 21 degrees.\n```",
        TEMPERATURE,
        [],
    ),
    (
        f"```sh\nls -la\n```\n```python\n{CAR_TITLE}\n```\n```yaml\nkey: value\n```",
        CAR_TITLE,
        [],
    ),
]

NO_FENCES: list[Case] = [
    # The whole reply is code: nothing to note.
    (CAR_TITLE, CAR_TITLE, []),
    (f"\n\n{NESTED}\n\n", NESTED, []),
    (
        f"Here is the code that sends your car title:\n\n{CAR_TITLE}\n\n"
        "This looks up your insurance company and sends them the file.",
        CAR_TITLE,
        [NO_FENCE],
    ),
    (
        f"Sure! Here is the code.\n{NESTED}\nLet me know if you need anything else!",
        NESTED,
        [NO_FENCE],
    ),
]

DEBRIS_CASES: list[Case] = [
    (f"<|assistant|>\n```python\n{TEMPERATURE}\n```", TEMPERATURE, [DEBRIS]),
    (f"<|assistant|>```python\n{TEMPERATURE}\n```<|im_end|>", TEMPERATURE, [DEBRIS]),
    (f"```python\n{TEMPERATURE}<|eot_id|>\n```", TEMPERATURE, [DEBRIS]),
    (f"```python\n<|assistant|>{TEMPERATURE}\n```\n</s>", TEMPERATURE, [DEBRIS]),
    (f"<|im_start|>assistant\n```python\n{CAR_TITLE}\n```<|im_end|>", CAR_TITLE, [DEBRIS]),
    (
        f"[INST] Please tell me the current temperature [/INST]\n```python\n{TEMPERATURE}\n```</s>",
        TEMPERATURE,
        [DEBRIS],
    ),
    # Without a fence the role name after the start token must go too, or it becomes code.
    (f"<|im_start|>assistant\n{CAR_TITLE}<|im_end|>", CAR_TITLE, [DEBRIS]),
    (
        f"<|start_header_id|>assistant<|end_header_id|>\n\n{TEMPERATURE}<|eot_id|>",
        TEMPERATURE,
        [DEBRIS],
    ),
    (f"<s>[INST]{TEMPERATURE}[/INST]</s>", TEMPERATURE, [DEBRIS]),
    (f"<|ASSISTANT|>{TEMPERATURE}<|EOT_ID|>", TEMPERATURE, [DEBRIS]),
    (
        f"<|im_start|>assistant\nHere it is:\n{TEMPERATURE}<|im_end|>",
        TEMPERATURE,
        [NO_FENCE, DEBRIS],
    ),
    # Debris inside the fence, between blocks, and an unclosed last block.
    (
        "```python\ncontact_id = find_contact_id('insurance')<|im_end|>\n```\n<|im_start|>"
        "assistant\n```python\nprint(contact_id)\n",
        "contact_id = find_contact_id('insurance')\n\nprint(contact_id)",
        ["joined 2 code blocks in order", DEBRIS],
    ),
]

UNCLOSED: list[Case] = [
    (f"Here you go:\n```python\n{CAR_TITLE}\n", CAR_TITLE, []),
    (f"```python\n{TEMPERATURE}", TEMPERATURE, []),
    (
        f"```python\n{CAR_TITLE}\n```\nand then\n```python\n{TEMPERATURE}",
        f"{CAR_TITLE}\n\n{TEMPERATURE}",
        ["joined 2 code blocks in order"],
    ),
]


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# Replies with Windows line endings; the code comes back with \n only.
WINDOWS: list[Case] = [
    (crlf(f"Here is the code:\n\n```python\n{CAR_TITLE}\n```\n\nDone.\n"), CAR_TITLE, []),
    (crlf(f"```python\n{NESTED}\n```\nThat lists the files.\n"), NESTED, []),
    (
        crlf(f"~~~py\n{TEMPERATURE}\n~~~\n```python\n{CAR_TITLE}\n```\n"),
        f"{TEMPERATURE}\n\n{CAR_TITLE}",
        ["joined 2 code blocks in order"],
    ),
    (crlf(f"{CAR_TITLE}\n"), CAR_TITLE, []),
    (crlf(f"Here you go:\n\n{NESTED}\n\nEnjoy!\n"), NESTED, [NO_FENCE]),
    (crlf(f"<|assistant|>\n```python\n{TEMPERATURE}\n```<|im_end|>\n"), TEMPERATURE, [DEBRIS]),
]


def cases(prefix: str, group: list[Case]) -> list[object]:
    return [pytest.param(*case, id=f"{prefix}-{index}") for index, case in enumerate(group)]


@pytest.mark.parametrize(
    ("reply", "expected_code", "expected_notes"),
    [
        *cases("fence", FENCES),
        *cases("blocks", SEVERAL_BLOCKS),
        *cases("no-fence", NO_FENCES),
        *cases("debris", DEBRIS_CASES),
        *cases("unclosed", UNCLOSED),
        *cases("windows", WINDOWS),
    ],
)
def test_extract(reply: str, expected_code: str, expected_notes: list[str]) -> None:
    extraction = extract(reply)
    assert extraction.code == expected_code
    assert extraction.notes == expected_notes
    assert extraction.found
    assert "\r" not in extraction.code


@pytest.mark.parametrize(
    ("reply", "blocks"),
    [
        (f"```python\n{TEMPERATURE}\n```", 1),
        (f"```python\n{CAR_TITLE}\n```\n```\n{TEMPERATURE}\n```", 2),
        (f"```bash\nls\n```\n```python\n{TEMPERATURE}\n```\n```json\n{{}}\n```", 1),
        (CAR_TITLE, 0),
    ],
)
def test_block_count(reply: str, blocks: int) -> None:
    assert extract(reply).blocks == blocks


# --- function defined but never called --------------------------------------------------------

SEND_CAR_TITLE = """def send_car_title():
    contact_id = find_contact_id("insurance company")
    if contact_id is None:
        print("I could not find your insurance company.")
        return
    email = find_contact_email(contact_id)
    send_email(email, "My car title", "Please find it attached.", [find_file("car title")])"""

PLAY_SONG = """def play_song(title):
    path = find_file(title)
    if path:
        play_audio_file(path)"""

# The entry function calls a helper: only the entry is called.
WITH_HELPER = """def insurer_email():
    return find_contact_email(find_contact_id("insurance company"))


def send_car_title():
    send_email(insurer_email(), "Car title", "Attached.", [find_file("car title")])"""

# A helper used as a value, defined after the entry: still the entry is called.
WITH_KEY_FUNCTION = """def list_files():
    for path in sorted(find_files("*"), key=by_name):
        print(path)


def by_name(path):
    return path.lower()"""

SLEEP_WITH_DEFAULT = """def sleep_for(seconds=5):
    sleep(seconds)
    print(f"Slept for {seconds} seconds.")"""

KEYWORD_ONLY = """def sleep_for(*, seconds):
    sleep(seconds)"""

POSITIONAL_ONLY = """def sleep_for(seconds, /):
    sleep(seconds)"""

VARIADIC = """def tell(*lines, **options):
    for line in lines:
        print(line)"""

ALREADY_CALLED = f"{SEND_CAR_TITLE}\n\n\nsend_car_title()"

UNCALLED: list[Case] = [
    (
        f"```python\n{SEND_CAR_TITLE}\n```",
        called(SEND_CAR_TITLE, "send_car_title"),
        [noted_call("send_car_title")],
    ),
    (f"```python\n{PLAY_SONG}\n```", PLAY_SONG, [needs_arguments("play_song")]),
    (
        f"```python\n{WITH_HELPER}\n```",
        called(WITH_HELPER, "send_car_title"),
        [noted_call("send_car_title")],
    ),
    (
        f"```python\n{WITH_KEY_FUNCTION}\n```",
        called(WITH_KEY_FUNCTION, "list_files"),
        [noted_call("list_files")],
    ),
    (
        f"```python\n{SLEEP_WITH_DEFAULT}\n```",
        called(SLEEP_WITH_DEFAULT, "sleep_for"),
        [noted_call("sleep_for")],
    ),
    (f"```python\n{KEYWORD_ONLY}\n```", KEYWORD_ONLY, [needs_arguments("sleep_for")]),
    (f"```python\n{POSITIONAL_ONLY}\n```", POSITIONAL_ONLY, [needs_arguments("sleep_for")]),
    (f"```python\n{VARIADIC}\n```", called(VARIADIC, "tell"), [noted_call("tell")]),
    (f"```python\n{ALREADY_CALLED}\n```", ALREADY_CALLED, []),
    (f"```python\n{NESTED}\n```", NESTED, []),
    # The call after a function in a second block counts as a call.
    (
        f"```python\n{SEND_CAR_TITLE}\n```\n```python\nsend_car_title()\n```",
        f"{SEND_CAR_TITLE}\n\nsend_car_title()",
        ["joined 2 code blocks in order"],
    ),
    # Without a fence, and with debris: every note, in order.
    (
        f"<|assistant|>Here is the function:\n\n{SEND_CAR_TITLE}\n<|im_end|>",
        called(SEND_CAR_TITLE, "send_car_title"),
        [NO_FENCE, DEBRIS, noted_call("send_car_title")],
    ),
    # The code the call is appended to ends with whitespace: no extra blank lines.
    (
        f"```python\n{SEND_CAR_TITLE}   \n\n\n```",
        called(SEND_CAR_TITLE, "send_car_title"),
        [noted_call("send_car_title")],
    ),
]


@pytest.mark.parametrize(("reply", "expected_code", "expected_notes"), cases("uncalled", UNCALLED))
def test_function_defined_but_never_called(
    reply: str, expected_code: str, expected_notes: list[str]
) -> None:
    extraction = extract(reply)
    assert extraction.code == expected_code
    assert extraction.notes == expected_notes


def test_only_the_last_uncalled_function_is_called() -> None:
    code = "def greet():\n    print('hello')\n\n\ndef tell_temperature():\n    print(get_temperature())"
    extraction = extract(f"```python\n{code}\n```")
    assert extraction.code == called(code, "tell_temperature")
    assert extraction.notes == [noted_call("tell_temperature")]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (SEND_CAR_TITLE, ["send_car_title"]),
        (ALREADY_CALLED, []),
        (WITH_HELPER, ["send_car_title"]),
        (WITH_KEY_FUNCTION, ["list_files"]),
        (f"{PLAY_SONG}\n\n{SEND_CAR_TITLE}", ["play_song", "send_car_title"]),
        # Recursion is a use; nested functions are not top-level entries.
        ("def countdown(n):\n    if n:\n        countdown(n - 1)", []),
        ("def outer():\n    def inner():\n        pass\n    inner()\n\nouter()", []),
        ("shout = lambda text: text.upper()", []),
        (CAR_TITLE, []),
        ("def broken(:\n    pass", []),
    ],
)
def test_uncalled_functions(code: str, expected: list[str]) -> None:
    assert uncalled_functions(code) == expected


# --- nothing usable ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "   \n\n  ",
        "I'm sorry, but I can't help with that.",
        "Sure",
        "The largest city in Germany is Berlin.",
        "<|im_start|>assistant\n<|im_end|>",
        "<|assistant|></s>",
        "```python\n```",
        "```python\n\n\n```\nI could not write the workflow.",
        "```bash\nsudo apt-get install -y nginx\n```",
        '```json\n{"action": "send_email"}\n```',
        "Here are your files:\n\n- notes.txt\n- car_title.pdf\n- beat_it.mp3\n\nAnything else?",
        "42",
    ],
)
def test_nothing_usable(reply: str) -> None:
    extraction = extract(reply)
    assert not extraction.found
    assert extraction.code.strip() == ""
    assert not any("called" in note for note in extraction.notes)


def test_a_long_answer_in_prose_is_rejected_quickly() -> None:
    """A model that lists hundreds of files instead of writing code: no code, and no stall."""
    listing = "\n".join(f"- file_{number}.txt" for number in range(200))
    reply = f"Here are the files in the current directory:\n\n{listing}\n\nAnything else?"
    assert not extract(reply).found


def test_found_follows_the_code() -> None:
    assert Extraction(code="print(1)").found
    assert not Extraction(code="\n  \n").found
    assert Extraction(code="").notes == []


# --- the pieces -------------------------------------------------------------------------------

TOKENS = [
    "<|assistant|>",
    "<|user|>",
    "<|system|>",
    "<|im_start|>",
    "<|im_start|>assistant",
    "<|im_end|>",
    "<|im_sep|>",
    "<|end|>",
    "<|endoftext|>",
    "<|eot_id|>",
    "<|eom_id|>",
    "<|begin_of_text|>",
    "<|start_header_id|>assistant<|end_header_id|>",
    "<|fim_prefix|>",
    "<s>",
    "</s>",
    "[INST]",
    "[/INST]",
    "<end_of_turn>",
    "<start_of_turn>model",
]


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{token}print(get_temperature())", "print(get_temperature())"),
        ("print(get_temperature()){token}", "print(get_temperature())"),
        ("    x = 1{token}\n", "    x = 1\n"),
        ("a{token}b{token}c", "abc"),
    ],
)
def test_strip_debris(token: str, template: str, expected: str) -> None:
    assert strip_debris(template.format(token=token)) == expected


@pytest.mark.parametrize(
    "text",
    [
        CAR_TITLE,
        NESTED,
        "text = '<p>a</p> and <b>bold</b>'",
        "items = data['INST']",
        "print('<|not a token|>')",
        "```python\nprint(1)\n```",
    ],
)
def test_strip_debris_keeps_ordinary_text(text: str) -> None:
    assert strip_debris(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```python\nx = 1\n```", [("python", "x = 1\n")]),
        ("```PY3\nx = 1\n```", [("py3", "x = 1\n")]),
        ("~~~\nx\n~~~\n```bash\nls\n```", [("", "x\n"), ("bash", "ls\n")]),
        ("```python\nx = 1\n", [("python", "x = 1\n")]),
        ("```python\n```", [("python", "")]),
        ("prose only", []),
        # A ~~~ line does not close a ``` fence, and a shorter fence does not close a longer one.
        ("```\na\n~~~\nb\n```", [("", "a\n~~~\nb\n")]),
        ("````\na\n```\nb\n````", [("", "a\n```\nb\n")]),
        # A fence must start its line (leading blanks allowed).
        ("see ```python x``` inline", []),
        ("   ```python\nx\n   ```", [("python", "x\n")]),
    ],
)
def test_fenced_blocks(text: str, expected: list[tuple[str, str]]) -> None:
    assert fenced_blocks(text) == expected


def test_a_main_guard_is_replaced_by_its_body() -> None:
    reply = (
        "```python\ndef main():\n    print(get_temperature())\n\n"
        'if __name__ == "__main__":\n    main()\n```'
    )
    extraction = extract(reply)
    assert extraction.code == "def main():\n    print(get_temperature())\n\nmain()"
    assert 'removed the `if __name__ == "__main__":` guard and ran its body' in extraction.notes


def test_an_example_usage_block_does_not_run_the_workflow_twice() -> None:
    reply = (
        "```python\ndef send():\n    send_email('a@b.example', 's', 't', [])\n\nsend()\n```\n"
        "Example usage:\n```python\nsend()\n```"
    )
    extraction = extract(reply)
    assert extraction.code.splitlines().count("send()") == 1
    assert "left out block 2: it only repeats a call already made" in extraction.notes


def test_a_bare_block_of_example_output_is_left_out() -> None:
    reply = "```python\nprint(get_temperature())\n```\nOutput:\n```\nThe temperature is 21\n```"
    extraction = extract(reply)
    assert extraction.code == "print(get_temperature())"
    assert "left out block 2: it is not Python" in extraction.notes
