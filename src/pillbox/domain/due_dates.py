"""Date arithmetic for due dates: track offsets (days, weekdays, weeks) and repeating tasks."""

import calendar
from datetime import date, timedelta

from pillbox.numbers import whole_number

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
SATURDAY = 5


def shift(start: date, amount: int, rule: str) -> date:
    """`start` moved by `amount` units of `rule` (negative: earlier). Weekdays skip Saturdays
    and Sundays, so 1 weekday after a Friday is the Monday."""
    if rule == "TRACK_WEEKS":
        return start + timedelta(weeks=amount)
    if rule != "TRACK_WORKDAYS":
        return start + timedelta(days=amount)
    step = timedelta(days=1 if amount >= 0 else -1)
    day, left = start, abs(amount)
    while left:
        day += step
        if day.weekday() < SATURDAY:
            left -= 1
    return day


def _month_day(year: int, month: int, wanted: int) -> date:
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def next_occurrence(due: date, frequency: str, interval: int, on: str | None) -> date:
    """The due date of a repeating task's next occurrence.

    Monthly repeats land on day `on` of the month when it is a day number (the month's last
    day when it is shorter), else on the same day as `due`."""
    if frequency == "DAILY":
        return due + timedelta(days=interval)
    if frequency == "WEEKLY":
        return due + timedelta(weeks=interval)
    if frequency == "YEARLY":
        return _month_day(due.year + interval, due.month, due.day)
    months = due.month - 1 + interval
    wanted = whole_number(on, 31) or due.day
    return _month_day(due.year + months // 12, months % 12 + 1, wanted)
