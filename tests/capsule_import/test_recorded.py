"""Bodies recorded from live Capsule (/work/shared/api/recorded, copied to tests/capsule_import/
recorded/), served through a mocked transport: Capsule's own records import as it shows them."""

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from pillbox.capsule_import.phases import PHASES
from tests.capsule_import import compare
from tests.capsule_import.conftest import Source, run_import
from tests.capsule_import.target import Target

RECORDED = Path(__file__).parent / "recorded"
ORIGIN = "https://api.capsulecrm.com"


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


def capsule(request: httpx.Request) -> httpx.Response:
    """Capsule as recorded: two pages of parties, projects, project field definitions; every
    other list empty."""
    path = request.url.path.removeprefix("/api/v2")
    page = request.url.params.get("page")
    if path == "/parties":
        if page == "1":
            link = {"Link": f'<{ORIGIN}/api/v2/parties?page=2>; rel="next"'}
            return httpx.Response(200, json=recorded("parties-first-page.json"), headers=link)
        return httpx.Response(200, json=recorded("parties-last-page.json"))
    if path == "/kases":
        kases = recorded("projects-first-page.json")["kases"]
        return httpx.Response(
            200, json={"kases": [*kases, recorded("project-created.json")["kase"]]}
        )
    if path == "/kases/fields/definitions":
        return httpx.Response(200, json=recorded("fields-definitions-projects.json"))
    if path == "/parties/fields/definitions":
        return httpx.Response(200, json=recorded("fields-definitions-empty.json"))
    if path.endswith("/parties"):
        return httpx.Response(200, json={"parties": []})
    keys = {phase.path: phase.key for phase in PHASES}
    return httpx.Response(200, json={keys[path]: []})


@pytest.fixture
def imported(engine, tmp_path) -> tuple[Any, Target]:
    name = f"recorded-{uuid.uuid4().hex[:8]}"
    source = Source(server=None, name=name, token="secret", http=None)  # type: ignore[arg-type]
    run = run_import(
        engine, source, name, tmp_path, transport=httpx.MockTransport(capsule), origin=ORIGIN
    )
    return run, Target(engine, name, tmp_path)


def test_recorded_parties_import_as_capsule_shows_them(imported):
    _run, target = imported
    pairs = target.pairs()
    for page in ("parties-first-page.json", "parties-last-page.json"):
        for party in recorded(page)["parties"]:
            local = pairs[("parties", party["id"])]  # another test may have had its id
            shown = target.get(f"/parties/{local}", {})["party"]
            # Pillbox draws its own pictures; users were not part of the recording.
            expected = {**party, "pictureURL": shown["pictureURL"], "owner": None}
            assert compare.translated({"/parties": [expected]}, pairs)["/parties"] == [shown]


def test_recorded_project_keeps_its_dates_and_data_tag_field_value(imported):
    _run, target = imported
    kase = recorded("project-created.json")["kase"]
    pairs = target.pairs()
    shown = target.get(f"/kases/{pairs[('kases', kase['id'])]}", {})["kase"]
    for key in ("createdAt", "updatedAt", "description", "name", "status", "expectedCloseOn"):
        assert shown[key] == kase[key]
    assert shown["party"]["id"] == pairs[("parties", kase["party"]["id"])]
    definition = recorded("fields-definitions-projects.json")["definitions"][0]
    listed = target.get("/kases/fields/definitions", {})["definitions"]
    local = pairs[("field_definitions", definition["id"])]
    assert listed == [
        {**definition, "id": local, "tag": None}
    ]  # its data tag was not among the tags read


def test_recorded_records_that_cannot_be_written_are_listed_with_the_reason(imported):
    run, _target = imported
    assert ["projects", 5588202, "its party 277242033 was not imported"] in run.report.skipped
    assert run.report.counts["projects"] == {"read": 2, "written": 1, "skipped": 1}
    assert run.report.counts["parties"] == {"read": 3, "written": 3, "skipped": 0}
