"""POST /api/v2/imports (a Pillbox extension): a CSV import as a job, watched at /jobs/{id}."""

from pillbox.store import jobs as jobs_store
from pillbox.store.engine import WRITE
from pillbox.store.files import LocalFiles
from pillbox.transfer import importer
from pillbox.worker import Worker

CSV = (
    "First Name,Last Name,Company,Email,Country\n"
    "Ada,Lovelace,Analytical,ada@an.example,\n"
    "Bad,Country,,bad@an.example,Narnia\n"
)


def post_csv(account, text, **params):
    return account.request(
        "POST",
        "/imports",
        params=params,
        content=text.encode(),
        headers={"Content-Type": "text/csv"},
    )


def run_jobs(engine, settings):
    runner = Worker(engine, files=LocalFiles(settings.attachments_dir), batch=1)
    try:
        runner.run_pending()
    finally:
        runner.stop()


def test_import_posted_as_csv_runs_as_a_job_that_reports_counts_and_rejects(
    engine, settings, account
):
    response = post_csv(account, CSV, type="parties")
    assert response.status_code == 202
    job_url = response.headers["Location"]
    assert "/api/v2/jobs/" in job_url
    pending = account.client.get(job_url, headers=account.headers).json()["job"]
    assert (pending["status"], pending["action"]) == ("pending", "Importing CSV")
    run_jobs(engine, settings)
    job = account.client.get(job_url, headers=account.headers).json()["job"]
    assert job["status"] == "completed" and job["progress"] == 100
    assert job["import"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "failed": 1,
        "organisationsCreated": 1,
        "rows": 2,
        "rejects": [{"row": 2, "column": "Country", "error": "Country: not a country name"}],
    }
    names = {p.get("lastName") or p.get("name") for p in account.get("/parties").json()["parties"]}
    assert names == {"Lovelace", "Analytical"}


def test_import_posted_twice_changes_nothing_the_second_time(engine, settings, account):
    post_csv(account, CSV, type="parties")
    run_jobs(engine, settings)
    before = account.get("/parties").json()
    job_url = post_csv(account, CSV, type="parties").headers["Location"]
    run_jobs(engine, settings)
    job = account.client.get(job_url, headers=account.headers).json()["job"]
    assert (job["import"]["created"], job["import"]["unchanged"]) == (0, 1)
    assert account.get("/parties").json() == before


def test_import_that_cannot_run_is_a_422_and_schedules_nothing(account):
    cases = [
        ({"type": "cases"}, "type"),
        ({"type": "parties", "match": "fuzzy"}, "match"),
        ({"type": "parties", "map": "nothing"}, "map"),
        ({"type": "parties", "map": "Nope=Name"}, "file"),
    ]
    for params, field in cases:
        response = post_csv(account, CSV, **params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == field
    no_names = post_csv(account, "Vorname\nKarl\n", type="parties")
    assert no_names.status_code == 422
    assert "no name column" in no_names.json()["errors"][0]["message"]
    binary = account.request(
        "POST", "/imports", params={"type": "parties"}, content=b"\xff\xfe\x00garbage"
    )
    assert binary.status_code == 422


def test_import_needs_a_write_token(account):
    read = account.client.post(
        "/api/v2/imports?type=parties", content=CSV.encode(), headers=account.read_headers
    )
    assert read.status_code == 403


def test_import_job_of_another_account_is_the_same_404_as_a_missing_one(account, other_account):
    job_url = post_csv(account, CSV, type="parties").headers["Location"]
    theirs = other_account.client.get(job_url, headers=other_account.headers)
    missing = account.get("/jobs/00000000-0000-4000-8000-000000000000")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_import_job_cut_short_after_a_batch_is_finished_by_the_next_worker(
    engine, settings, account
):
    rows = "".join(f"P{i},Job,p{i}@job.example,\n" for i in range(5))
    job_url = post_csv(account, "First Name,Last Name,Email,Country\n" + rows, type="parties")
    job_id = job_url.headers["Location"].rsplit("/", 1)[1]
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        import_id = jobs_store.find_job(conn, account.id, job_id).target_id
        step = importer.job_step(LocalFiles(settings.attachments_dir))
        assert step(conn, import_id, 2) == 3  # a worker that then dies: two rows committed
    job = account.client.get(job_url.headers["Location"], headers=account.headers).json()["job"]
    assert (job["status"], job["import"]["rows"], job["import"]["created"]) == ("pending", 2, 2)
    run_jobs(engine, settings)
    job = account.client.get(job_url.headers["Location"], headers=account.headers).json()["job"]
    assert (job["status"], job["import"]["rows"], job["import"]["created"]) == ("completed", 5, 5)
    people = [p for p in account.get("/parties").json()["parties"] if p.get("lastName") == "Job"]
    assert len(people) == 5
