"""Whole numbers read from text a client sent.

`str.isdigit()` alone is not enough: it accepts digits such as "²" that `int()` refuses, and
`int()` refuses any string over 4,300 digits, so a check that ends in `int(raw)` can raise."""

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the store


def whole_number(raw: str | bytes | None, most: int = MAX_ID) -> int | None:
    """`raw` (ASCII digits, nothing else) as a number from 0 to `most`, else None."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(most)):
        return None
    value = int(raw)
    return value if value <= most else None
