"""Seeds a benchmark account: N parties (a fifth organisations), with contacts and tags, an
opportunity for every other party (on the default pipeline, with a value and a tag), and a project
for every fourth party (on the default board, with a tag), a note and a task on every party."""

import random
import secrets
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store import accounts, migrate, search, tables
from pillbox.store.engine import create_engine

SURNAMES = [
    f"{a}{b}"
    for a in (
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Wilson",
        "Evans",
        "Khan",
        "Patel",
        "Walker",
        "Wright",
    )
    for b in ("", "son", "ford", "ley", "ton", "ham", "well", "wood", "by", "more")
]
FIRST_NAMES = [
    "Ann",
    "Ben",
    "Cara",
    "Dev",
    "Eve",
    "Finn",
    "Gita",
    "Hal",
    "Ivy",
    "Jon",
    "Kai",
    "Lea",
]
CITIES = ["Leeds", "York", "Bristol", "Chicago", "Lyon", "Porto", "Oslo", "Kyoto"]
BATCH = 5000


def seed(path: Path, parties: int) -> str:
    """Creates and fills the database at `path`; returns a write token of its admin user."""
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    token = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        account = accounts.create_account(conn, "bench")
        user = accounts.create_user(
            conn, account, email="bench@example.com", name="Bench", username="bench", admin=True
        )
        accounts.create_token(conn, user, token, "write")
        tag_ids = [
            accounts_insert(conn, tables.tags, account=account, name=f"Tag {i}") for i in range(10)
        ]
        rng = random.Random(1)
        for start in range(1, parties + 1, BATCH):
            _batch(conn, rng, account, user, tag_ids, range(start, min(start + BATCH, parties + 1)))
        _opportunities(conn, rng, account, user, parties)
        _kases(conn, rng, account, user, parties)
        _entries(conn, rng, account, user, parties)
        _tasks(conn, rng, account, user, parties)
    engine.dispose()
    return token


def _opportunities(
    conn: sa.Connection, rng: random.Random, account: int, user: int, parties: int
) -> None:
    milestones = list(conn.execute(sa.select(tables.milestones).order_by(tables.milestones.c.id)))
    tag_ids = [
        accounts_insert(
            conn, tables.tags, account=account, name=f"Deal tag {i}", entity="opportunities"
        )
        for i in range(5)
    ]
    now = timestamps.now()
    for start in range(1, parties + 1, 2 * BATCH):
        rows: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        for party_id in range(start, min(start + 2 * BATCH, parties + 1), 2):
            milestone = rng.choice(milestones)
            opportunity_id = (party_id + 1) // 2
            name = f"{rng.choice(['Consulting', 'Licences', 'Support', 'Training'])} {party_id}"
            rows.append(
                dict(
                    id=opportunity_id,
                    account_id=account,
                    party_id=party_id,
                    name=name,
                    description=None,
                    owner_id=user,
                    team_id=None,
                    milestone_id=milestone.id,
                    last_open_milestone_id=None if milestone.complete else milestone.id,
                    lost_reason_id=None,
                    value_amount=str(rng.randrange(100, 100_000)),
                    value_currency="GBP",
                    expected_close_on="2027-03-31",
                    probability=milestone.probability,
                    duration_basis="FIXED",
                    duration=None,
                    closed_on=now[:10] if milestone.complete else None,
                    created_at=now,
                    updated_at=now,
                    last_contacted_at=None,
                    last_stage_changed_at=now,
                )
            )
            tags.append(
                dict(entity="opportunities", record_id=opportunity_id, tag_id=rng.choice(tag_ids))
            )
            entries.append(
                dict(id=opportunity_id, account_id=account, **search.record_entry(name, None, []))
            )
        conn.execute(tables.opportunities.insert(), rows)
        conn.execute(tables.record_tags.insert(), tags)
        conn.execute(_index_insert(search.OPPORTUNITIES), entries)


def _kases(conn: sa.Connection, rng: random.Random, account: int, user: int, parties: int) -> None:
    stage_ids = list(conn.scalars(sa.select(tables.stages.c.id).order_by(tables.stages.c.id)))
    tag_ids = [
        accounts_insert(conn, tables.tags, account=account, name=f"Project tag {i}", entity="kases")
        for i in range(5)
    ]
    now = timestamps.now()
    rows: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for party_id in range(1, parties + 1, 4):
        kase_id = (party_id + 3) // 4
        name = f"{rng.choice(['Rollout', 'Audit', 'Migration', 'Onboarding'])} {party_id}"
        closed = rng.random() < 0.2
        rows.append(
            dict(
                id=kase_id,
                account_id=account,
                party_id=party_id,
                name=name,
                description=None,
                owner_id=user,
                team_id=None,
                status="CLOSED" if closed else "OPEN",
                opportunity_id=(party_id + 1) // 2,
                stage_id=rng.choice(stage_ids),
                expected_close_on="2027-06-30",
                start_on=None,
                closed_on=now[:10] if closed else None,
                created_at=now,
                updated_at=now,
                last_contacted_at=None,
            )
        )
        tags.append(dict(entity="kases", record_id=kase_id, tag_id=rng.choice(tag_ids)))
        entries.append(dict(id=kase_id, account_id=account, **search.record_entry(name, None, [])))
    for start in range(0, len(rows), BATCH):
        conn.execute(tables.kases.insert(), rows[start : start + BATCH])
        conn.execute(tables.record_tags.insert(), tags[start : start + BATCH])
        conn.execute(_index_insert(search.KASES), entries[start : start + BATCH])


