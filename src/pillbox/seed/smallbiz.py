"""The `smallbiz` profile: the CRM of a small business after two years of use.

About a fifth of the parties are organisations, each created just before the people who work
there. Most people (85%) work at one, with an email on its domain, often its office address and
phone numbers of its country; the others are private customers with a home address. Parties
appear evenly over the two years before the base date (ids grow with `createdAt`), and all that
happens to one - opportunities and projects (`deals`), notes and tasks (`activity`) - happens
after it appeared and before the base date, but for the tasks still to come. Tags follow the
record: an organisation that bought something is a Customer, one with deals under way a Prospect.

An organisation is generated with its people, deals, notes and tasks (a cluster), and rows are
written every couple of thousand parties, never in the middle of a cluster: every reference is
written with or after what it refers to, and a person's notes can still move their
organisation's `lastContactedAt` before its row is written.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pillbox.seed import activity, names, places
from pillbox.seed.clock import DAY, HOUR
from pillbox.seed.deals import Deals, deals
from pillbox.seed.phrases import PRODUCTS
from pillbox.seed.world import Record, Weights, World
from pillbox.store import search
from pillbox.store.tables.parties import (
    addresses,
    email_addresses,
    parties,
    phone_numbers,
    websites,
)

FLUSH_EVERY = 2_000  # parties
ORGANISATION_SHARE = 0.2
EMPLOYED_SHARE = 0.85  # of people
HISTORY = (-730 * DAY, -7 * DAY)  # when parties appear
# Relative weights of 0, 1, 2, … of each thing.
ORGANISATION_DEALS = Weights((20, 30, 25, 15, 10))
ORGANISATION_NOTES = Weights((25, 35, 25, 15))
PERSON_NOTES = Weights((40, 35, 20, 5))
PARTY_TASKS = Weights((60, 30, 10))
DEAL_NOTES = Weights((15, 40, 30, 15))
DEAL_TASKS = Weights((50, 40, 10))

_PARTY = dict.fromkeys(
    (
        "id",
        "account_id",
        "type",
        "first_name",
        "last_name",
        "title",
        "job_title",
        "name",
        "organisation_key",
        "about",
        "organisation_id",
        "owner_id",
        "team_id",
        "created_at",
        "updated_at",
        "last_contacted_at",
    )
)
Contacts = list[tuple[str, str]]  # (type, number or address)


def populate(world: World, parties: int, progress: Callable[[int], None]) -> None:
    """Seeds `parties` parties with all that goes with them; reports parties written."""
    domains: set[str] = set()
    made = written = 0
    for employees in _plan(world, parties):
        if employees is None:
            made += _private_person(world, made, parties)
        else:
            made += _organisation(world, employees, domains, made, parties)
        if made - written >= FLUSH_EVERY:
            world.bulk.flush()
            progress(made - written)
            written = made
    world.bulk.flush()
    progress(made - written)


def _plan(world: World, parties: int) -> list[int | None]:
    """The clusters in order: an organisation's number of people, or None for a private person.
    People spread over organisations unevenly: most have a handful, a few have dozens."""
    rng = world.rng
    organisations = round(parties * ORGANISATION_SHARE)
    people = parties - organisations
    employed = round(people * EMPLOYED_SHARE) if organisations else 0
    weights = [min(rng.paretovariate(1.2), 25.0) for _ in range(organisations)]
    sizes = [0] * organisations
    for index in rng.choices(range(organisations), weights, k=employed):
        sizes[index] += 1
    plan: list[int | None] = [*sizes, *[None] * (people - employed)]
    rng.shuffle(plan)
    return plan


def _created(world: World, index: int, total: int) -> int:
    """When the index-th party appeared: in order, evenly over the history."""
    start, end = HISTORY
    return start + int((index + world.rng.random()) * (end - start) / total)


def _count(world: World, weights: Weights) -> int:
    return weights.draw(world.rng)


# -- parties -------------------------------------------------------------------------------------


def _organisation(world: World, employees: int, domains: set[str], index: int, total: int) -> int:
    rng = world.rng
    city = places.pick_city(rng)
    taken = world.account.organisation_keys
    name, domain, about = names.unique_company(rng, city, taken, domains)
    created, owner = _created(world, index, total), world.user()
    org_id = world.party_ids.take()
    row = _party_row(world, org_id, "organisation", created, owner, name=name, about=about)
    row["organisation_key"] = name.lower()
    office = _address(world, city, "Office")
    phone = places.landline(rng, city)
    emails = [("Work", f"info@{domain}")] if world.chance(0.6) else []
    _contacts(world, org_id, [office], [("Work", phone)], emails)
    website = {"type": None, "service": "URL", "address": f"www.{domain}"}
    world.bulk.add(websites, {"party_id": org_id, **website, "url": f"http://www.{domain}"})
    _index_party(world, org_id, (None, None, name), emails, [("Work", phone)])
    product = rng.choice(PRODUCTS).name.lower()
    words = {"company": name, "city": city.name, "product": product}
    record = Record("party_id", org_id, created, 0, owner, words, [row])
    mailboxes: set[str] = set()
    people = [
        _employee(world, record, city, office, domain, mailboxes, index + 1 + number, total)
        for number in range(employees)
    ]
    words["first"] = (
        people[0].words["first"] if people else names.person_name(rng, city.language)[0]
    )
    found = deals(world, record, _count(world, ORGANISATION_DEALS))
    _activity(world, record, ORGANISATION_NOTES, found)
    for person in people:
        _activity(world, person, PERSON_NOTES, Deals())
    _party_tags(world, org_id, found, organisation=True)
    return 1 + employees


def _employee(
    world: World,
    organisation: Record,
    city: places.City,
    office: dict[str, Any],
    domain: str,
    mailboxes: set[str],
    index: int,
    total: int,
) -> Record:
    rng = world.rng
    first, last, title = names.person_name(rng, city.language)
    person_id = world.party_ids.take()
    created = _created(world, index, total)
    owner = organisation.owner if world.chance(0.9) else world.user()
    row = _person_row(world, person_id, created, owner, first, last, title)
    row["organisation_id"] = organisation.id
    emails = [("Work", f"{names.work_mailbox(first, last, mailboxes)}@{domain}")]
    if world.chance(0.15):
        emails.append(("Home", names.home_email(rng, first, last)))
    phones = [("Work", places.landline(rng, city))] if world.chance(0.6) else []
    if world.chance(0.5):
        phones.append(("Mobile", places.mobile(rng, city)))
    _contacts(world, person_id, [office] if world.chance(0.6) else [], phones, emails)
    _index_party(world, person_id, (first, last, None), emails, phones)
    _party_tags(world, person_id, Deals(), organisation=False)
    words = {**organisation.words, "first": first}
    return Record("party_id", person_id, created, 0, owner, words, [row, organisation.contacted[0]])


def _private_person(world: World, index: int, total: int) -> int:
    rng = world.rng
    city = places.pick_city(rng)
    first, last, title = names.person_name(rng, city.language)
    person_id = world.party_ids.take()
    created, owner = _created(world, index, total), world.user()
    row = _person_row(world, person_id, created, owner, first, last, title)
    emails = [("Home", names.home_email(rng, first, last))] if world.chance(0.9) else []
    phones = [("Mobile", places.mobile(rng, city))] if world.chance(0.8) else []
    if world.chance(0.2):
        phones.append(("Home", places.landline(rng, city)))
    home = [_address(world, city, "Home")] if world.chance(0.85) else []
    _contacts(world, person_id, home, phones, emails)
    _index_party(world, person_id, (first, last, None), emails, phones)
    product = rng.choice(PRODUCTS).name.lower()
    words = {"first": first, "company": f"{first} {last}", "city": city.name, "product": product}
    record = Record("party_id", person_id, created, 0, owner, words, [row])
    found = deals(world, record, 1 if world.chance(0.25) else 0)
    _activity(world, record, PERSON_NOTES, found)
    _party_tags(world, person_id, found, organisation=False)
    return 1


def _party_row(
    world: World, party_id: int, kind: str, created: int, owner: int, **values: Any
) -> dict[str, Any]:
    """A party's row, created when it appeared and sometimes edited since."""
    updated = created if world.chance(0.6) else world.between(created, -HOUR)
    row = {
        **_PARTY,
        "id": party_id,
        "account_id": world.account.id,
        "type": kind,
        "owner_id": owner,
        "created_at": world.clock.stamp(created),
        "updated_at": world.clock.stamp(updated),
        **values,
    }
    world.bulk.add(parties, row)
    return row


