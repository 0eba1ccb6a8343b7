"""How a goal is broken into periods, and how far its user has got in each.

- A goal of frequency DAILY, WEEKLY, MONTHLY or YEARLY is cut into periods of that length from its
  `startOn`; a FIXED goal is one period. A period covers its `startOn` up to, not including, its
  `endOn` (the next period's start), except the last, which ends on the goal's `endOn` and
  includes it. A goal has at most MAX_PERIODS periods.
- Progress counts the opportunities the goal's user owns: created in the period (created sum and
  count), won in the period (closed with a probability above 0: won sum and count), or moved to
  the goal's milestone in the period (reached milestone count: the opportunity is at that
  milestone now and got there, or was created there, in the period). A goal with a pipeline
  counts only opportunities on that pipeline, one with a milestone only those at that milestone.
  Sum goals add the values in the goal's currency only (there are no exchange rates).
- A period is completed on the day its count or sum first reached the goal's value. A goal is
  UPCOMING before its `startOn`, ACTIVE until its `endOn`, then COMPLETED when every period was
  completed, else MISSED.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

MAX_PERIODS = 1000
CREATED_SUM = "7b05186c-c342-343f-8236-121dfbb2ae45"
CREATED_COUNT = "18305eb9-2c50-35ba-88e5-876be543e055"
WON_SUM = "bbc7a4b4-78eb-3bbd-85bb-9f20ec2e3f5d"
WON_COUNT = "264be3b0-490b-3d73-ae0d-d02b488ba1eb"
MILESTONE_COUNT = "1659cb58-2401-30eb-aa82-c42771aea74e"
TYPES = (CREATED_SUM, CREATED_COUNT, WON_SUM, WON_COUNT, MILESTONE_COUNT)
SUM_TYPES = (CREATED_SUM, WON_SUM)
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", "FIXED")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _step(start: date, frequency: str, n: int) -> date:
    if frequency == "DAILY":
        return start + timedelta(days=n)
    if frequency == "WEEKLY":
        return start + timedelta(weeks=n)
    return _add_months(start, n * (12 if frequency == "YEARLY" else 1))


def spans(start: date, end: date, frequency: str) -> list[tuple[str, str]] | None:
    """The (startOn, endOn) of each period, or None when there would be more than MAX_PERIODS."""
    if frequency == "FIXED":
        return [(start.isoformat(), end.isoformat())]
    found: list[tuple[str, str]] = []
    n = 0
    while (begin := _step(start, frequency, n)) <= end:
        if len(found) == MAX_PERIODS:
            return None
        found.append((begin.isoformat(), min(_step(start, frequency, n + 1), end).isoformat()))
        n += 1
    return found


@dataclass(frozen=True)
class Progress:
    current: Decimal
    completed_on: str | None


def _counted(goal: Any, row: Any) -> tuple[str, Decimal] | None:
    """(day it counts on, amount it adds) for an opportunity the goal counts, else None."""
    if row.owner_id != goal.user_id:
        return None
    if goal.pipeline_id is not None and row.pipeline_id != goal.pipeline_id:
        return None
    if goal.milestone_id is not None and row.milestone_id != goal.milestone_id:
        return None
    if goal.type in (CREATED_SUM, CREATED_COUNT):
        day = row.created_on
    elif goal.type in (WON_SUM, WON_COUNT):
        if row.closed_on is None or row.probability <= 0:
            return None
        day = row.closed_on
    else:
        day = row.moved_on
    if goal.type not in SUM_TYPES:
        return day, Decimal(1)
    if row.value_amount is None or row.value_currency != goal.currency:
        return None
    return day, Decimal(row.value_amount)


def progress(goal: Any, periods: list[Any], rows: list[Any]) -> dict[int, Progress]:
    """Each period's progress (by period id), from the opportunities `rows` (any owner)."""
    counted = sorted(c for row in rows if (c := _counted(goal, row)) is not None)
    target = Decimal(goal.value)
    found: dict[int, Progress] = {}
    for i, period in enumerate(periods):
        last = i == len(periods) - 1
        total, completed_on = Decimal(0), None
        for day, amount in counted:
            if day < period.start_on or (day > period.end_on if last else day >= period.end_on):
                continue
            total += amount
            if completed_on is None and total >= target:
                completed_on = day
        found[period.id] = Progress(total, completed_on)
    return found


def status(goal: Any, today: date, reached: dict[int, Progress]) -> str:
    if today.isoformat() < goal.start_on:
        return "UPCOMING"
    if today.isoformat() <= goal.end_on:
        return "ACTIVE"
    done = all(p.completed_on is not None for p in reached.values())
    return "COMPLETED" if done else "MISSED"
