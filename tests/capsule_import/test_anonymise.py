"""--anonymise: personal data replaced by coherent synthetic data of the same shape; ids,
structure, dates, values, statuses and links kept."""

import uuid
from typing import Any

import orjson
import pytest

from pillbox.capsule_import import anonymiser
from tests.capsule_import import compare
from tests.capsule_import.conftest import Source, run_import
from tests.capsule_import.target import Target


def source_view(source: Source) -> dict[str, Any]:
    return compare.everything(
        lambda path, params: source.http.get(f"/api/v2{path}", params=params).json()
    )


@pytest.fixture(scope="module")
def raw(source: Source) -> dict[str, Any]:
    """What the source shows, under its own ids."""
    return source_view(source)


@pytest.fixture
def anonymised(engine, source, raw, tmp_path) -> tuple[dict[str, Any], dict[str, Any], Target]:
    """(the source's view under the ids given here, the anonymised copy's view, the copy)"""
    name = f"fixtures-{uuid.uuid4().hex[:8]}"
    run_import(engine, source, name, tmp_path, anonymise=True)
    target = Target(engine, name, tmp_path)
    shown = compare.translated(raw, target.pairs())
    return shown, compare.ordered(target.everything()), target


def personal(shown: dict[str, Any]) -> set[str]:
    """Email addresses, phone numbers, streets and user names the source shows."""
    found: set[str] = set()
    for party in shown["/parties"]:
        found |= {e["address"] for e in party["emailAddresses"]}
        found |= {p["number"] for p in party["phoneNumbers"]}
        found |= {a["street"] for a in party["addresses"] if a["street"]}
    found |= {user["name"] for user in shown["/users"]}
    return found


def test_anonymised_import_shows_none_of_the_personal_data(anonymised):
    shown, imported, _target = anonymised
    text = orjson.dumps(imported).decode()
    leaked = sorted(value for value in personal(shown) if value in text)
    assert leaked == []


def test_anonymised_records_keep_ids_dates_values_statuses_and_links(anonymised):
    shown, imported, _target = anonymised
    kept = {
        "/parties": ("id", "type", "createdAt", "updatedAt", "lastContactedAt", "owner"),
        "/opportunities": ("id", "value", "milestone", "probability", "closedOn", "party"),
        "/kases": ("id", "status", "stage", "startOn", "closedOn", "party", "opportunity"),
        "/entries": ("id", "type", "entryAt", "createdAt", "activityType", "creator"),
        "/tasks": ("id", "status", "dueOn", "dueTime", "completedAt", "category", "owner"),
    }
    for path, keys in kept.items():
        assert len(imported[path]) == len(shown[path])
        for got, expected in zip(imported[path], shown[path], strict=True):
            picked = {key: _ids(got.get(key)) for key in keys}
            assert picked == {key: _ids(expected.get(key)) for key in keys}
    for got, expected in zip(imported["/parties"], shown["/parties"], strict=True):
        for key in ("emailAddresses", "phoneNumbers", "addresses", "websites"):
            assert [i["id"] for i in got[key]] == [i["id"] for i in expected[key]]
        assert [f["definition"] for f in got["fields"]] == [
            f["definition"] for f in expected["fields"]
        ]


def _ids(value: Any) -> Any:
    """A nested record by its id alone (its name is anonymised)."""
    return value["id"] if isinstance(value, dict) and "id" in value else value


def test_anonymised_people_work_at_their_organisations_domain(anonymised, source):
    _shown, imported, target = anonymised
    by_local = {
        local: source_id
        for (table, source_id), local in target.pairs().items()
        if table == "parties"
    }
    employed = [
        p
        for p in imported["/parties"]
        if p["type"] == "person" and p["organisation"] and p["emailAddresses"]
    ]
    assert employed
    for person in employed:
        _name, domain = anonymiser.company(by_local[person["organisation"]["id"]])
        assert all(e["address"].endswith(f"@{domain}") for e in person["emailAddresses"])
        first = anonymiser.person(by_local[person["id"]])[0]
        assert person["firstName"] == first


def test_anonymised_attachments_keep_their_size_and_extension(anonymised, source, raw):
    _shown, imported, target = anonymised
    fetched = compare.attachment_bytes(raw, lambda path: source.http.get(f"/api/v2{path}").content)
    pairs = target.pairs()
    before = {pairs[("attachments", i)]: content for i, content in fetched.items()}
    after = compare.attachment_bytes(imported, target.fetch)
    assert {i: len(b) for i, b in after.items()} == {i: len(b) for i, b in before.items()}
    assert all(after[i] != before[i] for i in before)
    names = [a["filename"] for e in imported["/entries"] for a in e.get("attachments") or []]
    assert names and all(n.startswith("document-") and n.endswith(".pdf") for n in names)


def test_anonymising_twice_gives_the_same_fixtures(engine, source, tmp_path):
    views = []
    for _ in range(2):
        name = f"fixtures-{uuid.uuid4().hex[:8]}"
        run_import(engine, source, name, tmp_path, anonymise=True)
        target = Target(engine, name, tmp_path)
        views.append(
            [
                (p["firstName"] if p["type"] == "person" else p["name"])
                for p in target.everything()["/parties"]
            ]
        )
    assert views[0] == views[1]