def _person_row(
    world: World, party_id: int, created: int, owner: int, first: str, last: str, title: str
) -> dict[str, Any]:
    job_title = world.rng.choice(names.JOB_TITLES) if world.chance(0.75) else None
    return _party_row(
        world,
        party_id,
        "person",
        created,
        owner,
        first_name=first,
        last_name=last,
        title=world.account.titles.get(title),
        job_title=job_title,
    )


def _index_party(
    world: World,
    party_id: int,
    called: tuple[str | None, str | None, str | None],  # first name, last name, name
    emails: Contacts,
    phones: Contacts,
) -> None:
    """Indexes the party as search.party_entry has it, its names part remembered: names repeat,
    and normalising texts is most of what indexing costs."""
    contacts = search.party_entry(
        None, None, None, [e for _, e in emails], [p for _, p in phones], []
    )
    world.bulk.index(search.PARTIES, party_id, {**contacts, "names": _names_column(*called)})


@lru_cache(maxsize=100_000)
def _names_column(first: str | None, last: str | None, name: str | None) -> str:
    return search.party_entry(first, last, name, [], [], [])["names"]


def _contacts(
    world: World,
    party_id: int,
    found: list[dict[str, Any]],
    phones: Contacts,
    emails: Contacts,
) -> None:
    bulk = world.bulk
    for address in found:
        bulk.add(addresses, {"party_id": party_id, **address})
    for kind, number in phones:
        bulk.add(phone_numbers, {"party_id": party_id, "type": kind, "number": number})
    for kind, email in emails:
        bulk.add(email_addresses, {"party_id": party_id, "type": kind, "address": email})


