"""Sensors: temperature and the device's other readings."""

from __future__ import annotations

import re

from intentos.api.context import ApiContext, Row
from intentos.api.records import SensorReading
from intentos.api.registry import FULL, Effect, api
from intentos.errors import ApiError


def sensor_key(name: str) -> str:
    """A sensor name as compared: case, spaces, hyphens and underscores do not matter
    (``CO2``, ``co2``; ``Air Quality`` = ``air_quality``)."""
    return "_".join(re.split(r"[\s_-]+", name.strip().casefold())).strip("_")


def _named(rows: list[Row], name: str) -> Row | None:
    """The sensor called ``name``: the same key, else the one sensor whose name is a whole
    word of it (``co2 level`` and ``living room co2`` are the co2 sensor)."""
    wanted = sensor_key(name)
    same = [row for row in rows if sensor_key(row["name"]) == wanted]
    if same:
        return same[0]
    words = f"_{wanted}_"
    within = [row for row in rows if f"_{sensor_key(row['name'])}_" in words]
    return within[0] if len(within) == 1 else None


def reading(ctx: ApiContext, name: str) -> SensorReading:
    rows = ctx.rows("SELECT name, value, unit, location, updated FROM sensors ORDER BY name")
    row = _named(rows, name)
    if row is None:
        names = ", ".join(str(r["name"]) for r in rows)
        raise ApiError(f"there is no sensor {name!r}; the sensors are {names}")
    return {
        "name": row["name"],
        "value": row["value"],
        "unit": row["unit"],
        "location": row["location"],
        "updated": row["updated"],
    }


@api(Effect.READ, name="get_temperature")
def get_temperature(ctx: ApiContext) -> float:
    """Return the current temperature in degrees Celsius."""
    return float(reading(ctx, "temperature")["value"])


@api(Effect.READ, profiles=("paper1", "paper2"), name="get_temperature")
def get_temperature_integer(ctx: ApiContext) -> int:
    """Return the current temperature in degrees Celsius, rounded to a whole number."""
    return round(float(reading(ctx, "temperature")["value"]))


@api(Effect.READ, profiles=(FULL,))
def read_sensor(ctx: ApiContext, name: str) -> SensorReading:
    """Return the reading of sensor `name` ("temperature", "humidity", "co2", "light",
    "battery", ...)."""
    return reading(ctx, name)
