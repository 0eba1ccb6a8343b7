"""What the columns of a party row mean: which hold a party's names, type and contact details
(`Work Email 2`, `Home City`), how a row reads as a party, and the order of columns in an export."""

import re
from dataclasses import dataclass, field

from pillbox.transfer.context import RowError
from pillbox.transfer.headers import SERVICE_LABELS, normalise

SCALARS = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Title": "title",
    "Job Title": "job_title",
    "About": "about",
}
ADDRESS_COLUMNS = {
    "Street": "street",
    "City": "city",
    "State": "state",
    "Postcode": "zip",
    "Country": "country",
}
TYPES = {"person": "person", "organisation": "organisation", "organization": "organisation"}
_DETAIL = re.compile(
    r"^(?:(?P<type>Home|Work|Mobile|Fax|Direct|Postal|Office|Billing|Shipping) )?"
    r"(?P<base>[A-Za-z ]+?)(?: (?P<n>\d+))?$"
)
_LABEL_SERVICES = {label: service for service, label in SERVICE_LABELS.items()}


@dataclass
class Details:
    """A row's contact details: (type, value, key) each; addresses as {part: value} by group."""

    emails: list[tuple[str | None, str, str]] = field(default_factory=list)
    phones: list[tuple[str | None, str, str]] = field(default_factory=list)
    websites: list[tuple[str | None, str, str, str]] = field(default_factory=list)
    addresses: dict[tuple[str | None, str], dict[str, tuple[str, str]]] = field(
        default_factory=dict
    )


def details(values: dict[str, str]) -> Details:
    found = Details()
    for key, value in values.items():
        match = _DETAIL.match(key)
        if match is None or not value:
            continue
        kind, base, number = match["type"], match["base"], match["n"] or "1"
        if base == "Email":
            found.emails.append((kind, value, key))
        elif base == "Phone":
            found.phones.append((kind, value, key))
        elif base in _LABEL_SERVICES:
            found.websites.append((kind, _LABEL_SERVICES[base], value, key))
        elif base in ADDRESS_COLUMNS:
            group = found.addresses.setdefault((kind, number), {})
            group[ADDRESS_COLUMNS[base]] = (value, key)
    return found


def party_type(values: dict[str, str]) -> str | None:
    """The type the row says or implies; None when it names no one (it can still update)."""
    if values.get("Type"):
        kind = TYPES.get(normalise(values["Type"]))
        if kind is None:
            raise RowError("type must be person or organisation", "Type")
        return kind
    if values.get("First Name") or values.get("Last Name"):
        return "person"
    if values.get("Name") and values.get("Organisation"):
        return "person"
    if values.get("Name") or values.get("Organisation"):
        return "organisation"
    return None


NO_NAME = "a name is needed: First Name, Last Name, Name or Organisation"


def row_names(values: dict[str, str], kind: str) -> dict[str, str]:
    """First/last name of a person (split from `Name` when only that is given), or an
    organisation's name (from `Name`, else `Organisation`)."""
    if kind == "organisation":
        name = values.get("Name") or values.get("Organisation") or ""
        return {"Name": name} if name else {}
    names = {key: values[key] for key in ("First Name", "Last Name") if values.get(key)}
    if not names and values.get("Name"):
        first, _, last = values["Name"].rpartition(" ")
        names = {"First Name": first, "Last Name": last} if first else {"Last Name": last}
    return names


# -- order of columns ------------------------------------------------------------------------------


def sort_key(key: str) -> tuple[int, str]:
    """The order of columns in an export: names first, then details, tags and fields last."""
    return (COLUMN_ORDER.index(key), key) if key in COLUMN_ORDER else (_rank(key), key)


COLUMN_ORDER = [
    "Id",
    "Type",
    "Name",
    "Title",
    "First Name",
    "Last Name",
    "Job Title",
    "Organisation",
]


def _rank(key: str) -> int:
    match = _DETAIL.match(key)
    base = match["base"] if match else ""
    if base == "Email":
        return 10
    if base == "Phone":
        return 11
    if base in _LABEL_SERVICES:
        return 12
    if base in ADDRESS_COLUMNS:
        return 13
    return {"Tags": 20, "Owner": 21, "About": 22}.get(key, 30)
