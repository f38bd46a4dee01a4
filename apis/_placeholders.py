"""Template gaps in outgoing text: a mail or text message must not leave with one.

A small model writes "The password for the guest Wi-Fi is [insert password here]." when it did
not look the password up (and, told so, "your_real_password_here"), or signs "[Your Name]", or
drops the ``f`` of an f-string so the person's friend reads "{address}", or passes on the
person's "I don't know." to a question as the message itself, or makes a link up at a domain
reserved for examples ("https://example.com/lentil-soup-recipe"). Sent, such a text is
an embarrassment that cannot be taken back; refused, it is an error the repair loop sees, and
nothing leaves.

Each entry of :data:`PLACEHOLDERS` is one kind of gap (a pattern, and what it is, for the
error); the tests parametrise over them.
"""

from __future__ import annotations

import re

from intentos.errors import ApiError

_GAP_WORDS = (
    "insert|enter|add|fill|your|recipient|recipient's|name|placeholder|date|time|address|"
    "phone|number|password|link|url|amount|details|location"
)
PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\[(?:{_GAP_WORDS})\b[^\]\n]{{0,60}}\]", re.IGNORECASE), "a gap to fill in"),
    (re.compile(rf"<(?:{_GAP_WORDS})\b[^>\n]{{0,60}}>", re.IGNORECASE), "a gap to fill in"),
    (
        re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]\n]{1,40}\])?\}"),
        "a name in braces: the f of an f-string is missing",
    ),
    # "your_real_password_here", "YOUR_NAME_HERE": a stand-in the workflow never replaced
    (re.compile(r"\b[A-Za-z]+(?:_[A-Za-z]+)*_here\b", re.IGNORECASE), "a stand-in to replace"),
    # the whole text is a "don't know": the person's answer to a question the workflow asked
    # ("What questions should I send?"), passed on to the doctor's office (the 1.5B did)
    (
        re.compile(
            r"^\W*(?:i\s+(?:don'?t|do\s+not)\s+know|(?:i'?m\s+)?not\s+sure|(?:i\s+have\s+)?"
            r"no\s+idea|dunno|idk)\W*$",
            re.IGNORECASE,
        ),
        "the person's reply that they do not know, not a text to send",
    ),
    # "https://example.com/lentil-soup-recipe": a link or address made up where the real one
    # was to be looked up; example.com, .net and .org are reserved for examples (RFC 2606)
    # and reach nobody
    (
        re.compile(r"(?<![\w.-])(?:[a-z0-9-]+\.)*example\.(?:com|net|org)\b\S*", re.IGNORECASE),
        "a made-up link or address: example.com, .net and .org are reserved for examples",
    ),
)


def need_no_placeholder(*texts: str) -> None:
    """Refuse outgoing ``texts`` (subject, body, message) that still hold a template gap."""
    for text in texts:
        for pattern, what in PLACEHOLDERS:
            found = pattern.search(text)
            if found is not None:
                raise ApiError(
                    f"the text still holds {found[0]!r} ({what}), so nothing was sent; put the "
                    "real words in (look them up on the device first, e.g. with find_files, "
                    "read_file or search_emails), or tell the person what is missing"
                )
