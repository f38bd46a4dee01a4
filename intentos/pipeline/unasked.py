"""Refusing mail and text messages that the wish did not ask for.

A small model that has seen "Send my car title to my insurance company" may answer "File the
plumbing invoice from my Downloads under Documents/Housing" by mailing the invoice to the
plumber (the 1.5B did, on the core suite), or a wish for a song by texting the landlord
(issue 12). The copy guard (:mod:`intentos.pipeline.copies`) catches the second only while
the example's very texts are reused; a mail that the model adapted to the new wish leaves.

**The rule.** A run that queued mail or a text message is judged before the person sees its
preview: when the wish holds none of the words of :data:`ASKS_TO_REACH` — words that ask to
send, tell, reply, forward, share, invite or otherwise reach someone, or that name mail or
texts at all — the run is an error (:data:`UNASKED_SEND`), rolled back like any other, and the
repair loop sends the error back to the model. The list is generous on purpose: a wish that so
much as mentions an e-mail may lead to one, and only wishes that speak of nothing of the kind
("File the invoice", "Play something relaxing", "What's on my calendar tomorrow?") are held to
it. Every reference and alternative workflow of every suite passes it, and so does every
intent of the worked examples and of AgentDojo's workspace suite whose task sends mail
(tests/test_unasked.py).

**Who the wish leaves out.** "Text everyone else on the invite, not Jordan, I'll tell them
myself": the 1.5B texted Jordan too. A name the wish excludes (:data:`LEAVES_OUT`: "not
Jordan", "except Jordan", "don't tell Jordan" …) is looked up among the contacts, by whole
words of their names, and a run that queued mail or a message to any of their addresses or
numbers is an error (:data:`EXCLUDED_SEND`) in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from intentos.device import search
from intentos.device.phones import number_key
from intentos.device.store import Device
from intentos.execution.outbox import QueuedEffect, count_words
from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.wish_words import whole_words

UNASKED_SEND = "unasked_send"
EXCLUDED_SEND = "excluded_send"

# Words of a wish that ask to reach someone, or that speak of mail and messages; each with a
# wish it lets through (the tests parametrise over both). Matched as whole words, any case. A
# verb said of the person ("tell me", "remind me", "let me know") reaches nobody: {NOT_ME}
# after a verb leaves those out.
NOT_ME = r"(?!\s+(?:me|us|myself|ourselves)\b)"
ASKS_TO_REACH: tuple[tuple[str, str], ...] = (
    (r"send|sent|sending|resend", "Send the report to Maria"),
    (r"e-?mail(?:s|ed|ing)?|mail(?:s|ed|ing)?|inbox|cc|bcc", "Get my car title to Greg by mail"),
    (r"texts?|texted|texting|sms|messages?|messaged|dm", "Text Sam that I'm late"),
    (r"(?:tell|told|inform|notify|alert|warn|ask|remind|ping){NOT_ME}", "Tell Theo hi"),
    (r"keep\s+\w+\s+(?:posted|updated|informed|in\s+the\s+loop)", "Keep Greg posted"),
    (r"update\s+(?:\w+\s+){1,2}on|nudge|chase", "Update the team on the leak"),
    (r"let\s+(?!me\b|us\b)\w+(?:\s+\w+){0,3}\s+know", "Let Johnny know soccer is off"),
    (r"repl(?:y|ies|ied)|respond|answer(?:ed)?|write\s+(?:back|to)|get\s+back", "Reply to Greg"),
    (r"forward|share|pass\s+(?:on|along)|over\s+to|give{NOT_ME}", "Get the photos over to Mateo"),
    (r"invite|rsvp|confirm|decline|accept|cancel|reschedule|book|order|request", "RSVP to Kat"),
    (r"reach\s+out|loop\s+(?:\w+\s+){0,2}in|check\s+in|follow\s+up", "Loop Jordan in"),
    # "Get the photos to Mateo", "Write Sam a note about Friday"
    (r"(?:get|bring)\s+(?:\w+\s+){1,4}to\s+(?-i:[A-Z])\w*", "Get the photos to Mateo"),
    (r"write\s+(?-i:[A-Z])\w*\s+a\s+(?:note|line|message)", "Write Sam a note about Friday"),
    # "contact" as a verb, not a contact card ("update his contact", "contact lens")
    (
        r"(?:^\s*(?:please\s+)?|(?:and|then|to)\s+)contact|contact(?=\s+(?:the|my|our|him|her|them)\b)",
        "Please contact the landlord about the leak",
    ),
    (r"thank|congrat\w*|apologi[sz]e|wish|greet|welcome|introduce", "Thank Theo"),
    (r"say\s+(?:\w+\s+){0,3}to", "Say happy birthday to Theo"),
    (r"(?:drop|shoot)\s+\w+\s+a\s+(?:note|line)", "Drop Greg a line about the fan"),
)
_ASKS = whole_words((pattern.replace("{NOT_ME}", NOT_ME), wish) for pattern, wish in ASKS_TO_REACH)


# Ways a wish names someone to leave out, each with the kind of outgoing item it forbids (None:
# any; "Don't text Jordan, e-mail him" forbids only a text) and a wish that does; the name is
# the capitalised words after the phrase (the phrase itself in any case).
_NAME = r"([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)?)"
_DONT = r"\b(?:don'?t|do\s+not|never)\s+"
LEAVES_OUT: tuple[tuple[str, str | None, str], ...] = (
    (
        r"(?i:\bnot|\bexcept(?:\s+for)?|\bother\s+than|\bapart\s+from|\bexcluding)\s+" + _NAME,
        None,
        "Text everyone on the invite, not Jordan",
    ),
    (
        rf"(?i:{_DONT}(?:tell|include|send\s+(?:it\s+|this\s+|anything\s+)?to))\s+" + _NAME,
        None,
        "Share the news but don't tell Jordan",
    ),
    (rf"(?i:{_DONT}(?:text|message))\s+" + _NAME, "message", "Don't text Jordan, e-mail him"),
    (rf"(?i:{_DONT}(?:e-?mail|mail|cc))\s+" + _NAME, "mail", "Text Greg but don't e-mail Greg"),
    (r"(?i:\bleave)\s+" + _NAME + r"(?i:\s+out)", None, "Invite the team and leave Marcus out"),
)
_LEAVES_OUT = [(re.compile(pattern), kind) for pattern, kind, _ in LEAVES_OUT]


class Person(NamedTuple):
    """A contact as the guard needs it."""

    name: str
    email: str | None
    phone: str | None


class LeftOut(NamedTuple):
    """A name the wish leaves out, as written ("Jordan", "Mr. Holloway"), and the kind of
    outgoing item it forbids them (None: any)."""

    name: str
    kind: str | None


def people_on(device: Device) -> list[Person]:
    """The device's contacts as they stand (in a run: before its commit)."""
    rows = device.connection.execute("SELECT name, email, phone FROM contacts")
    return [Person(*row) for row in rows]


