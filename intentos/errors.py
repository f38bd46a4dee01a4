"""Errors raised inside intentos' core.

Exceptions stay inside a layer; across layers (executor, pipeline, UI) results are plain
records. The hierarchy is small::

    IntentosError                 base of everything intentos raises on purpose
    ├── WorldError                a world seed is unreadable, malformed or inconsistent
    ├── DeviceError               the device file is missing, corrupt or of an unknown schema
    ├── StoreError                the run log is unusable (intentos.store.runlog)
    ├── BackendError              a model backend failed; .kind says how (intentos.backends.base)
    ├── PromptError, IntentError  a prompt template or the intent itself is unusable
    └── ApiError                  an OS API call was refused: bad arguments, nothing found ...
        └── ApiArgumentError      the arguments do not fit the function's signature

An :class:`ApiError` message is written for the model that wrote the call: it says what was
expected and what was given, so the model can repair its workflow.
"""

from __future__ import annotations


class IntentosError(Exception):
    """Base class of all errors intentos raises on purpose."""


class WorldError(IntentosError):
    """A world seed is unreadable, malformed or inconsistent."""


class DeviceError(IntentosError):
    """The device database is missing, corrupt or has an unknown schema."""


class ApiError(IntentosError):
    """An OS API call failed in a way the calling workflow should hear about."""


class ApiArgumentError(ApiError):
    """The arguments of an OS API call do not fit its signature."""
