"""The fields a parties filter tests: a party's own columns, its contacts, tags, links and
dates, and (`org.…`) those of a person's organisation."""

import sqlalchemy as sa

from pillbox.store import search_sets
from pillbox.store.filter_kinds import (
    Condition,
    Field,
    Scope,
    Test,
    child_field,
    column_field,
    has_field,
    indexed_date_field,
    owner_field,
    party_name,
    tag_field,
    team_field,
)
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import (
    addresses,
    email_addresses,
    parties,
    phone_numbers,
    websites,
)
from pillbox.store.tables.records import record_tags
from pillbox.store.tables.tasks import tasks

_organisations = parties.alias("organisation")


def searched_field(exact: Field, column: str) -> Field:
    """A text field the search index holds too (in `column`): `contains` and `ends with`, which
    no ordinary index serves, also read the parties whose indexed texts hold the value, so a
    rare value is found through the trigram index instead of testing every party."""

    def build(scope: Scope, test: Test) -> Condition:
        tested = exact.build(scope, test)
        if test.operator not in ("contains", "ends with") or test.value is None:
            return tested
        holding = search_sets.records_holding(parties.c.id, column, str(test.value))
        return tested if holding is None else sa.and_(holding, tested)

    return Field(exact.kind, build, exact.choices)


def organisation_field(inner: Field) -> Field:
    """A field of a person's organisation (`org.name`, `org.tag`, `org.custom:N`)."""

    def build(scope: Scope, test: Test) -> Condition:
        negative = test.operator == "is not" and test.value is not None
        positive = Test("is", test.value) if negative else test
        matching = sa.select(parties.c.id).where(
            parties.c.account_id == scope.account_id, inner.build(scope, positive)
        )
        member = parties.c.organisation_id.in_(matching)
        return sa.or_(parties.c.organisation_id.is_(None), sa.not_(member)) if negative else member

    return Field(inner.kind, build)


PARTY_FIELDS: dict[str, Field] = {
    "id": column_field(parties.c.id, "number"),
    "name": searched_field(column_field(party_name(), "string"), "names"),
    "title": column_field(parties.c.title, "string"),
    "jobTitle": column_field(parties.c.job_title, "string"),
    "type": column_field(parties.c.type, "string", ("person", "organisation")),
    "email": searched_field(child_field(email_addresses, "address"), "emails"),
    "phone": child_field(phone_numbers, "number"),
    "website": child_field(websites, "address"),
    "city": child_field(addresses, "city"),
    "zip": child_field(addresses, "zip"),
    "state": child_field(addresses, "state"),
    "country": child_field(addresses, "country"),
    "tag": tag_field("parties", parties.c.id),
    "owner": owner_field(parties),
    "team": team_field(parties),
    "hasEmailAddress": has_field(parties.c.id, sa.select(email_addresses.c.party_id)),
    "hasPhoneNumber": has_field(parties.c.id, sa.select(phone_numbers.c.party_id)),
    "hasAddress": has_field(parties.c.id, sa.select(addresses.c.party_id)),
    "hasPeople": has_field(
        parties.c.id,
        sa.select(_organisations.c.organisation_id).where(
            _organisations.c.organisation_id.is_not(None)
        ),
    ),
    "hasTags": has_field(
        parties.c.id,
        sa.select(record_tags.c.record_id).where(record_tags.c.entity == "parties"),
    ),
    "hasOpenTasks": has_field(
        parties.c.id, sa.select(tasks.c.party_id).where(tasks.c.status == "OPEN")
    ),
    "hasOpportunities": has_field(parties.c.id, sa.select(opportunities.c.party_id)),
    "hasCases": has_field(parties.c.id, sa.select(kases.c.party_id)),
    "addedOn": indexed_date_field(parties, "created_at"),
    "updatedOn": indexed_date_field(parties, "updated_at"),
    "lastContactedOn": indexed_date_field(parties, "last_contacted_at"),
}
PARTY_FIELDS["org.name"] = organisation_field(PARTY_FIELDS["name"])
PARTY_FIELDS["org.tag"] = organisation_field(PARTY_FIELDS["tag"])
