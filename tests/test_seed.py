"""`pillbox seed`: synthetic accounts that read through the API as coherent, reproducible data."""

import secrets
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pillbox import reference
from pillbox.app import create_app
from pillbox.cli import app as cli
from pillbox.seed import Seeded, bulk, seed_account
from pillbox.seed.places import CITIES, MOBILES
from pillbox.settings import Settings
from pillbox.store import accounts as accounts_store
from pillbox.store import migrate, search
from pillbox.store.engine import create_engine
from pillbox.store.tables.entries import entries
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import (
    addresses,
    email_addresses,
    parties,
    phone_numbers,
    websites,
)
from pillbox.store.tables.tasks import tasks
from tests.conftest import make_account

BASE = date(2026, 6, 1)
MIDNIGHT = "2026-06-01T00:00:00Z"
PARTIES = 200


class Seed:
    """A seeded account and a client acting as its administrator."""

    def __init__(self, engine: sa.Engine, client: TestClient, seed: int = 7, **options: Any):
        with engine.begin() as conn:
            self.seeded: Seeded = seed_account(
                conn, profile="smallbiz", parties=PARTIES, seed=seed, base_date=BASE, **options
            )
            token = secrets.token_urlsafe(24)
            accounts_store.create_token(conn, self.seeded.admin_id, token, "write")
        self.engine, self.client = engine, client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: str) -> Any:
        response = self.client.get(f"/api/v2{path}", params=params or None, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(f"/api/v2{path}", json=body, headers=self.headers)

    def every(self, path: str, key: str) -> list[dict[str, Any]]:
        """Every item of a list, page by page."""
        found, page = [], 1
        joiner = "&" if "?" in path else "?"
        while True:
            items = self.get(f"{path}{joiner}perPage=100&page={page}")[key]
            found += items
            if len(items) < 100:
                return found
            page += 1

    def rows(self, query: sa.Select[Any]) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(query))


@pytest.fixture
def seeded(engine: sa.Engine, client: TestClient) -> Seed:
    return Seed(engine, client)


def people_and_organisations(seeded: Seed) -> tuple[list[Any], dict[int, Any]]:
    listed = seeded.every("/parties", "parties")
    people = [p for p in listed if p["type"] == "person"]
    return people, {p["id"]: p for p in listed if p["type"] == "organisation"}


def test_seed_lists_every_kind_of_record_through_the_api(seeded):
    rows = seeded.seeded.rows
    users = seeded.get("/users")["users"]
    assert len(users) == 5 and sum(u["id"] == seeded.seeded.admin_id for u in users) == 1
    assert len(seeded.every("/parties", "parties")) == PARTIES + len(users)  # users are people
    assert len(seeded.every("/opportunities", "opportunities")) == rows["opportunities"] > 40
    assert len(seeded.every("/kases", "kases")) == rows["kases"] > 5
    assert len(seeded.every("/entries", "entries")) == rows["entries"] > PARTIES
    all_tasks = seeded.every("/tasks?status=open,completed", "tasks")
    assert len(all_tasks) == rows["tasks"] > PARTIES / 2
    for kind in ("parties", "opportunities", "kases"):
        tagged = [r for r in seeded.every(f"/{kind}?embed=tags", kind) if r["tags"]]
        assert tagged, kind


def test_seeded_organisations_are_customers_or_prospects_as_their_deals_say(seeded):
    milestones = {m["id"]: m for m in seeded.every("/milestones/all", "milestones")}
    deals = defaultdict(set)
    for opportunity in seeded.every("/opportunities", "opportunities"):
        milestone = milestones[opportunity["milestone"]["id"]]
        outcome = "open" if not milestone["complete"] else str(milestone["probability"])
        deals[opportunity["party"]["id"]].add(outcome)
    tagged = Counter()
    for party in seeded.every("/parties?embed=tags", "parties"):
        tags = {t["name"] for t in party["tags"]}
        tagged.update(tags)
        customer = "100" in deals[party["id"]]
        prospect = not customer and "open" in deals[party["id"]]
        assert ("Customer" in tags, "Prospect" in tags) == (customer, prospect), party
    assert min(tagged["Customer"], tagged["Prospect"], tagged["Newsletter"]) > 3, tagged


