"""export csv: headers that import csv reads back, so an export survives a trip through import."""

import csv
import io

from pillbox.store.engine import WRITE
from pillbox.transfer import importer
from pillbox.transfer.exporter import export
from pillbox.transfer.plan import Options
from tests.conftest import make_account
from tests.transfer.conftest import actor_of


def exported(engine, actor, entity):
    out = io.StringIO()
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        export(conn, actor, entity, out)
    return out.getvalue()


def without_ids(text):
    rows = list(csv.reader(io.StringIO(text)))
    keep = [i for i, name in enumerate(rows[0]) if name != "Id"]
    return [[row[i] for i in keep] for row in rows]


def fill(account):
    """Records of every kind, with the details an export has to carry."""
    for name, kind in (("Shoe Size", "number"), ("Newsletter", "boolean")):
        assert (
            account.post(
                "/parties/fields/definitions", {"definition": {"name": name, "type": kind}}
            ).status_code
            == 201
        )
    acme = account.post(
        "/parties",
        {
            "party": {
                "type": "organisation",
                "name": "Acme, Inc.",
                "about": "Two lines\nof text",
                "websites": [{"service": "URL", "address": "acme.example"}],
                "addresses": [{"type": "Office", "city": "Leeds", "country": "United Kingdom"}],
            }
        },
    ).json()["party"]
    person = {
        "type": "person",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "title": "Dr",
        "jobTitle": "Countess",
        "organisation": {"id": acme["id"]},
        "emailAddresses": [
            {"type": "Work", "address": "ada@acme.example"},
            {"type": "Home", "address": "ada@home.example"},
            {"type": "Work", "address": "ada2@acme.example"},
        ],
        "phoneNumbers": [{"type": "Mobile", "number": "+44 7"}, {"number": "123"}],
        "websites": [{"service": "LINKED_IN", "address": "ada"}],
        "addresses": [
            {"type": "Home", "street": "1 Road", "city": "London", "zip": "N1"},
            {"type": "Home", "city": "Bath"},
        ],
        "tags": [{"name": "VIP"}, {"name": "Maths"}],
        "fields": [
            {"definition": {"name": "Shoe Size"}, "value": "38"},
            {"definition": {"name": "Newsletter"}, "value": True},
        ],
    }
    ada = account.post("/parties", {"party": person}).json()["party"]
    assert (
        account.post("/parties", {"party": {"type": "person", "lastName": "Solo"}}).status_code
        == 201
    )
    milestone = account.get("/milestones").json()["milestones"][1]
    deal = {
        "name": "Big deal",
        "party": {"id": acme["id"]},
        "milestone": {"id": milestone["id"]},
        "value": {"amount": 1500, "currency": "GBP"},
        "expectedCloseOn": "2030-05-01",
        "tags": [{"name": "hot"}],
    }
    deal_id = account.post("/opportunities", {"opportunity": deal}).json()["opportunity"]["id"]
    project = {"name": "Rollout", "party": {"id": ada["id"]}, "opportunity": {"id": deal_id}}
    assert account.post("/kases", {"kase": project}).status_code == 201
    task = {
        "description": "Call",
        "dueOn": "2030-01-02",
        "dueTime": "09:30:00",
        "party": {"id": ada["id"]},
    }
    assert account.post("/tasks", {"task": task}).status_code == 201


ENTITIES = ["parties", "opportunities", "kases", "tasks"]


def test_export_imported_into_a_new_account_exports_the_same_file_ids_aside(
    engine, client, tmp_path
):
    source = make_account(engine, client)
    fill(source)
    target = make_account(engine, client)
    for name, kind in (("Shoe Size", "number"), ("Newsletter", "boolean")):
        body = {"definition": {"name": name, "type": kind}}
        assert target.post("/parties/fields/definitions", body).status_code == 201
    for entity in ENTITIES:
        first = exported(engine, actor_of(source), entity)
        assert len(first.splitlines()) > 1, entity
        path = tmp_path / f"{entity}.csv"
        path.write_text(first, encoding="utf-8", newline="")
        counts = importer.run(engine, actor_of(target), path, Options(entity))
        assert counts.failed == 0, entity
        assert without_ids(exported(engine, actor_of(target), entity)) == without_ids(first)


def test_export_writes_one_column_per_detail_with_types_and_numbers(engine, account):
    fill(account)
    header, *rows = csv.reader(io.StringIO(exported(engine, actor_of(account), "parties")))
    ada = dict(zip(header, next(r for r in rows if "Lovelace" in r), strict=True))
    assert {
        k: ada[k] for k in ("Work Email", "Work Email 2", "Home Email", "Mobile Phone", "Phone")
    } == {
        "Work Email": "ada@acme.example",
        "Work Email 2": "ada2@acme.example",
        "Home Email": "ada@home.example",
        "Mobile Phone": "+44 7",
        "Phone": "123",
    }
    assert (ada["Home Street"], ada["Home City"], ada["Home City 2"]) == (
        "1 Road",
        "London",
        "Bath",
    )
    assert (ada["LinkedIn"], ada["Organisation"], ada["Tags"]) == (
        "ada",
        "Acme, Inc.",
        "Maths; VIP",
    )
    assert (ada["Shoe Size"], ada["Newsletter"]) == ("38", "true")


def test_export_of_another_account_shows_none_of_its_records(engine, client):
    mine, theirs = make_account(engine, client), make_account(engine, client)
    fill(theirs)
    for entity in ENTITIES:
        lines = exported(engine, actor_of(mine), entity).splitlines()
        assert [
            line for line in lines[1:] if "Lovelace" in line or "deal" in line or "Call" in line
        ] == []
