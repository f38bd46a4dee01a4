"""Mail: the inbox, sent mail, drafts; sending leaves the device and needs approval."""

from __future__ import annotations

import json
import re
from datetime import datetime

from intentos.api.context import ApiContext, Row
from intentos.api.records import Mail, MailHeader
from intentos.api.registry import Effect, api
from intentos.device import search, vpath
from intentos.errors import ApiError

from . import _addressee, _recipients, _tied, _vfs
from ._choose import best_match
from ._common import as_list, need_expression, need_row, owner_email
from ._placeholders import need_no_placeholder

FOLDERS = ("inbox", "sent", "drafts", "trash")
_HINT = "find mail ids with list_emails() or search_emails(expression)"


def check_addresses(ctx: ApiContext, addresses: list[str]) -> list[str]:
    """The addresses to use: e-mail addresses as given, a contact's name as its address."""
    if not addresses:
        raise ApiError("no recipient given; pass an e-mail address such as 'name@example.com'")
    return [_addressee.email_of(ctx, address) for address in addresses]


def known_recipients(ctx: ApiContext, addresses: list[str]) -> list[str]:
    """Addresses to send to: well-formed, and given by the person or held by the device."""
    checked = check_addresses(ctx, addresses)
    _recipients.need_known(ctx, checked)
    return checked


def attachment_rows(ctx: ApiContext, paths: list[str]) -> list[Row]:
    rows = []
    for path in paths:
        row = _vfs.need(ctx, path, kind="file")
        rows.append(row)
    return rows


def store_mail(
    ctx: ApiContext,
    *,
    folder: str,
    sender: str,
    recipients: list[str],
    subject: str,
    body: str,
    attachments: list[Row],
    in_reply_to: int | None = None,
    cc: list[str] | None = None,
    read: bool = True,
) -> int:
    mail_id = ctx.insert(
        "mail",
        {
            "folder": folder,
            "sender": sender,
            "recipients": recipients,
            "cc": cc or [],
            "subject": subject,
            "body": body,
            "date": ctx.now_iso(),
            "read": int(read),
            "in_reply_to": in_reply_to,
        },
    )
    for position, row in enumerate(attachments):
        ctx.insert(
            "mail_attachments",
            {
                "mail_id": mail_id,
                "position": position,
                "file_id": row["id"],
                "path": row["path"],
                "name": vpath.name(row["path"]),
            },
        )
    return mail_id


def send(
    ctx: ApiContext, to: str | list[str], subject: str, body: str, attachments: list[Row]
) -> int:
    need_no_placeholder(subject, body)
    recipients = known_recipients(ctx, as_list(to))
    return store_mail(
        ctx,
        folder="sent",
        sender=owner_email(ctx),
        recipients=recipients,
        subject=subject,
        body=body,
        attachments=attachments,
    )


def _attachments_of(ctx: ApiContext, mail_id: int) -> list[Row]:
    return ctx.rows(
        "SELECT position, file_id, path, name FROM mail_attachments WHERE mail_id = ? "
        "ORDER BY position",
        (mail_id,),
    )


def _summary(ctx: ApiContext, row: Row) -> MailHeader:
    return {
        "id": row["id"],
        "folder": row["folder"],
        "from": row["sender"],
        "to": json.loads(row["recipients"]),
        "subject": row["subject"],
        "date": row["date"],
        "read": bool(row["read"]),
        "attachments": [a["name"] for a in _attachments_of(ctx, row["id"])],
    }


def _check_folder(folder: str) -> str:
    if folder not in FOLDERS:
        raise ApiError(f"unknown mail folder {folder!r}; choose one of {', '.join(FOLDERS)}")
    return folder


@api(Effect.IRREVERSIBLE)
def send_email(
    ctx: ApiContext,
    to: str | list[str],
    subject: str,
    body: str,
    attachments: list[str] | None = None,
) -> int:
    """Send an e-mail to `to` (one address or a list) with the files at the paths in
    `attachments`; return the id of the sent mail."""
    return send(ctx, to, subject, body, attachment_rows(ctx, attachments or []))


@api(Effect.READ)
def list_emails(
    ctx: ApiContext, folder: str = "inbox", limit: int = 20, unread_only: bool = False
) -> list[MailHeader]:
    """List the newest mails of `folder` ("inbox", "sent", "drafts", "trash"), newest first."""
    rows = ctx.rows(
        "SELECT * FROM mail WHERE folder = ? AND (read = 0 OR ? = 0) ORDER BY date DESC, id DESC "
        "LIMIT ?",
        (_check_folder(folder), int(unread_only), max(limit, 0)),
    )
    return [_summary(ctx, row) for row in rows]


