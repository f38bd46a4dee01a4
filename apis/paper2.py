"""The second paper's function table (profile ``paper2``), implemented on the device.

Names, parameters and types are the paper's; where the paper's signature differs from the
``full`` profile (``send_email`` with ``attachment_paths``, ``print(text)``,
``generate_random_number(inclusiveStart, exclusiveEnd)``) the variant is declared here. The
other paper-2 functions are shared with ``full`` and declared in their app modules.
"""

from __future__ import annotations

from typing import Annotated, Any

from intentos.api.context import ApiContext
from intentos.api.registry import Effect, ShownAs, api

from . import _person, mail, system

PAPER2 = ("paper2",)


@api(Effect.IRREVERSIBLE, profiles=PAPER2, name="send_email")
def send_email_with_paths(
    ctx: ApiContext, email: str, subject: str, text: str, attachment_paths: list[str]
) -> None:
    """Send an e-mail to `email` with the files at `attachment_paths`."""
    mail.send(ctx, email, subject, text, mail.attachment_rows(ctx, attachment_paths))


@api(Effect.WRITE, profiles=PAPER2, name="print")
def print_text(ctx: ApiContext, text: Annotated[Any, ShownAs("String")]) -> None:
    """Show `text` on the screen."""
    _person.show(ctx, "screen", str(text))


@api(Effect.READ, profiles=PAPER2, name="generate_random_number")
def generate_random_number_paper(ctx: ApiContext, inclusiveStart: int, exclusiveEnd: int) -> int:
    """Return a random whole number from `inclusiveStart` up to, not including, `exclusiveEnd`."""
    return system.random_number(ctx, inclusiveStart, exclusiveEnd)


@api(Effect.WRITE, profiles=PAPER2, name="sleep")
def sleep_whole_seconds(ctx: ApiContext, seconds: int) -> None:
    """Wait for `seconds` seconds."""
    system.pause(ctx, seconds)
