"""Due-date arithmetic: track offsets in days, weekdays and weeks, and repeating tasks."""

from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from pillbox.domain.due_dates import next_occurrence, shift
from pillbox.domain.track_schedule import plan

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_weekdays_skip_the_weekend():
    friday = date(2016, 1, 8)
    assert shift(friday, 1, "TRACK_WORKDAYS") == date(2016, 1, 11)
    assert shift(friday, 10, "TRACK_WORKDAYS") == date(2016, 1, 22)
    assert shift(date(2016, 1, 11), -1, "TRACK_WORKDAYS") == friday
    assert shift(friday, 0, "TRACK_WORKDAYS") == friday


def test_days_and_weeks_are_calendar_offsets():
    assert shift(date(2016, 1, 1), 5, "TRACK_DAYS") == date(2016, 1, 6)
    assert shift(date(2026, 3, 31), -2, "TRACK_WEEKS") == date(2026, 3, 17)


@given(start=days, amount=st.integers(min_value=1, max_value=400))
def test_n_weekdays_later_is_a_weekday_with_n_weekdays_in_between(start, amount):
    end = shift(start, amount, "TRACK_WORKDAYS")
    assert end.weekday() < 5
    between = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    assert sum(day.weekday() < 5 for day in between) == amount
    assert shift(end, -amount, "TRACK_WORKDAYS") <= start


def test_monthly_repeats_keep_their_day_or_the_months_last():
    assert next_occurrence(date(2026, 1, 31), "MONTHLY", 1, None) == date(2026, 2, 28)
    assert next_occurrence(date(2026, 1, 31), "MONTHLY", 3, "31") == date(2026, 4, 30)
    assert next_occurrence(date(2026, 2, 28), "MONTHLY", 1, "31") == date(2026, 3, 31)
    assert next_occurrence(date(2026, 11, 15), "MONTHLY", 2, "1") == date(2027, 1, 1)
    assert next_occurrence(date(2024, 2, 29), "YEARLY", 1, None) == date(2025, 2, 28)
    assert next_occurrence(date(2026, 1, 1), "DAILY", 3, None) == date(2026, 1, 4)
    assert next_occurrence(date(2026, 1, 1), "WEEKLY", 2, "MON") == date(2026, 1, 15)


@given(due=days, interval=st.integers(min_value=1, max_value=36), on=st.integers(1, 31))
def test_a_monthly_repeat_moves_exactly_interval_months(due, interval, on):
    following = next_occurrence(due, "MONTHLY", interval, str(on))
    months = (following.year - due.year) * 12 + following.month - due.month
    assert months == interval
    assert following.day == on or following.day < on  # clamped to a shorter month


def _template(rule: str, days_after: int, unit: str = "TRACK_DAYS") -> SimpleNamespace:
    return SimpleNamespace(days_after_rule=rule, days_after=days_after, day_delay_rule=unit)


def test_a_plan_opens_track_start_tasks_and_makes_last_task_ones_wait():
    steps = plan(
        date(2016, 1, 1),
        "START_DATE",
        [
            _template("LAST_TASK", 5),  # the first task never waits
            _template("LAST_TASK", 10, "TRACK_WORKDAYS"),
            _template("TRACK_START", 25),
        ],
    )
    assert [(s.status, s.due_on.isoformat(), s.rule) for s in steps] == [
        ("OPEN", "2016-01-06", "TRACK_START"),
        ("PENDING", "2016-01-20", "LAST_TASK"),
        ("OPEN", "2016-01-26", "TRACK_START"),
    ]


def test_an_end_date_plan_counts_back():
    (step,) = plan(date(2026, 3, 31), "END_DATE", [_template("TRACK_START", 2, "TRACK_WEEKS")])
    assert (step.due_on, step.rule) == (date(2026, 3, 17), "END_DATE")
