"""Messages: text messages to and from phone numbers; sending needs approval."""

from __future__ import annotations

from intentos.api.context import ApiContext
from intentos.api.records import Message
from intentos.api.registry import Effect, api
from intentos.device.phones import digits
from intentos.errors import ApiError

from . import _addressee, _recipients
from ._common import ends_with_number
from ._placeholders import need_no_placeholder


@api(Effect.IRREVERSIBLE)
def send_message(ctx: ApiContext, to: str, text: str) -> int:
    """Send the text message `text` to the phone number `to`; return the message's id."""
    if not text.strip():
        raise ApiError("the message is empty")
    need_no_placeholder(text)
    to = _addressee.phone_of(ctx, to)  # may ask the person which contact: the text is fine
    _recipients.need_known(ctx, [to], phone=True)
    return ctx.insert(
        "messages",
        {"direction": "out", "number": to.strip(), "body": text, "date": ctx.now_iso(), "read": 1},
    )


@api(Effect.READ)
def list_messages(ctx: ApiContext, number: str | None = None, limit: int = 20) -> list[Message]:
    """List text messages, newest first; with `number`, only those to or from that number
    (`direction` is "in" or "out")."""
    if number is not None and not digits(number):
        number = _addressee.phone_of(ctx, number)
    rows = ctx.rows("SELECT * FROM messages ORDER BY date DESC, id DESC")
    if number is not None:
        rows = [row for row in rows if ends_with_number(row["number"], number)]
    return [
        {
            "id": row["id"],
            "direction": row["direction"],
            "number": row["number"],
            "text": row["body"],
            "date": row["date"],
        }
        for row in rows[: max(limit, 0)]
    ]