def test_seeded_organisations_are_a_fifth_and_most_people_work_at_one(seeded):
    people, organisations = people_and_organisations(seeded)
    assert len(organisations) == PARTIES // 5
    employed = [p for p in people if p["organisation"]]
    assert len(employed) > 0.7 * len(people)
    for person in employed:
        organisation = organisations[person["organisation"]["id"]]
        domain = organisation["websites"][0]["address"].removeprefix("www.")
        work = [e["address"] for e in person["emailAddresses"] if e["type"] == "Work"]
        assert work and work[0].endswith(f"@{domain}"), (person, organisation)
        assert organisation["createdAt"] <= person["createdAt"]


def test_seeded_addresses_are_real_cities_with_their_countrys_postcodes_and_phones(seeded):
    people, organisations = people_and_organisations(seeded)
    cities = {city.name: city for city in CITIES}
    for party in [*people, *organisations.values()]:
        for address in party["addresses"]:
            city = cities[address["city"]]
            assert (address["country"], address["state"]) == (city.country, city.state)
            assert address["zip"] and address["street"]
            codes = {city.phone.split()[0], MOBILES.get(city.country, city.phone).split()[0]}
            for phone in party["phoneNumbers"]:
                assert phone["number"].split()[0] in codes, (party, phone)


def test_seeded_opportunities_sit_on_milestones_of_their_pipelines(seeded):
    milestones = {m["id"]: m for m in seeded.every("/milestones/all", "milestones")}
    opened = seeded.every("/opportunities", "opportunities")
    pipelines = {milestones[o["milestone"]["id"]]["pipeline"]["name"] for o in opened}
    assert pipelines == {"Pipeline", "Renewals"}
    outcomes = Counter()
    for opportunity in opened:
        milestone = milestones[opportunity["milestone"]["id"]]
        last_open = milestones[opportunity["lastOpenMilestone"]["id"]]
        assert not last_open["complete"]
        assert last_open["pipeline"] == milestone["pipeline"]
        assert opportunity["value"]["currency"] == "GBP" and opportunity["value"]["amount"] > 0
        assert opportunity["createdAt"] < MIDNIGHT
        if not milestone["complete"]:
            outcomes["open"] += 1
            assert opportunity["closedOn"] is None and opportunity["lostReason"] is None
            assert opportunity["probability"] == milestone["probability"]
            continue
        won = milestone["probability"] == 100
        outcomes["won" if won else "lost"] += 1
        assert opportunity["createdAt"][:10] <= opportunity["closedOn"] < MIDNIGHT[:10]
        assert opportunity["probability"] == (100 if won else 0)
        assert (opportunity["lostReason"] is None) == won
    assert min(outcomes["open"], outcomes["won"], outcomes["lost"]) > 5, outcomes


def test_seeded_projects_deliver_won_opportunities_on_the_default_board(seeded):
    boards = seeded.every("/boards", "boards")
    assert [b["name"] for b in boards] == ["Projects"]
    stages = [s["id"] for s in seeded.every(f"/boards/{boards[0]['id']}/stages", "stages")]
    milestones = {m["id"]: m for m in seeded.every("/milestones/all", "milestones")}
    won = {
        o["id"]: o
        for o in seeded.every("/opportunities", "opportunities")
        if milestones[o["milestone"]["id"]]["probability"] == 100
    }
    statuses = Counter()
    for project in seeded.every("/kases", "kases"):
        statuses[project["status"]] += 1
        sale = won[project["opportunity"]["id"]]
        assert project["party"]["id"] == sale["party"]["id"]
        assert sale["closedOn"] < project["startOn"] <= project["createdAt"][:10]
        assert project["stage"]["id"] in stages
        if project["status"] == "CLOSED":
            assert project["stage"]["id"] == stages[-1]
            assert project["startOn"] <= project["closedOn"] < MIDNIGHT[:10]
        else:
            assert project["closedOn"] is None
    assert statuses["OPEN"] and statuses["CLOSED"], statuses


