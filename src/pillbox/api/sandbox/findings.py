"""Strict mode's findings: what a request has that real Capsule would refuse or ignore.

Pillbox is lenient where Capsule is not, or quietly drops what Capsule drops too (a perPage
above the maximum is served, an unknown `embed` or body property is ignored). A sandbox account
can ask to hear about it: in `report` mode each finding is listed in the response's
`X-Pillbox-Strict` header, in `fail` mode the first one refuses the request with a 400. Decisions:

- The kit calls `note()` where it is lenient. The sandbox's middleware (api/sandbox/strict.py)
  installs one `StrictCheck` per request in a context variable; outside a sandbox none is
  installed, and `note()` and `active()` cost one context variable read, so the hot paths stay
  as fast as they were. Work that only finds things (walking a body) asks `active()` first.
- The mode is resolved at the first finding, from the principal the auth gates put in the
  request's scope state (they run inside the middleware, after the check is installed).
- A refusal is raised at the finding itself. The kit makes its findings while it parses the
  request, before the domain runs, so a refused request writes nothing.
- Database work in the thread pool runs in a copy of the request's context, which holds the
  same check, so findings made there are kept as well.
- Findings go into a header, and into the sandbox's request journal (`strict`) for tests whose
  client does not show them headers: each is printable ASCII without `;` (the separator; what a
  client sent is escaped), cut at `MAX_LENGTH`, and a response lists at most `MAX_FINDINGS`.
- Findings name the parameter or property, and what Capsule does with it (reference §6 and §7:
  out-of-range paging is invalid there; unknown embeds, unknown and read-only properties it
  ignores).
"""

from collections import deque
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pillbox.errors import ApiError

OFF, REPORT, FAIL = "off", "report", "fail"
MAX_FINDINGS = 20
MAX_LENGTH = 200
REFUSED = "(Capsule refuses it)"
IGNORED = "(Capsule ignores it)"

ModeOf = Callable[[int], str]  # account id -> its mode


class StrictRefusal(ApiError):
    """A request refused by strict mode (`fail`): a 400 in Capsule's format, naming the finding."""

    status = 400
    message = "Refused in strict mode"


class StrictCheck:
    """The findings of one request, and the mode of the account that sent it."""

    def __init__(self, state: dict[str, Any], mode_of: ModeOf) -> None:
        self._state = state  # the request's scope["state"], where the gates put the principal
        self._mode_of = mode_of
        self._mode: str | None = None
        self.findings: list[str] = []
        self.left_out = 0

    @property
    def mode(self) -> str:
        if self._mode is None:
            principal = self._state.get("principal")
            if principal is None:
                return OFF  # not authenticated (yet): nothing to hold against the request
            self._mode = self._mode_of(principal.account_id)
        return self._mode

    def note(self, finding: str) -> None:
        mode = self.mode
        if mode == OFF:
            return
        if mode == FAIL:
            text = printable(finding)
            self.findings.append(text)
            raise StrictRefusal(f"Refused in strict mode: {text}")
        if len(self.findings) >= MAX_FINDINGS:
            self.left_out += 1  # a body of many unknown properties costs a count each, no more
            return
        text = printable(finding)
        if text not in self.findings:
            self.findings.append(text)

    def listed(self) -> list[str]:
        """The findings, and `and N more` for those left out (as the journal keeps them)."""
        more = [f"and {self.left_out} more"] if self.left_out else []
        return [*self.findings, *more]

    def header(self) -> str:
        """The `X-Pillbox-Strict` value: the findings, `; ` between them."""
        return "; ".join(self.listed())


_current: ContextVar[StrictCheck | None] = ContextVar("pillbox_strict_check", default=None)


def install(check: StrictCheck) -> Token[StrictCheck | None]:
    return _current.set(check)


def uninstall(token: Token[StrictCheck | None]) -> None:
    _current.reset(token)


def note(finding: str) -> None:
    """Reports `finding` for this request, or refuses the request, as its account's mode says."""
    check = _current.get()
    if check is not None:
        check.note(finding)


def active() -> bool:
    """Whether this request wants findings at all: work done only to find them can be skipped."""
    check = _current.get()
    return check is not None and check.mode != OFF


def printable(text: str) -> str:
    """`text` as a header carries it: printable ASCII, `;` and all else escaped, cut short."""
    safe = "".join(
        char if " " <= char <= "~" and char != ";" else _escaped(char)
        for char in text[: MAX_LENGTH + 1]
    )
    return safe if len(safe) <= MAX_LENGTH else safe[: MAX_LENGTH - 3] + "..."


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def note_ignored_properties(
    data: dict[str, Any], model: BaseModel, path: str, answered: dict[str, Any] | None
) -> None:
    """Notes each property of a write body that `model` ignored, nested ones included.

    `data` is the body as sent and `model` what it was parsed into; `answered` is the JSON
    Schema of what the resource answers with: a property found there is read-only, one found
    nowhere unknown. A property sent in snake_case is taken here, but not by Capsule. Nested
    objects wait in a queue rather than on the call stack: filter conditions nest deeply.
    """
    pending = deque([_Part(data, model, path, _properties(answered))])
    while pending:
        part = pending.popleft()
        fields = type(part.parsed).model_fields
        by_alias = {info.alias or name: name for name, info in fields.items()}
        for key, value in part.sent.items():
            where = f"{part.path}.{key}"
            if key in by_alias:
                parsed = getattr(part.parsed, by_alias[key])
                pending.extend(_parts(value, parsed, where, part.answered.get(key)))
            elif key in fields:
                note(f"{where} is taken here as {fields[key].alias or key} {IGNORED}")
            elif key in part.answered:
                note(f"{where} is read-only {IGNORED}")
            else:
                note(f"{where} is an unknown property {IGNORED}")


@dataclass(frozen=True)
class _Part:
    """An object of a write body: as sent, as parsed, where it is, what is answered in its place."""

    sent: dict[str, Any]
    parsed: BaseModel
    path: str
    answered: dict[str, Any]


def _parts(sent: Any, parsed: Any, where: str, answered: dict[str, Any] | None) -> list[_Part]:
    """The objects a property holds: itself, or the items of its array."""
    if isinstance(sent, dict) and isinstance(parsed, BaseModel):
        return [_Part(sent, parsed, where, _properties(answered))]
    if not isinstance(sent, list) or not isinstance(parsed, list):
        return []
    properties = _properties(answered)
    return [
        _Part(item, parsed_item, f"{where}[{index}]", properties)
        for index, (item, parsed_item) in enumerate(zip(sent, parsed, strict=False))
        if isinstance(item, dict) and isinstance(parsed_item, BaseModel)
    ]


def _properties(schema: dict[str, Any] | None) -> dict[str, Any]:
    """The properties an object schema answers with: of array items, of every oneOf choice."""
    if not schema:
        return {}
    if schema.get("type") == "array":
        return _properties(schema.get("items"))
    found: dict[str, Any] = {}
    for choice in schema.get("oneOf", ()):
        found.update(_properties(choice))
    found.update(schema.get("properties", {}))
    return found