@api(Effect.READ)
def search_emails(
    ctx: ApiContext, expression: str = "", folder: str | None = None, unread_only: bool = False
) -> list[MailHeader]:
    """Return the mails whose sender, recipients, subject or text match `expression`, best
    first; with no expression, every mail of `folder` (all folders if None), newest first."""
    mails = _mails_in(ctx, folder, unread_only)
    if not expression.strip():
        return [_summary(ctx, row) for row in mails]
    ranked = search.best_ranked(
        search.focus(expression, "mail"), mails, _search_fields, search.MIN_SCORE
    )
    found = _tied.remember(  # replying to one of several equal matches asks which is meant
        ctx,
        ranked,
        kind="mail",
        lookup="search_emails",
        expression=expression,
        label=_label,
        naming=_header,
        described=_described,
    )
    return [_summary(ctx, row) for row in found]


@api(Effect.READ)
def find_email(ctx: ApiContext, expression: str, folder: str | None = None) -> Mail | None:
    """Return the whole mail (as read_email does) whose sender, recipients, subject or text
    best match `expression`, or None if none matches; asks the person which one is meant if
    several match equally well."""
    need_expression(expression, "Greg rent")
    focused = search.focus(expression, "mail")
    mails = _mails_in(ctx, folder, False)
    ranked = search.rescored(
        search.best_ranked(focused, mails, _search_fields, search.MIN_SCORE),
        lambda value, row: value + (HEADER_BONUS if search.covers(focused, _header(row)) else 0.0),
    )
    if not ranked:
        ranked = _from_the_sender_named(ctx, expression, mails)
    row = best_match(
        ctx, ranked, kind="mail", expression=expression, label=_label, texts=_described
    )
    return None if row is None else _whole(ctx, row)


# "Rosa's car drop off": the name before 's, then what the mail is about
_POSSESSIVE = re.compile(r"^\s*([A-Za-z][\w.-]*(?:\s+[A-Za-z][\w.-]*)?)['\u2019]s\s+(\S.*)$")


def _from_the_sender_named(
    ctx: ApiContext, expression: str, mails: list[Row]
) -> list[tuple[float, Row]]:
    """When no mail holds enough of the words: "Rosa's car drop off" still means a mail Rosa
    sent, so the mails from the one named before 's (by address, or by the name of the
    contact who has that address), those holding more of the other words first. Nothing when
    the expression names no one that way, or no mail is from them."""
    found = _POSSESSIVE.match(expression)
    if found is None:
        return []
    sender, about = found[1], found[2]
    names = {
        str(row["email"]).lower(): str(row["name"])
        for row in ctx.rows("SELECT name, email FROM contacts WHERE email IS NOT NULL")
    }
    theirs = [
        row
        for row in mails
        if search.covers(
            sender, [row["sender"], names.get(row["sender"].lower())], search.WHOLE_WORDS
        )
    ]
    return search.rescored(
        [(1.0, row) for row in theirs],
        lambda value, row: value + search.score(about, _search_fields(row)),
    )


# A mail whose sender or subject holds every word beats one that only mentions them
# ("Greg's e-mail" is the one Greg sent, not one sent to him or quoting him).
HEADER_BONUS = 0.25


def _mails_in(ctx: ApiContext, folder: str | None, unread_only: bool) -> list[Row]:
    return ctx.rows(
        "SELECT * FROM mail WHERE (folder = ? OR ? IS NULL) AND (read = 0 OR ? = 0) "
        "ORDER BY date DESC, id DESC",
        (None if folder is None else _check_folder(folder), folder, int(unread_only)),
    )


def _search_fields(row: Row) -> list[str | None]:
    return [row["sender"], row["recipients"], row["subject"], row["body"]]


def _header(row: Row) -> list[str | None]:
    return [row["sender"], row["subject"]]


def _described(row: Row) -> list[str | None]:
    """What a person choosing among mails may name: sender, subject, folder and the date
    spelled out ("the February one")."""
    date = datetime.fromisoformat(row["date"])
    return [*_header(row), row["folder"], f"{date:%B} {date.day} {date.year}"]