def _address(world: World, city: places.City, kind: str) -> dict[str, Any]:
    return {
        "type": kind,
        "street": places.street(world.rng, city),
        "city": city.name,
        "state": city.state,
        "country": city.country,
        "zip": places.postcode(world.rng, city),
    }


def _party_tags(world: World, party_id: int, found: Deals, organisation: bool) -> None:
    tags, chance = world.account.tags["parties"], world.chance
    chosen = []
    if found.won:
        chosen.append("Customer")
        if organisation and chance(0.15):
            chosen.append("VIP")
    elif found.open:
        chosen.append("Prospect")
    elif organisation and chance(0.25):
        chosen.append(world.rng.choice(("Supplier", "Partner")))
    if not organisation and chance(0.25):
        chosen.append("Newsletter")
    if not organisation and chance(0.08):
        chosen.append("Event lead")
    for name in chosen:
        world.bulk.tag("parties", party_id, tags[name])


def _activity(world: World, party: Record, notes: Weights, found: Deals) -> None:
    """Notes and tasks on the party, and on its opportunities and projects."""
    activity.notes(world, party, _count(world, notes))
    activity.tasks_in_life(world, party, _count(world, PARTY_TASKS))
    if world.chance(0.15):
        activity.next_task(world, party)
    for record in found.records:
        activity.notes(world, record, _count(world, DEAL_NOTES))
        activity.tasks_in_life(world, record, _count(world, DEAL_TASKS))
        if record.until == 0:
            activity.next_task(world, record)
