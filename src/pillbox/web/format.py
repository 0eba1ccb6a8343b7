"""How values read on screen: names of people and organisations, dates and times, sizes."""

from decimal import Decimal, InvalidOperation
from typing import Any


def party_name(row: Any, prefix: str = "") -> str:
    """A party's display name from a row holding `{prefix}type`, first/last name and name."""
    if getattr(row, f"{prefix}type") == "organisation":
        return str(getattr(row, f"{prefix}name") or "")
    first = getattr(row, f"{prefix}first_name")
    last = getattr(row, f"{prefix}last_name")
    return " ".join(part for part in (first, last) if part)


def when(timestamp: str | None) -> str:
    """`2026-01-31T09:30:00Z` as `2026-01-31 09:30` (UTC)."""
    if not timestamp:
        return ""
    return timestamp.replace("T", " ")[:16]


def size(count: int | None) -> str:
    value = float(count or 0)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} MB"


def money(amount: Any, currency: str | None) -> str:
    """`1250.5` GBP as `GBP 1,250.50`; whole amounts without decimals (`GBP 1,250`)."""
    if amount is None or currency is None:
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return f"{currency} {amount}"
    shown = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{currency} {shown}"


FILTERS = {"when": when, "size": size, "money": money}