def _label(row: Row) -> str:
    return f"{row['subject']!r} from {row['sender']} ({row['folder']}, {row['date'][:10]})"


@api(Effect.READ)
def read_email(ctx: ApiContext, email_id: int) -> Mail:
    """Return the whole mail with id `email_id`, its text and its attachments' paths."""
    return _whole(ctx, need_row(ctx, "mail", email_id, "mail", _HINT))


def _whole(ctx: ApiContext, row: Row) -> Mail:
    header = _summary(ctx, row)
    return {
        "id": header["id"],
        "folder": header["folder"],
        "from": header["from"],
        "to": header["to"],
        "cc": json.loads(row["cc"]),
        "subject": header["subject"],
        "date": header["date"],
        "read": header["read"],
        "body": row["body"],
        "attachments": [a["path"] for a in _attachments_of(ctx, header["id"])],
    }


@api(Effect.WRITE)
def mark_email_read(ctx: ApiContext, email_id: int, read: bool = True) -> None:
    """Mark a mail as read (or unread with read=False)."""
    need_row(ctx, "mail", email_id, "mail", _HINT)
    _tied.settle(ctx, "mail", email_id, "marked")
    ctx.execute("UPDATE mail SET read = ? WHERE id = ?", (int(read), email_id))


@api(Effect.IRREVERSIBLE)
def reply_to_email(
    ctx: ApiContext, email_id: int, body: str, attachments: list[str] | None = None
) -> int:
    """Reply to the sender of mail `email_id` with `body` (and files); return the reply's id.

    Replying to a mail the owner sent goes to that mail's recipients again."""
    original = need_row(ctx, "mail", email_id, "mail", _HINT)
    need_no_placeholder(body)
    _tied.settle(ctx, "mail", email_id, "sent")
    subject = original["subject"]
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    owner = owner_email(ctx)
    own_mail = original["sender"].lower() == owner.lower()
    recipients = check_addresses(
        ctx, json.loads(original["recipients"]) if own_mail else [original["sender"]]
    )
    return store_mail(
        ctx,
        folder="sent",
        sender=owner,
        recipients=recipients,
        subject=subject,
        body=body,
        attachments=attachment_rows(ctx, attachments or []),
        in_reply_to=email_id,
    )


@api(Effect.IRREVERSIBLE)
def forward_email(ctx: ApiContext, email_id: int, to: str | list[str], note: str = "") -> int:
    """Forward mail `email_id` with its attachments to `to`, with an optional note on top;
    return the id of the forwarded mail."""
    original = need_row(ctx, "mail", email_id, "mail", _HINT)
    need_no_placeholder(note)
    _tied.settle(ctx, "mail", email_id, "forwarded")
    files = [
        row
        for a in _attachments_of(ctx, email_id)
        if a["file_id"] is not None
        for row in ctx.rows("SELECT * FROM files WHERE id = ?", (a["file_id"],))
    ]
    body = (
        f"{note}\n\n---------- Forwarded message ----------\nFrom: {original['sender']}\n"
        f"Date: {original['date']}\nSubject: {original['subject']}\n\n{original['body']}"
    ).lstrip()
    return store_mail(
        ctx,
        folder="sent",
        sender=owner_email(ctx),
        recipients=known_recipients(ctx, as_list(to)),
        subject=f"Fwd: {original['subject']}",
        body=body,
        attachments=files,
    )


@api(Effect.WRITE)
def save_draft(
    ctx: ApiContext,
    to: str | list[str],
    subject: str,
    body: str,
    attachments: list[str] | None = None,
) -> int:
    """Save an unsent mail in the drafts folder (`to` may be empty for now); return its id."""
    recipients = as_list(to)
    if recipients:
        recipients = check_addresses(ctx, recipients)
    return store_mail(
        ctx,
        folder="drafts",
        sender=owner_email(ctx),
        recipients=recipients,
        subject=subject,
        body=body,
        attachments=attachment_rows(ctx, attachments or []),
    )


@api(Effect.WRITE)
def delete_email(ctx: ApiContext, email_id: int) -> None:
    """Move mail `email_id` to the trash folder."""
    need_row(ctx, "mail", email_id, "mail", _HINT)
    _tied.settle(ctx, "mail", email_id, "deleted")
    ctx.execute("UPDATE mail SET folder = 'trash' WHERE id = ?", (email_id,))
