"""The OS API of intentos' simulated device: one module per app.

Each module declares plain, typed functions with :func:`intentos.api.registry.api`, naming
their effect class (read / write / irreversible) and the profiles they belong to. The profile
``full`` is everything intentos offers; ``paper1`` and ``paper2`` reproduce the function tables
of the two papers intentos grows out of, in their order, which :data:`PROFILE_ORDERS` fixes.
Installed, this package is ``intentos.apis``.
"""

from __future__ import annotations

# The order in which the apps appear in the ``full`` profile's function table.
APP_ORDER: list[str] = [
    "system",
    "files",
    "contacts",
    "mail",
    "calendar",
    "media",
    "messages",
    "notes",
    "sensors",
    "web",
    "assistant",
    "shell",
]

PROFILE_ORDERS: dict[str, list[str]] = {
    "paper1": [
        "find_file_id",
        "find_contact_id",
        "find_contact_email",
        "play_voice",
        "ask_question",
        "play_audio_file",
        "send_email",
        "receive_email",
        "print_screen",
        "get_temperature",
        "shell",
    ],
    "paper2": [
        "find_contact_id",
        "find_contact_email",
        "ask_question",
        "send_email",
        "get_temperature",
        "find_files",
        "print",
        "shell",
        "sleep",
        "find_all_audio_files",
        "generate_random_number",
        "play_audio_file",
        "find_file",
        "stop_audio_player",
        "query_llm",
        "http_get_request",
    ],
}
