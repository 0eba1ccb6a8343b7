"""Attachments on API v2: upload, attach to an entry, download, and files removed with them.

Every test runs against both file stores: the local directory and S3-compatible storage (moto's
standalone server, started by the suite on a loopback port).
"""

import time
import uuid
from urllib.parse import quote

import pytest

from pillbox.settings import Settings
from pillbox.store.files import S3Files
from pillbox.worker import Worker
from tests.api.v2.checks import errors_of, run_jobs
from tests.conftest import Account


@pytest.fixture(params=["local", "s3"])
def settings(request, tmp_path, monkeypatch) -> Settings:
    base = Settings(
        database_url="sqlite://",
        rate_limit_per_hour=100_000,
        run_worker=False,
        attachments_dir=str(tmp_path / "attachments"),
    )
    if request.param == "local":
        return base
    bucket = request.getfixturevalue("s3_bucket")
    return base.model_copy(update={"attachments_url": f"s3://{bucket}/attachments"})


@pytest.fixture
def person(account) -> dict:
    body = {"type": "person", "lastName": "Ted"}
    return account.post("/parties", {"party": body}).json()["party"]


def note(account: Account, **entry: object) -> dict:
    response = account.post("/entries", {"entry": {"type": "note", **entry}})
    assert response.status_code == 201, response.text
    return response.json()["entry"]


def upload(
    account: Account, data: bytes = b"%PDF-1.4 hello", name: str = "report-12345.pdf"
) -> str:
    response = account.request(
        "POST",
        "/attachments/upload",
        content=data,
        headers={"Content-Type": "application/pdf", "X-Attachment-Filename": quote(name)},
    )
    assert response.status_code == 200, response.text
    return response.json()["upload"]["token"]


def stored(app) -> list[str]:
    return list(app.state.files.keys())


def test_attachments_upload_attach_download_and_remove(account, person, engine):
    token = upload(account, b"%PDF-1.4 report", "report 2025 \u00e9t\u00e9.pdf")
    entry = note(account, party=person["id"], attachments=[{"token": token}])
    attachment = entry["attachments"][0]
    assert attachment == {
        "id": attachment["id"],
        "filename": "report 2025 \u00e9t\u00e9.pdf",
        "contentType": "application/pdf",
        "size": 15,
    }
    download = account.get(f"/attachments/{attachment['id']}")
    assert (download.status_code, download.content) == (200, b"%PDF-1.4 report")
    assert download.headers["Content-Type"].startswith("application/pdf")
    assert download.headers["Content-Disposition"] == (
        "inline; filename*=UTF-8''report%202025%20%C3%A9t%C3%A9.pdf; "
        'filename="report 2025 _t_.pdf"'
    )
    reused = account.post(
        "/entries",
        {"entry": {"type": "note", "party": person["id"], "attachments": [{"token": token}]}},
    )
    assert errors_of(reused)[0]["message"] == "attachment token is invalid"
    last = account.put(
        f"/entries/{entry['id']}",
        {"entry": {"attachments": [{"id": attachment["id"], "_delete": True}]}},
    )
    assert errors_of(last)[0]["field"] == "content"
    changed = account.put(
        f"/entries/{entry['id']}",
        {
            "entry": {
                "content": "now with words",
                "attachments": [{"id": attachment["id"], "_delete": True}],
            }
        },
    )
    assert changed.json()["entry"]["attachments"] == []
    run_jobs(engine)  # the worker removes the file once nothing refers to it
    assert account.get(f"/attachments/{attachment['id']}").status_code == 404


def test_upload_needs_a_file_name_and_names_cannot_escape(account, app, tmp_path):
    response = account.request("POST", "/attachments/upload", content=b"x")
    assert errors_of(response)[0]["field"] == "filename"
    token = upload(account, b"data", "../../etc/passwd")
    person = account.post("/parties", {"party": {"type": "person", "lastName": "P"}}).json()[
        "party"
    ]
    entry = note(account, party=person["id"], attachments=[{"token": token}])
    assert entry["attachments"][0]["filename"] == "passwd"
    assert not (tmp_path / "etc").exists()
    assert all("passwd" not in key for key in stored(app))


