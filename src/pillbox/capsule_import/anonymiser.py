"""`--anonymise`: personal data replaced by synthetic data of the same shape, from the generators
`pillbox seed` uses; ids, structure, dates, values, statuses and links stay as they were.

Each replacement is drawn from a random generator seeded with the record's type and Capsule id,
so that importing the same account twice gives the same fixtures, and so that what belongs
together still does: a person's work email is on the synthetic domain of their organisation,
which is worked out again from the organisation's id wherever it is needed.
"""

import random
from typing import Any

from pillbox.seed import names, phrases, places

Wire = dict[str, Any]
_PLACEHOLDERS = {"first": "Sam", "company": "the company", "product": "order", "city": "town"}


def _rng(kind: str, record_id: Any) -> random.Random:
    return random.Random(f"{kind}:{record_id}")


def _city(rng: random.Random) -> places.City:
    return places.pick_city(rng)


def company(organisation_id: int) -> tuple[str, str]:
    """(name, email domain) of an organisation, the same wherever it is asked for."""
    rng = _rng("organisation", organisation_id)
    city = _city(rng)
    core, _about = names.company_name(rng, city.language)
    legal = rng.choice(names.LEGAL_FORMS[city.country])
    distinct = f"{core} {organisation_id}"  # ids keep names unique, as Capsule requires
    return f"{distinct} {legal}", names.mailbox(core) + f"{organisation_id}.example"


def person(person_id: int) -> tuple[str, str, str]:
    """(first name, last name, title) of a person."""
    rng = _rng("person", person_id)
    return names.person_name(rng, _city(rng).language)


def _sentence(rng: random.Random, templates: tuple[str, ...], words: dict[str, str]) -> str:
    return rng.choice(templates).format(**{**_PLACEHOLDERS, **words})


def _note(rng: random.Random) -> str:
    templates = tuple(t for group in phrases.NOTES.values() for t in group)
    product = rng.choice(phrases.PRODUCTS).name.lower()
    return _sentence(rng, templates, {"product": product})


def party(wire: Wire) -> Wire:
    rng = _rng("party", wire["id"])
    city = _city(rng)
    out = dict(wire)
    if wire["type"] == "organisation":
        out["name"], domain = company(wire["id"])
        out["about"] = None if wire.get("about") is None else _note(rng)
        mailbox = "info"
    else:
        first, last, title = person(wire["id"])
        out.update(firstName=first, lastName=last)
        if wire.get("title") is not None:
            out["title"] = title or None
        if wire.get("jobTitle") is not None:
            out["jobTitle"] = rng.choice(names.JOB_TITLES)
        out["about"] = None if wire.get("about") is None else _note(rng)
        organisation = wire.get("organisation")
        if isinstance(organisation, dict) and isinstance(organisation.get("id"), int):
            domain = company(organisation["id"])[1]
        else:
            domain = rng.choice(names.MAIL_PROVIDERS)
        mailbox = f"{names.mailbox(first)}.{names.mailbox(last)}"
    out["emailAddresses"] = [
        {**item, "address": f"{mailbox}{n or ''}@{domain}"}
        for n, item in enumerate(wire.get("emailAddresses") or [])
    ]
    out["phoneNumbers"] = [
        {**item, "number": places.landline(rng, city)} for item in wire.get("phoneNumbers") or []
    ]
    out["addresses"] = [_address(rng, item) for item in wire.get("addresses") or []]
    out["websites"] = [
        _website(item, domain, n) for n, item in enumerate(wire.get("websites") or [])
    ]
    return out


def _address(rng: random.Random, item: Wire) -> Wire:
    city = _city(rng)
    return {
        **item,
        "street": places.street(rng, city),
        "city": city.name,
        "state": city.state,
        "country": city.country,
        "zip": places.postcode(rng, city),
    }


def _website(item: Wire, domain: str, n: int) -> Wire:
    host = f"www{n or ''}.{domain}" if item.get("service") == "URL" else domain.split(".")[0]
    url = f"https://{host}" if item.get("service") == "URL" else f"https://social.example/{host}"
    return {**item, "address": host, "url": url}


def text_value(value_id: int, value: str) -> str:
    """A text custom field's value: a sentence, no longer than the value was."""
    return _note(_rng("field", value_id))[: max(len(value), 1)].strip() or "-"


def user(wire: Wire) -> Wire:
    """Named as their person record is, which has the same id in Capsule."""
    party = wire.get("party")
    party_id = party.get("id") if isinstance(party, dict) else None
    first, last, _title = person(party_id if isinstance(party_id, int) else wire["id"])
    return {**wire, "name": f"{first} {last}", "username": f"{names.mailbox(first)}{wire['id']}"}


def opportunity(wire: Wire) -> Wire:
    rng = _rng("opportunity", wire["id"])
    description = wire.get("description")
    return {
        **wire,
        "name": rng.choice(phrases.PRODUCTS).name,
        "description": None if description is None else _note(rng),
    }


def kase(wire: Wire) -> Wire:
    rng = _rng("kase", wire["id"])
    description = wire.get("description")
    return {
        **wire,
        "name": rng.choice(phrases.PRODUCTS).project,
        "description": None if description is None else _note(rng),
    }


def entry(wire: Wire) -> Wire:
    rng = _rng("entry", wire["id"])
    out = {**wire, "content": None if wire.get("content") is None else _note(rng)}
    if wire.get("subject") is not None:
        out["subject"] = rng.choice(phrases.PRODUCTS).name
    out["participants"] = [
        {**p, "name": f"{first} {last}", "address": f"{names.mailbox(first)}@inbox.example"}
        for p in wire.get("participants") or []
        for first, last, _title in [person(p["id"])]
    ]
    out["attachments"] = [
        {**a, "filename": attachment_name(a["id"], a.get("filename") or "")}
        for a in wire.get("attachments") or []
    ]
    return out


def attachment_name(attachment_id: int, filename: str) -> str:
    extension = filename.rsplit(".", 1)[1] if "." in filename else ""
    return f"document-{attachment_id}" + (f".{extension}" if extension else "")


def attachment_content(attachment_id: int, size: int) -> bytes:
    """As many bytes as the file had: synthetic text, the same for the same attachment."""
    rng = _rng("attachment", attachment_id)
    text = " ".join(_note(rng) for _ in range(4)).encode()
    return (text * (size // len(text) + 1))[:size]


def task(wire: Wire) -> Wire:
    rng = _rng("task", wire["id"])
    templates = tuple(t for group in phrases.TASKS.values() for t in group)
    product = rng.choice(phrases.PRODUCTS).name.lower()
    detail = wire.get("detail")
    return {
        **wire,
        "description": _sentence(rng, templates, {"product": product}),
        "detail": None if detail is None else _note(rng),
    }
