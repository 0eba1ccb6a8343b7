"""The sandbox's clock (pillbox/clock.py): read it, set it, freeze it, move it on.

One clock serves the whole sandbox server: every record timestamp, `since`, "today" for due
dates, token and upload expiry, and the REST hook retry schedule read it. Any valid token may
change it.

- `GET /_pillbox/clock` → `{"clock": {"now", "frozen", "real"}}`.
- `PUT /_pillbox/clock` `{"now": "2030-01-01T09:00:00Z", "frozen": true}`: set it; frozen (the
  default) it stands still, otherwise it runs on from that moment.
- `POST /_pillbox/clock/advance` `{"days", "hours", "minutes", "seconds"}` (any of them, in
  total more than zero) moves it forward, frozen or not.
- `DELETE /_pillbox/clock`: real time again. 204.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.requests import Request
from starlette.responses import Response

from pillbox import timestamps
from pillbox.api.sandbox.http import Route, answer, body, caller
from pillbox.clock import SettableClock
from pillbox.errors import ValidationFailed

MAX_STEP = 3650  # days: ten years at a time is plenty, and keeps dates in range


class ClockInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    now: datetime
    frozen: bool = True

    @field_validator("now")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        if not 1970 <= moment.year <= 9000:
            raise ValueError("now must be between the years 1970 and 9000")
        return moment.astimezone(UTC).replace(microsecond=0)


Step = Annotated[int, Field(ge=0, le=MAX_STEP * 86400)]


class AdvanceInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Annotated[int, Field(ge=0, le=MAX_STEP)] = 0
    hours: Step = 0
    minutes: Step = 0
    seconds: Step = 0

    def step(self) -> timedelta:
        return timedelta(
            days=self.days, hours=self.hours, minutes=self.minutes, seconds=self.seconds
        )


def _clock(request: Request) -> SettableClock:
    found: SettableClock = request.app.state.clock
    return found


def _document(clock: SettableClock) -> Response:
    now = clock.now().strftime(timestamps.FORMAT)
    return answer({"clock": {"now": now, "frozen": clock.frozen, "real": clock.real}})


async def show(request: Request) -> Response:
    await caller(request)
    return _document(_clock(request))


async def set_clock(request: Request) -> Response:
    await caller(request)
    data = await body(request, ClockInput, "clock")
    _clock(request).set(data.now, data.frozen)
    return _document(_clock(request))


async def advance(request: Request) -> Response:
    await caller(request)
    step = (await body(request, AdvanceInput, "clock")).step()
    if not step or step > timedelta(days=MAX_STEP):
        message = f"advance by more than nothing and at most {MAX_STEP} days"
        raise ValidationFailed.single(message, "clock", "days")
    _clock(request).advance(step)
    return _document(_clock(request))


async def real_time(request: Request) -> Response:
    await caller(request)
    _clock(request).reset()
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        ("GET", "/clock", show),
        ("PUT", "/clock", set_clock),
        ("DELETE", "/clock", real_time),
        ("POST", "/clock/advance", advance),
    ]