def _entries(
    conn: sa.Connection, rng: random.Random, account: int, user: int, parties: int
) -> None:
    """One note per party, spread over the past two years (so dates interleave)."""
    for start in range(1, parties + 1, BATCH):
        rows = []
        for party_id in range(start, min(start + BATCH, parties + 1)):
            day = rng.randrange(730)
            at = f"{2024 + day // 365}-{1 + day % 365 // 31:02d}-{1 + day % 28:02d}T10:00:00Z"
            rows.append(
                dict(
                    account_id=account,
                    type="note",
                    party_id=party_id,
                    creator_id=user,
                    activity_type_id=rng.choice([-1, -2, -3]),
                    content=f"Spoke with them about {rng.choice(CITIES)}",
                    entry_at=at,
                    created_at=at,
                    updated_at=at,
                )
            )
        conn.execute(tables.entries.insert(), rows)


def _tasks(conn: sa.Connection, rng: random.Random, account: int, user: int, parties: int) -> None:
    """A task per party, due over a year; a third are done, half are in one of five categories."""
    now = timestamps.now()
    categories = [
        int(
            conn.execute(
                tables.task_categories.insert().values(
                    account_id=account, name=name, colour="#d36c00", created_at=now, updated_at=now
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        for name in ("Call", "Email", "Meeting", "Billing", "Follow-up")
    ]
    for start in range(1, parties + 1, BATCH):
        rows = []
        for party_id in range(start, min(start + BATCH, parties + 1)):
            done = rng.random() < 1 / 3
            day = rng.randrange(365)
            rows.append(
                dict(
                    account_id=account,
                    description=f"Call back about {rng.choice(CITIES)}",
                    category_id=rng.choice(categories) if rng.random() < 0.5 else None,
                    due_on=f"2026-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}",
                    due_time=f"{9 + day % 8:02d}:00:00" if day % 3 == 0 else None,
                    status="COMPLETED" if done else "OPEN",
                    party_id=party_id,
                    owner_id=user,
                    completed_by_id=user if done else None,
                    completed_at=now if done else None,
                    day_delay_rule="TRACK_DAYS",
                    created_at=now,
                    updated_at=now,
                )
            )
        conn.execute(tables.tasks.insert(), rows)


def accounts_insert(
    conn: sa.Connection, table: sa.Table, account: int, name: str, entity: str = "parties"
) -> int:
    now = timestamps.now()
    values = dict(
        account_id=account,
        entity=entity,
        name=name,
        name_key=name.lower(),
        data_tag=False,
        created_at=now,
        updated_at=now,
    )
    return int(conn.execute(table.insert().values(**values)).inserted_primary_key[0])  # type: ignore[index]


def _batch(
    conn: sa.Connection, rng: random.Random, account: int, user: int, tag_ids: list[int], ids: range
) -> None:
    now = timestamps.now()
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("p", "a", "e", "ph", "w", "t", "s")}
    organisations = [i for i in ids if i % 5 == 0]
    for party_id in ids:
        organisation = party_id % 5 == 0
        surname = rng.choice(SURNAMES)
        first = rng.choice(FIRST_NAMES)
        name = f"{surname} {rng.choice(['Ltd', 'LLC', 'GmbH', 'Group'])} {party_id}"
        email = f"{first.lower()}.{surname.lower()}{party_id}@example.com"
        phone = f"+44 113 {party_id:07d}"
        rows["p"].append(
            dict(
                id=party_id,
                account_id=account,
                type="organisation" if organisation else "person",
                first_name=None if organisation else first,
                last_name=None if organisation else surname,
                name=name if organisation else None,
                organisation_key=name.lower() if organisation else None,
                organisation_id=None
                if organisation or not organisations
                else rng.choice(organisations),
                owner_id=user,
                created_at=now,
                updated_at=now,
                title=None,
                job_title=None,
                about=None,
                team_id=None,
                last_contacted_at=None,
            )
        )
        rows["a"].append(
            dict(
                party_id=party_id,
                type="Office",
                street=f"{party_id} High Street",
                city=rng.choice(CITIES),
                state=None,
                country="United Kingdom",
                zip=f"LS{party_id % 30} 1AA",
            )
        )
        rows["e"].append(dict(party_id=party_id, type="Work", address=email))
        rows["ph"].append(dict(party_id=party_id, type="Work", number=phone))
        if organisation:
            rows["w"].append(
                dict(
                    party_id=party_id,
                    type=None,
                    service="URL",
                    address=f"org{party_id}.example",
                    url=f"http://org{party_id}.example",
                )
            )
        rows["t"].append(dict(entity="parties", record_id=party_id, tag_id=rng.choice(tag_ids)))
        entry = search.party_entry(
            None if organisation else first,
            None if organisation else surname,
            name if organisation else None,
            [email],
            [phone],
            [],
        )
        rows["s"].append(dict(id=party_id, account_id=account, **entry))
    # Organisations first: people refer to them.
    conn.execute(tables.parties.insert(), sorted(rows["p"], key=lambda r: r["type"] == "person"))
    for key, table in (
        ("a", tables.addresses),
        ("e", tables.email_addresses),
        ("ph", tables.phone_numbers),
        ("w", tables.websites),
        ("t", tables.record_tags),
    ):
        if rows[key]:
            conn.execute(table.insert(), rows[key])
    conn.execute(_index_insert(search.PARTIES), rows["s"])


def _index_insert(index: search.SearchIndex) -> sa.TextClause:
    """Writes search index rows (`id`, `account_id` and the index's columns) on SQLite."""
    columns = ", ".join(index.columns)
    values = ", ".join(f":{column}" for column in index.columns)
    return sa.text(
        f"INSERT INTO {index.table.name} (rowid, {index.id_column}, account_id, {columns}) "
        f"VALUES (:id, :id, :account_id, {values})"
    )


if __name__ == "__main__":
    target, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    print(seed(target, count))
