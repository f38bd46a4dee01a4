"""What a workflow may use besides the API. These lists are the policy: the static check, the
sandbox's restricted globals and the tests all read them."""

from __future__ import annotations

import datetime as dt

from intentos.api.records import FIELD_NAMES, Record
from intentos.api.times import TIME_ATTRIBUTES, Timestamp

# Builtins a workflow may call or use.
SAFE_BUILTINS: frozenset[str] = frozenset(
    {"abs", "all", "any", "bool", "chr", "dict", "divmod", "enumerate", "filter", "float"}
    | {"frozenset", "int", "isinstance", "len", "list", "map", "max", "min", "ord", "pow"}
    | {"range", "repr", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip"}
    | {"print", "True", "False", "None"}
    | {"Exception", "ValueError", "TypeError", "KeyError", "IndexError", "RuntimeError"}
    | {"ZeroDivisionError", "AttributeError", "LookupError", "ArithmeticError"}
    | {"StopIteration", "NotImplementedError", "ApiError"}
)

# Names that would reach past the sandbox's policy; refused by the static check with a reason.
FORBIDDEN_NAMES: dict[str, str] = {
    "eval": "code cannot be evaluated from strings",
    "exec": "code cannot be evaluated from strings",
    "compile": "code cannot be compiled from strings",
    "open": "the host's files are out of reach; use the files API (read_file, write_file)",
    "__import__": "imports are not allowed",
    "getattr": "attributes cannot be looked up by computed names",
    "setattr": "attributes cannot be set by computed names",
    "delattr": "attributes cannot be deleted by computed names",
    "globals": "the interpreter's namespaces are out of reach",
    "locals": "the interpreter's namespaces are out of reach",
    "vars": "the interpreter's namespaces are out of reach",
    "dir": "objects cannot be inspected",
    "type": "use isinstance() to test a value's type",
    "object": "objects cannot be created from object",
    "super": "classes are not allowed",
    "input": "ask the person with ask_question()",
    "breakpoint": "the debugger is out of reach",
    "help": "help is not available; the API is described in the prompt",
    "memoryview": "raw memory is out of reach",
    "classmethod": "classes are not allowed",
    "staticmethod": "classes are not allowed",
    "property": "classes are not allowed",
    "exit": "end the workflow by returning from it",
    "quit": "end the workflow by returning from it",
}

# Methods and attributes a workflow may use, by the type of the value. Everything else — in
# particular frame, code, generator and traceback attributes, str.format and format_map — is
# refused, whatever the object.
SAFE_ATTRIBUTES: dict[type, frozenset[str]] = {
    str: frozenset(
        {"capitalize", "casefold", "center", "count", "endswith", "find", "index", "isalnum"}
        | {"isalpha", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper"}
        | {"join", "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix"}
        | {"replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split"}
        | {"splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill"}
    ),
    list: frozenset(
        {"append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove"}
        | {"reverse", "sort"}
    ),
    dict: frozenset(
        {"clear", "copy", "get", "items", "keys", "pop", "popitem", "setdefault", "update"}
        | {"values"}
    ),
    set: frozenset(
        {"add", "clear", "copy", "difference", "discard", "intersection", "isdisjoint"}
        | {"issubset", "issuperset", "pop", "remove", "symmetric_difference", "union", "update"}
    ),
    frozenset: frozenset({"copy", "difference", "intersection", "isdisjoint", "issubset"})
    | frozenset({"issuperset", "symmetric_difference", "union"}),
    tuple: frozenset({"count", "index"}),
    int: frozenset({"bit_length", "real", "imag", "numerator", "denominator"}),
    float: frozenset({"is_integer", "real", "imag"}),
    BaseException: frozenset({"args"}),
    dt.datetime: frozenset(
        {"year", "month", "day", "hour", "minute", "second", "microsecond", "weekday"}
        | {"isoweekday", "isoformat", "strftime", "date", "time", "replace", "isocalendar"}
        | {"toordinal", "ctime"}
    ),
    dt.date: frozenset(
        {"year", "month", "day", "weekday", "isoweekday", "isoformat", "strftime", "replace"}
        | {"isocalendar", "toordinal", "ctime"}
    ),
    dt.time: frozenset({"hour", "minute", "second", "microsecond", "isoformat", "strftime"})
    | frozenset({"replace"}),
    dt.timedelta: frozenset({"days", "seconds", "microseconds", "total_seconds"}),
    # an API time: the str it is, and a datetime's fields (intentos/api/times.py)
    Timestamp: TIME_ATTRIBUTES,
}

# Modules a workflow may import and the names each offers. The sandbox gives a workflow its
# own copies (intentos.sandbox.modules): datetime's now() and today() read the device's clock,
# not the host's. math leaves out what makes huge integers (factorial, comb, perm).
IMPORTABLE: dict[str, frozenset[str]] = {
    "datetime": frozenset({"date", "datetime", "time", "timedelta"}),
    "math": frozenset(
        {"ceil", "floor", "trunc", "sqrt", "fabs", "fsum", "isclose", "isfinite", "isnan"}
        | {"exp", "log", "log10", "log2", "pow", "hypot", "gcd", "prod", "fmod", "modf"}
        | {"sin", "cos", "tan", "asin", "acos", "atan", "atan2", "radians", "degrees"}
        | {"pi", "e", "inf", "nan"}
    ),
}

# Attributes of the importable classes themselves (``datetime.now()``, ``date.today()``).
CLASS_ATTRIBUTES: dict[str, frozenset[str]] = {
    "datetime": frozenset({"now", "today", "strptime", "fromisoformat", "combine", "min", "max"}),
    "date": frozenset({"today", "fromisoformat", "min", "max"}),
    "time": frozenset({"fromisoformat", "min", "max"}),
    "timedelta": frozenset({"min", "max"}),
}

# The fields of the API's records (r.email reads r["email"]); on any other value they are
# refused like every name not listed above.
RECORD_FIELDS: frozenset[str] = FIELD_NAMES

ALL_SAFE_ATTRIBUTES: frozenset[str] = frozenset().union(
    *SAFE_ATTRIBUTES.values(), *IMPORTABLE.values(), *CLASS_ATTRIBUTES.values(), RECORD_FIELDS
)


def is_record_field(value: object, name: str) -> bool:
    """``name`` reads a field of a record the API returned (never a private name)."""
    return isinstance(value, Record) and not name.startswith("_") and name in value


def attribute_allowed(value: object, name: str) -> bool:
    if name.startswith("_"):
        return False
    if is_record_field(value, name):
        return True
    return any(isinstance(value, kind) and name in names for kind, names in SAFE_ATTRIBUTES.items())
