"""Seeded time: moments counted in seconds from midnight (UTC) of the base date.

Negative moments are the past the profile invents, positive ones the future (tasks due, projects
expected to close). The same base date gives the same timestamps, whatever day seeding runs on.
A timestamp puts its moment in office hours (08:00-18:00) of its day, keeping moments in order:
people log calls in the afternoon, not at four in the morning. Days are formatted once up front:
turning a few million moments into text is then string slicing, not datetime arithmetic.
"""

from datetime import date, timedelta

DAY = 86_400
HOUR = 3_600
_OPENS, _OPEN_HOURS = 8 * HOUR, 10
_PAST_DAYS = 1_000
_FUTURE_DAYS = 1_000


class Clock:
    def __init__(self, base: date) -> None:
        first = base - timedelta(days=_PAST_DAYS)
        self._days = [
            (first + timedelta(days=i)).isoformat() for i in range(_PAST_DAYS + _FUTURE_DAYS)
        ]

    def day(self, moment: int) -> str:
        """The moment's date: 2026-05-31."""
        return self._days[moment // DAY + _PAST_DAYS]

    def stamp(self, moment: int) -> str:
        """The moment in the API's timestamp form: 2026-05-31T14:05:09Z."""
        days, seconds = divmod(moment, DAY)
        seconds = _OPENS + seconds * _OPEN_HOURS // 24
        clock = f"{seconds // HOUR:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        return f"{self._days[days + _PAST_DAYS]}T{clock}Z"
