"""Reference data the same for every account: ISO 3166-1 countries and ISO 4217 currencies.

Generated once from pycountry and Babel (CLDR) and kept as JSON beside this module.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent


@cache
def countries() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((_HERE / "countries.json").read_text("utf-8"))
    return data


@cache
def currencies() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((_HERE / "currencies.json").read_text("utf-8"))
    return data


@cache
def country_names() -> dict[str, str]:
    """lower(name) -> the name as listed, for matching what clients send."""
    return {country["name"].lower(): country["name"] for country in countries()}


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(currency["code"] for currency in currencies())