def test_seeded_tasks_are_done_overdue_or_upcoming_with_categories(seeded):
    all_tasks = seeded.every("/tasks?status=open,completed", "tasks")
    kinds = Counter()
    for task in all_tasks:
        if task["status"] == "COMPLETED":
            kinds["done"] += 1
            assert task["createdAt"] < task["completedAt"] < MIDNIGHT
        else:
            kinds["upcoming" if task["dueOn"] >= MIDNIGHT[:10] else "overdue"] += 1
            assert task["completedAt"] is None
        assert task["createdAt"][:10] <= task["dueOn"]
    assert min(kinds.values()) > 5 and len(kinds) == 3, kinds
    categorised = [t for t in all_tasks if t["category"]]
    assert len(categorised) > 0.7 * len(all_tasks)
    assert {t["category"]["name"] for t in categorised} == {
        "Call",
        "Email",
        "Meeting",
        "Follow-up",
        "Billing",
    }


def test_seeded_entries_spread_over_two_years_before_the_base_date(seeded):
    listed = seeded.every("/entries", "entries")
    assert all(e["createdAt"] == e["entryAt"] < MIDNIGHT for e in listed)
    assert min(e["entryAt"] for e in listed) < "2024-12-01"
    assert max(e["entryAt"] for e in listed) > "2026-05-01"
    types = Counter(e["activityType"]["name"] for e in listed)
    assert {"Note", "Meeting", "Call", "Task completed"} == set(types)


def test_completed_tasks_filed_their_completion_entry_on_their_record(seeded):
    account_id = seeded.seeded.account_id
    done = seeded.rows(
        sa.select(
            tasks,
            entries.c.type.label("entry_type"),
            entries.c.entry_at,
            entries.c.content,
            entries.c.party_id.label("entry_party_id"),
            entries.c.opportunity_id.label("entry_opportunity_id"),
            entries.c.kase_id.label("entry_kase_id"),
        )
        .join(entries, entries.c.id == tasks.c.completion_entry_id)
        .where(tasks.c.account_id == account_id)
    )
    completed = seeded.rows(
        sa.select(tasks.c.id).where(tasks.c.account_id == account_id, tasks.c.status == "COMPLETED")
    )
    assert len(done) == len(completed) > 10
    for task in done:
        assert (task.entry_type, task.content, task.entry_at) == (
            "task",
            task.description,
            task.completed_at,
        )
        links = (task.party_id, task.opportunity_id, task.kase_id)
        assert links == (task.entry_party_id, task.entry_opportunity_id, task.entry_kase_id)


def test_last_contacted_is_the_latest_note_on_the_record_or_its_people(seeded):
    account_id = seeded.seeded.account_id
    party_rows = seeded.rows(sa.select(parties).where(parties.c.account_id == account_id))
    organisation_of = {p.id: p.organisation_id for p in party_rows}
    expected: dict[tuple[str, int], str] = {}
    notes = seeded.rows(
        sa.select(entries).where(entries.c.account_id == account_id, entries.c.type == "note")
    )
    for note in notes:
        records = [("opportunities", note.opportunity_id), ("kases", note.kase_id)]
        if note.party_id is not None:
            records += [("parties", note.party_id), ("parties", organisation_of[note.party_id])]
        for key in records:
            if key[1] is not None and note.entry_at > expected.get(key, ""):
                expected[key] = note.entry_at
    for name, table in (("parties", parties), ("opportunities", opportunities), ("kases", kases)):
        found = seeded.rows(
            sa.select(table.c.id, table.c.last_contacted_at).where(table.c.account_id == account_id)
        )
        assert {r.id: r.last_contacted_at for r in found} == {
            r.id: expected.get((name, r.id)) for r in found
        }


def test_search_finds_seeded_parties_projects_and_opportunities(seeded):
    people, organisations = people_and_organisations(seeded)
    organisation = next(iter(organisations.values()))
    found = seeded.get("/parties/search", q=organisation["name"])["parties"]
    assert found[0]["id"] == organisation["id"]
    person = next(p for p in people if p["emailAddresses"] and p["id"] > 5)
    email = person["emailAddresses"][0]["address"]
    assert person["id"] in [p["id"] for p in seeded.get("/parties/search", q=email)["parties"]]
    project = seeded.every("/kases", "kases")[0]
    found = seeded.get("/kases/search", q=project["name"])["kases"]
    assert project["id"] in [k["id"] for k in found]
    found = seeded.get("/opportunities/search", q="annual support renewal")["opportunities"]
    assert found and {o["name"] for o in found} == {"Annual support renewal"}


