"""A wish to send a document is not answered by a mail without it.

"E-mail Jordan our car registration renewal notice": the 1.5B looked up Jordan's address and
mailed "Please renew your car registration by the end of next week", with nothing attached.
The run ended ``ok`` and printed that the mail was sent; Jordan would have got a note about a
notice they never saw.

**The rule.** A run that ended ``ok`` having queued mail, none of it carrying an attachment and
none of it forwarded (a forward carries the mail's own attachments), is an error
(:data:`UNATTACHED`) when the wish asks to send or mail (:data:`SENDS`) something it names
as one of the person's files: a word of :data:`DOCUMENTS` after "my", "our", "the", "his",
"her", "their" or a name's "'s" (up to three words between: "our car registration renewal
notice"). A document named only as the source of what is sent ("the VIN from our
registration", "what's in my lease") does not count, nor a wish for a text message (texts
carry no files). The run is rolled back, and the repair loop asks for the file to be found
and attached, or for the person to be told it is not there. Every reference and alternative
workflow of every suite passes (tests/test_attachments.py).
"""

from __future__ import annotations

import re

from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.wish_words import one_of, whole_words

UNATTACHED = "unattached"

# Words of a wish that ask to send by mail, each with a wish that holds one (the tests
# parametrise over both). Matched as whole words, any case.
SENDS: tuple[tuple[str, str], ...] = (
    (r"send|resend", "Send my insurance card to Jordan"),
    (r"e-?mail|mail", "E-mail Mateo the photos from Cannon Beach"),
    (r"share|attach", "Share the report with Maria"),
)
# Words of a wish for a text message, which carries no files.
TEXTS = re.compile(r"\b(?:text|texts|texting|sms|message)\b", re.IGNORECASE)
# Nouns that name a file the person keeps, each with a wish that names one.
DOCUMENTS: tuple[tuple[str, str], ...] = (
    (r"titles?|registrations?|deeds?|leases?|contracts?|polic(?:y|ies)", "Send my car title"),
    (r"statements?|invoices?|receipts?|bills?|returns?|paystubs?", "Mail Rachel our tax return"),
    (r"w-?2s?|1099(?:-\w+)?s?|forms?|paperwork|documents?", "Send Rachel our W-2"),
    (r"notices?|letters?|certificates?|passports?|licen[cs]es?", "E-mail our renewal notice"),
    (r"pdfs?|scans?|copies|copy|cards?|tickets?", "Send my insurance card to Jordan"),
    (r"photos?|pictures?|pics|images?|screenshots?|headshots?", "Send Rosa the photo of our car"),
    (r"reports?|resumes?|cvs?|slides|spreadsheets?|presentations?", "Send the report to Maria"),
)
_SENDS = whole_words(SENDS)
# A document phrase after one of these words is where the thing sent comes from ("the VIN
# from our registration"), not what is sent.
_SOURCE = r"(?:from|in|on|of|about|inside|under|per)\s+"
_OWNER = r"(?:my|our|the|his|her|their|\w+'s)\s+"
_DOCUMENT = re.compile(
    rf"(?:^|(?<=\s))(?P<source>{_SOURCE})?(?P<phrase>{_OWNER}"
    rf"(?:(?!{_SOURCE}|{_OWNER})[\w-]+\s+){{0,3}}(?:{one_of(DOCUMENTS)}))\b",
    re.IGNORECASE,
)


def document_asked_for(intent: str) -> str | None:
    """The phrase naming a document the wish asks to send by mail ("our car registration"),
    or None."""
    if _SENDS.search(intent) is None or TEXTS.search(intent):
        return None
    for match in _DOCUMENT.finditer(intent):
        if not match["source"]:
            return match["phrase"]
    return None


def review_attachments(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` having mailed nothing attached while its wish asks
    to send a document (see the module docstring), or None."""
    mails = [item for item in record.outbox if item.kind == "mail"]
    if record.status != "ok" or not mails:
        return None
    if any(item.attachments or item.function == "forward_email" for item in mails):
        return None
    phrase = document_asked_for(intent)
    if phrase is None:
        return None
    return ErrorInfo(
        kind=UNATTACHED,
        message=(
            f"the wish asks to send {phrase!r}, but the mail to {', '.join(mails[0].to)} "
            "carries no attachment; nothing was sent. Find the file (find_file or find_files) "
            "and attach it: send_email(to, subject, body, attachments=[path]); if it is not on "
            "the device, print() that and send nothing"
        ),
    )