def test_uploads_over_the_limit_are_413(account, app):
    limit = app.state.settings.max_attachment_bytes
    response = account.request(
        "POST",
        "/attachments/upload",
        content=b"x" * (limit + 1),
        headers={"X-Attachment-Filename": "big.bin"},
    )
    assert response.status_code == 413


def test_another_accounts_attachment_is_404(account, other_account, person):
    entry = note(account, party=person["id"], attachments=[{"token": upload(account)}])
    attachment_id = entry["attachments"][0]["id"]
    assert other_account.get(f"/attachments/{attachment_id}").status_code == 404
    their_token = upload(other_account)
    response = account.post(
        "/entries",
        {"entry": {"type": "note", "party": person["id"], "attachments": [{"token": their_token}]}},
    )
    assert errors_of(response)[0]["message"] == "attachment token is invalid"


def test_deleting_an_entry_removes_its_files(account, person, engine, app, tmp_path):
    entry = note(account, party=person["id"], attachments=[{"token": upload(account)}])
    assert len(stored(app)) == 1
    assert account.delete(f"/entries/{entry['id']}").status_code == 204
    Worker(engine, files=app.state.files).run_pending()
    assert stored(app) == []


def test_uploads_never_attached_expire_with_their_files(account, person, engine, app, tmp_path):
    token = upload(account)
    assert len(stored(app)) == 1
    later = Worker(engine, files=app.state.files, clock=lambda: time.time() + 25 * 3600)
    later.purge_finished()
    later.run_pending()
    assert stored(app) == []
    body = {"type": "note", "party": person["id"], "attachments": [{"token": token}]}
    assert errors_of(account.post("/entries", {"entry": body}))[0]["message"] == (
        "attachment token is invalid"
    )


@pytest.mark.parametrize("record", ["party", "opportunity", "kase"])
def test_deleting_a_record_removes_the_files_of_its_entries(
    account, person, engine, app, tmp_path, record
):
    milestone = account.get("/milestones").json()["milestones"][0]
    ids = {
        "party": person["id"],
        "opportunity": account.post(
            "/opportunities",
            {"opportunity": {"name": "D", "party": person["id"], "milestone": milestone["id"]}},
        ).json()["opportunity"]["id"],
        "kase": account.post("/kases", {"kase": {"name": "K", "party": person["id"]}}).json()[
            "kase"
        ]["id"],
    }
    note(account, **{record: ids[record]}, attachments=[{"token": upload(account)}])
    collection = {"party": "parties", "opportunity": "opportunities", "kase": "kases"}[record]
    assert account.delete(f"/{collection}/{ids[record]}").status_code == 204
    Worker(engine, files=app.state.files).run_pending()
    assert stored(app) == []


def test_a_file_larger_than_a_part_goes_up_in_parts_and_comes_back_whole(
    account, person, app, monkeypatch
):
    if isinstance(app.state.files, S3Files):
        monkeypatch.setattr(S3Files, "PART_BYTES", 5 * 1024 * 1024)  # S3's smallest part
    data = bytes(range(256)) * (12 * 1024 * 1024 // 256 + 7)  # 12 MiB and a bit: three parts
    entry = note(account, party=person["id"], attachments=[{"token": upload(account, data)}])
    download = account.get(f"/attachments/{entry['attachments'][0]['id']}")
    assert (download.status_code, len(download.content)) == (200, len(data))
    assert download.content == data


def test_a_file_missing_from_the_store_is_404(account, person, app):
    entry = note(account, party=person["id"], attachments=[{"token": upload(account)}])
    for key in stored(app):
        app.state.files.delete(key)
    assert account.get(f"/attachments/{entry['attachments'][0]['id']}").status_code == 404


def test_keys_of_an_s3_store_stay_under_its_prefix(s3_bucket):
    store = S3Files(f"s3://{s3_bucket}/team-{uuid.uuid4().hex[:6]}")
    key = store.new_key()
    with store.open_for_writing(key) as handle:
        handle.write(b"abc")
    assert list(store.keys()) == [key] and store.exists(key)
    with store.open_for_reading(key) as handle:
        assert handle.read() == b"abc"
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.open_for_reading(key)
