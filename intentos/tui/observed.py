"""A registry that reports each API call as it returns, so the UI can list calls live."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from intentos.api.context import ApiContext
from intentos.api.registry import CallOutcome, Effect, Registry
from intentos.execution.record import CallRecord

CallWatcher = Callable[[CallRecord], None]


class ObservedRegistry(Registry):
    """The same functions and profiles as ``base``; ``watch`` sees every finished call.

    An irreversible call only reaches the registry once the person allowed it."""

    def __init__(self, base: Registry, watch: CallWatcher) -> None:
        orders = {profile: list(base.table(profile)) for profile in base.profiles}
        super().__init__(base.all_functions(), orders)
        self.watch = watch

    def call(
        self,
        context: ApiContext,
        name: str,
        args: tuple[Any, ...] | list[Any] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> CallOutcome:
        outcome = super().call(context, name, args, kwargs)
        self.watch(
            CallRecord(
                name=name,
                args=list(args),
                kwargs=dict(kwargs or {}),
                result=outcome.value if outcome.ok else None,
                error=outcome.error,
                effect=outcome.effect.value if outcome.effect else None,
                approved=True if outcome.effect is Effect.IRREVERSIBLE else None,
            )
        )
        return outcome