def test_seeded_search_index_is_what_the_api_writes(seeded):
    account_id = seeded.seeded.account_id
    for index in (search.PARTIES, search.OPPORTUNITIES, search.KASES):
        columns = [index.table.c[index.id_column], *(index.table.c[c] for c in index.columns)]
        query = sa.select(*columns).where(index.table.c.account_id == account_id)
        seeded_rows = sorted(seeded.rows(query))
        with seeded.engine.begin() as conn:
            for row in seeded_rows:
                search.reindex(conn, account_id, row[0], index)
        assert sorted(seeded.rows(query)) == seeded_rows


def body_of(party: dict[str, Any]) -> dict[str, Any]:
    """What a client would send to create this party as it is listed."""
    kept = ("type", "firstName", "lastName", "title", "jobTitle", "name", "about")
    body = {key: party[key] for key in kept if key in party}
    for kind in ("addresses", "phoneNumbers", "emailAddresses", "websites"):
        body[kind] = [{k: v for k, v in i.items() if k not in ("id", "url")} for i in party[kind]]
    return body


def stored(seeded: Seed, party_id: int) -> list[Any]:
    """The party's rows, without what differs between two copies of one party (ids, owner,
    account, times)."""
    mine = ("id", "account_id", "owner_id", "organisation_id", "created_at", "updated_at")
    row = seeded.rows(sa.select(parties).where(parties.c.id == party_id))[0]._asdict()
    found: list[Any] = [{k: v for k, v in row.items() if k not in (*mine, "last_contacted_at")}]
    for table in (addresses, phone_numbers, email_addresses, websites):
        children = seeded.rows(sa.select(table).where(table.c.party_id == party_id))
        found.append(sorted(tuple(r)[2:] for r in children))  # after id and party_id
    texts = [search.PARTIES.table.c[c] for c in search.PARTIES.columns]
    index = sa.select(*texts).where(search.PARTIES.table.c[search.PARTIES.id_column] == party_id)
    return [*found, seeded.rows(index)]


def test_seeded_parties_have_the_rows_the_api_writes_for_them(engine, client, seeded):
    people, organisations = people_and_organisations(seeded)
    person = next(p for p in people if p["organisation"] and p["addresses"] and p["title"])
    organisation = organisations[person["organisation"]["id"]]
    other = make_account(engine, client)
    made = other.post("/parties", {"party": body_of(organisation)}).json()["party"]
    body = {**body_of(person), "organisation": {"id": made["id"]}}
    twin = other.post("/parties", {"party": body}).json()["party"]
    assert stored(seeded, organisation["id"]) == stored(seeded, made["id"])
    assert stored(seeded, person["id"]) == stored(seeded, twin["id"])


def test_same_seed_gives_the_same_data_and_another_seed_other_data(engine, client, seeded):
    def content(of: Seed) -> list[Any]:
        def bare(item: Any) -> Any:
            if isinstance(item, dict):
                return {k: bare(v) for k, v in item.items() if k not in ("id", "owner")}
            return [bare(i) for i in item] if isinstance(item, list) else item

        return [
            bare(of.every("/parties", "parties")[5:]),  # after the users' own, made now
            bare(of.every("/opportunities", "opportunities")),
            bare(of.every("/tasks?status=open,completed", "tasks")),
        ]

    again, other = Seed(engine, client), Seed(engine, client, seed=8)
    assert content(again) == content(seeded)
    assert content(other)[0] != content(seeded)[0]


