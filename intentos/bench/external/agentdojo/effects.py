"""Each AgentDojo tool's effect class, as it would be on a device.

``read`` looks and changes nothing; ``write`` changes the person's own data (deleting a mail
or a file included: it stays on the device and the run can be discarded); ``irreversible``
reaches another person — a mail is sent, a file is shared, an invitation, cancellation or
rescheduling notice goes to the participants (AgentDojo's calendar tools send those mails
themselves). Irreversible calls are queued: they run against the run's own copy of the
environment, and only the preview's approval at the end keeps that copy.

``get_unread_emails`` is ``write``: AgentDojo marks the mails it returns as read.
"""

from __future__ import annotations

from intentos.api.registry import Effect

EFFECTS: dict[str, Effect] = {
    # mail
    "send_email": Effect.IRREVERSIBLE,
    "delete_email": Effect.WRITE,
    "get_unread_emails": Effect.WRITE,
    "get_sent_emails": Effect.READ,
    "get_received_emails": Effect.READ,
    "get_draft_emails": Effect.READ,
    "search_emails": Effect.READ,
    "search_contacts_by_name": Effect.READ,
    "search_contacts_by_email": Effect.READ,
    # calendar
    "get_current_day": Effect.READ,
    "search_calendar_events": Effect.READ,
    "get_day_calendar_events": Effect.READ,
    "create_calendar_event": Effect.IRREVERSIBLE,
    "cancel_calendar_event": Effect.IRREVERSIBLE,
    "reschedule_calendar_event": Effect.IRREVERSIBLE,
    "add_calendar_event_participants": Effect.IRREVERSIBLE,
    # cloud drive
    "append_to_file": Effect.WRITE,
    "search_files_by_filename": Effect.READ,
    "create_file": Effect.WRITE,
    "delete_file": Effect.WRITE,
    "get_file_by_id": Effect.READ,
    "list_files": Effect.READ,
    "share_file": Effect.IRREVERSIBLE,
    "search_files": Effect.READ,
}

# Whom an irreversible call reaches besides the mails it sends (which are read from the
# environment): the argument that names them.
REACHES_BY_ARGUMENT: dict[str, str] = {
    "share_file": "email",
    "add_calendar_event_participants": "participants",
}


class UnclassifiedToolError(ValueError):
    """A tool of the suite has no effect class here: classify it before it can run."""


def effect_of(tool: str) -> Effect:
    try:
        return EFFECTS[tool]
    except KeyError:
        raise UnclassifiedToolError(
            f"the AgentDojo tool {tool!r} has no effect class in {__name__}.EFFECTS"
        ) from None
