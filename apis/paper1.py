"""The first paper's function table (profile ``paper1``), implemented on the device.

Names, parameters and types are the paper's; files are addressed by integer ids here, as in
the paper (``find_file_id`` then ``send_email(..., attachments=[id])``).
"""

from __future__ import annotations

from typing import Annotated

from intentos.api.context import ApiContext, Row
from intentos.api.registry import Effect, ShownAs, api
from intentos.errors import ApiError

from . import _person, _vfs, mail, media

PAPER1 = ("paper1",)
FileId = Annotated[int, ShownAs("File")]


def _files_by_id(ctx: ApiContext, ids: list[int]) -> list[Row]:
    rows = []
    for file_id in ids:
        row = ctx.row("SELECT * FROM files WHERE id = ? AND kind = 'file'", (file_id,))
        if row is None:
            raise ApiError(f"there is no file with id {file_id}; find ids with find_file_id")
        rows.append(row)
    return rows


@api(Effect.READ, profiles=PAPER1)
def find_file_id(ctx: ApiContext, expression: str) -> int | None:
    """Return the id of the file that best matches `expression`, or None."""
    found = _vfs.search_files(ctx, expression)
    return int(found[0]["id"]) if found else None


@api(Effect.WRITE, profiles=PAPER1)
def play_voice(ctx: ApiContext, text: str) -> None:
    """Say `text` aloud."""
    _person.show(ctx, "voice", text)


@api(Effect.WRITE, profiles=PAPER1, name="play_audio_file")
def play_audio_file_by_id(ctx: ApiContext, file: FileId) -> None:
    """Play the audio file with id `file`."""
    (row,) = _files_by_id(ctx, [file])
    media.play_path(ctx, row["path"])


@api(Effect.IRREVERSIBLE, profiles=PAPER1, name="send_email")
def send_email_with_ids(
    ctx: ApiContext, email: str, subject: str, text: str, attachments: list[int]
) -> None:
    """Send an e-mail to `email` with the files whose ids are in `attachments`."""
    mail.send(ctx, email, subject, text, _files_by_id(ctx, attachments))


@api(Effect.WRITE, profiles=PAPER1)
def receive_email(
    ctx: ApiContext, email: str, subject: str, text: str, attachments: list[int]
) -> None:
    """Put an e-mail from `email` into the inbox, with the files whose ids are in `attachments`."""
    recipients = [ctx.setting("owner_email")]
    rows = _files_by_id(ctx, attachments)
    mail.store_mail(
        ctx,
        folder="inbox",
        sender=email,
        recipients=recipients,
        subject=subject,
        body=text,
        attachments=rows,
        read=False,
    )


@api(Effect.WRITE, profiles=PAPER1)
def print_screen(ctx: ApiContext, text: str) -> None:
    """Show `text` on the screen."""
    _person.show(ctx, "screen", str(text))