def test_api_creates_records_after_a_seed_without_id_clashes(seeded):
    party = seeded.post("/parties", {"party": {"type": "person", "lastName": "Later"}})
    assert party.status_code == 201, party.text
    party_id = party.json()["party"]["id"]
    milestone = seeded.every("/milestones/all", "milestones")[0]["id"]
    for path, body in (
        (
            "/opportunities",
            {
                "opportunity": {
                    "name": "New",
                    "party": {"id": party_id},
                    "milestone": {"id": milestone},
                }
            },
        ),
        ("/kases", {"kase": {"name": "New", "party": {"id": party_id}}}),
        ("/entries", {"entry": {"type": "note", "party": {"id": party_id}, "content": "Hi"}}),
        (
            "/tasks",
            {"task": {"description": "New", "dueOn": "2026-07-01", "party": {"id": party_id}}},
        ),
    ):
        assert seeded.post(path, body).status_code == 201, path


def test_seeding_an_account_twice_adds_records_not_vocabulary(engine, client):
    name = f"acme-{secrets.token_hex(4)}"
    first = Seed(engine, client, account_name=name)
    second = Seed(engine, client, seed=7, account_name=name)
    assert second.seeded.account_id == first.seeded.account_id
    assert len(second.get("/users")["users"]) == 5
    assert len(second.every("/pipelines", "pipelines")) == 2
    assert len(second.every("/parties/tags", "tags")) == 7
    _, organisations = people_and_organisations(second)
    names = [o["name"].lower() for o in organisations.values()]
    assert len(names) == len(set(names)) == 2 * PARTIES // 5


def test_a_seed_that_fails_leaves_nothing_behind(engine, monkeypatch):
    # Tasks written before the entries they point to break a foreign key, mid-seed.
    reordered = (*(t for t in bulk.TABLES if t is not entries), entries)
    monkeypatch.setattr(bulk, "TABLES", reordered)
    name = f"broken-{secrets.token_hex(4)}"
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        seed_account(
            conn, profile="smallbiz", parties=PARTIES, seed=7, base_date=BASE, account_name=name
        )
    with engine.connect() as conn:
        assert accounts_store.account_id_by_name(conn, name) is None


def test_every_seeded_city_is_in_a_country_the_api_accepts():
    countries = set(reference.country_names().values())
    assert {city.country for city in CITIES} <= countries
    assert set(MOBILES) <= countries


# -- the command ---------------------------------------------------------------------------------


@pytest.fixture
def database_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/seed.db"
    monkeypatch.setenv("PILLBOX_DATABASE_URL", url)
    return url


def test_seed_command_prints_a_token_of_the_seeded_account(database_url):
    migrate.upgrade(create_engine(database_url))
    first = CliRunner().invoke(cli, ["seed", "--parties", "50", "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert "Seeded 50 parties" in first.stderr and "'smallbiz-3'" in first.stderr
    again = CliRunner().invoke(cli, ["seed", "--parties", "5", "--seed", "3"])
    assert again.exit_code == 0 and "'smallbiz-3-2'" in again.stderr, again.output
    client = TestClient(create_app(Settings()))
    for result, count in ((first, 50), (again, 5)):
        headers = {"Authorization": f"Bearer {result.stdout.strip()}"}
        response = client.get("/api/v2/parties?perPage=100", headers=headers)
        assert len(response.json()["parties"]) == count + 5  # and the users' own records


def test_seed_command_leaves_the_planners_statistics_behind(database_url):
    engine = create_engine(database_url)
    migrate.upgrade(engine)
    assert CliRunner().invoke(cli, ["seed", "--parties", "50"]).exit_code == 0
    with engine.connect() as conn:
        analysed = conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1").scalars().all()
    assert {"parties", "record_tags", "party_addresses"} <= set(analysed)


@pytest.mark.parametrize(
    "options",
    [
        ["--base-date", "2026-02-30"],
        ["--profile", "enterprise"],
        ["--account", " "],
        ["--account", "x" * 201],
        ["--parties", "0"],
    ],
)
def test_seed_command_refuses_bad_options_and_changes_nothing(database_url, options):
    engine = create_engine(database_url)
    migrate.upgrade(engine)
    result = CliRunner().invoke(cli, ["seed", *options])
    assert result.exit_code == 2 and f"Invalid value for '{options[0]}'" in result.stderr
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(parties)) == 0


def test_seed_command_refuses_an_unmigrated_database(database_url):
    result = CliRunner().invoke(cli, ["seed", "--parties", "5"])
    assert result.exit_code == 2 and "pillbox db upgrade" in result.stderr