def left_out(intent: str) -> list[LeftOut]:
    """The names ``intent`` says to leave out."""
    return [
        LeftOut(found[1], kind)
        for pattern, kind in _LEAVES_OUT
        for found in pattern.finditer(intent)
    ]


def asks_to_reach(intent: str) -> bool:
    """Whether the wish asks to reach someone, or speaks of mail or messages at all."""
    return _ASKS.search(intent) is not None


def review_sends(
    record: ExecutionRecord, intent: str, people: Callable[[], Iterable[Person]] = tuple
) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` with mail or messages queued that ``intent`` never
    asked for, or to someone it leaves out (see the module docstring), or None. ``people``
    reads the device's contacts, only when the wish leaves someone out."""
    queued = record.outbox
    if record.status != "ok" or not queued:
        return None
    if asks_to_reach(intent):
        return _excluded_send(queued, left_out(intent), people)
    first = queued[0].headline()
    return ErrorInfo(
        kind=UNASKED_SEND,
        message=(
            f"the wish does not ask to send, tell or reply to anyone, but the workflow sent "
            f"{count_words(queued)} ({first}); nothing was sent. Do only what the wish asks, "
            "without mail or text messages, and print() what you did or found"
        ),
    )


def _excluded_send(
    queued: list[QueuedEffect], names: list[LeftOut], people: Callable[[], Iterable[Person]]
) -> ErrorInfo | None:
    if not names:
        return None
    contacts = list(people())
    for name, kind in names:
        meant = _named(name, contacts)
        addresses = {person.email.lower() for person in meant if person.email}
        numbers = {number_key(person.phone) for person in meant if person.phone}
        for item in queued:
            if kind is not None and item.kind != kind:
                continue
            reached = [
                to
                for to in [*item.to, *item.cc]
                if to.lower() in addresses or ((number := _number(to)) and number in numbers)
            ]
            if reached:
                return ErrorInfo(
                    kind=EXCLUDED_SEND,
                    message=(
                        f"the wish says to leave {name} out, but the workflow sent a "
                        f"{item.headline()} that reaches {name} ({', '.join(reached)}); nothing "
                        f"was sent. Skip {name}'s address or number when sending"
                    ),
                )
    return None


def _named(name: str, people: list[Person]) -> list[Person]:
    """The contacts whose names hold every word of ``name`` ("Mr." and the like aside), else
    those holding its first word ("Jordan I'll tell them myself": Jordan)."""
    written = search.focus(name, "contact")
    for words in (written, written.split()[0]):
        meant = [
            person for person in people if search.covers(words, [person.name], search.WHOLE_WORDS)
        ]
        if meant:
            return meant
    return []


def _number(text: str) -> str:
    """The phone number ``to`` is, compared as :func:`number_key` does ("" for an address)."""
    return "" if "@" in text else number_key(text)
