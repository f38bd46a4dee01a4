"""Sensors: temperature and the device's other readings."""

from __future__ import annotations

from typing import Any

from intentos.api.context import ApiContext
from intentos.api.registry import FULL, Effect, api
from intentos.errors import ApiError


def reading(ctx: ApiContext, name: str) -> dict[str, Any]:
    row = ctx.row(
        "SELECT name, value, unit, location, updated FROM sensors WHERE name = ?", (name,)
    )
    if row is None:
        names = [r["name"] for r in ctx.rows("SELECT name FROM sensors ORDER BY name")]
        raise ApiError(f"there is no sensor {name!r}; the sensors are {', '.join(names)}")
    return row


@api(Effect.READ, name="get_temperature")
def get_temperature(ctx: ApiContext) -> float:
    """Return the current temperature in degrees Celsius."""
    return float(reading(ctx, "temperature")["value"])


@api(Effect.READ, profiles=("paper1", "paper2"), name="get_temperature")
def get_temperature_integer(ctx: ApiContext) -> int:
    """Return the current temperature in degrees Celsius, rounded to a whole number."""
    return round(float(reading(ctx, "temperature")["value"]))


@api(Effect.READ, profiles=(FULL,))
def read_sensor(ctx: ApiContext, name: str) -> dict[str, Any]:
    """Return the reading of sensor `name` ("temperature", "humidity", "battery", ...):
    name, value, unit, location, updated."""
    return reading(ctx, name)
