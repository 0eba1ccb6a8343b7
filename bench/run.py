"""`make bench`: seeds a large account, serves it with one worker, drives it with wrk, reports.

Usage: python bench/run.py [--parties 100000] [--duration 10] [--import-rows 1000000]
                           [--only "list,search"] (scenarios whose names hold one of the parts)
The account is made by `pillbox seed --profile smallbiz` (fixed seed and base date, so every
run measures the same data) and cached in bench/.cache. Prints requests/s and p50/p99 latency
per scenario, each also as a ratio to a bare Starlette app serving a fixed ~1.2 KB document in
the same run, then the targets. The figures are also written to bench/results/latest.json.
Then `pillbox import csv` of a generated parties file (bench/imports.py), under a memory limit.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imports  # bench/imports.py: the CSV import scenario
import sqlalchemy as sa

from pillbox.store import migrate
from pillbox.store.engine import create_engine

HERE = Path(__file__).parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results"
PYTHON = sys.executable
SEED, BASE_DATE = 1, "2026-06-01"

COUNT_ERRORS = """
errors = 0
response = function(status, headers, body)
  if status >= 300 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("NON2XX %d\\n", errors))
end
"""


def lua(token: str, body: str) -> str:
    return f'wrk.headers["Authorization"] = "Bearer {token}"\n{body}\n{COUNT_ERRORS}'


def lua_web(cookie: str, body: str) -> str:
    """A web interface scenario: the signed-in session's cookie instead of a token."""
    return f'wrk.headers["Cookie"] = "{cookie}"\n{body}\n{COUNT_ERRORS}'


@dataclass(frozen=True)
class Seeded:
    """Ids of the seeded account's records that the scenarios ask for, spread over each table."""

    parties: list[int]
    opportunities: list[int]
    kases: list[int]
    deep_pages: dict[str, int]  # list -> its page of 100 ten pages before the last

    @staticmethod
    def read(path: Path) -> "Seeded":
        with closing(sqlite3.connect(path)) as db:

            def spread(table: str) -> list[int]:
                ids = [row[0] for row in db.execute(f"SELECT id FROM {table} ORDER BY id")]
                return [ids[(i * 7919) % len(ids)] for i in range(500)]

            def deep(sql: str) -> int:
                return max(1, db.execute(sql).fetchone()[0] // 100 - 10)

            deep_pages = {
                name: deep(f"SELECT COUNT(*) FROM {table}")
                for name, table in (("opportunities", "opportunities"), ("kases", "kases"))
            }
            deep_pages["entries"] = deep("SELECT COUNT(*) FROM entries")
            deep_pages["tasks"] = deep("SELECT COUNT(*) FROM tasks WHERE status = 'OPEN'")
            return Seeded(spread("parties"), spread("opportunities"), spread("kases"), deep_pages)


def lua_list(ids: list[int]) -> str:
    return "{" + ",".join(map(str, ids)) + "}"


def lua_pages(ids: list[int], path: str) -> str:
    """A wrk request function asking for `path`/{id} for each of the ids in turn."""
    return (
        f"ids = {lua_list(ids)}\ni = 0\nrequest = function()\n  i = i + 1\n"
        f'  return wrk.format("GET", "{path}/" .. ids[i % #ids + 1])\nend'
    )


def web_scenarios(cookie: str, seeded: Seeded, pipeline_id: int) -> dict[str, tuple[str, str, int]]:
    """The web interface's heaviest screens, with 4 connections: their target is latency."""
    return {
        "web party page": ("/", lua_web(cookie, lua_pages(seeded.parties, "/parties")), 4),
        "web party list": ("/parties", lua_web(cookie, ""), 4),
        "web party search": ("/parties?q=smith", lua_web(cookie, ""), 4),
        "web opportunity page": (
            "/",
            lua_web(cookie, lua_pages(seeded.opportunities, "/opportunities")),
            4,
        ),
        "web project page": ("/", lua_web(cookie, lua_pages(seeded.kases, "/projects")), 4),
        "web search": ("/search?q=smith", lua_web(cookie, ""), 4),
        "web live search": ("/search/live?q=smi", lua_web(cookie, ""), 4),
        "web pipeline board": (f"/pipelines/{pipeline_id}", lua_web(cookie, ""), 4),
        "web opportunities": ("/opportunities?status=open", lua_web(cookie, ""), 4),
    }


def scenarios(
    token: str, parties: int, seeded: Seeded, milestone_id: int, stage_id: int, category_id: int
) -> dict[str, tuple[str, str, int]]:
    """name -> (path, wrk Lua, connections: latency scenarios use fewer)."""
    deep = max(1, parties // 100 - 10)
    deal_ids = lua_list(seeded.opportunities)
    show_deal = (
        f"ids = {deal_ids}\ni = 0\nrequest = function()\n  i = i + 1\n"
        f'  return wrk.format("GET", "/api/v2/opportunities/" .. ids[i % #ids + 1])\nend'
    )
    create_deal = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        'wrk.body = \'{"opportunity": {"name": "Bench deal", "party": {"id": 1}, '
        f'"milestone": {{"id": {milestone_id}}}, '
        '"value": {"amount": 500, "currency": "GBP"}, "tags": [{"name": "Referral"}]}}\''
    )
    deal_list = "/api/v2/opportunities?perPage=100&embed=tags,party,milestone"
    project_ids = lua_list(seeded.kases)
    show_project = (
        f"ids = {project_ids}\ni = 0\nrequest = function()\n  i = i + 1\n"
        f'  return wrk.format("GET", "/api/v2/kases/" .. ids[i % #ids + 1])\nend'
    )
    create_project = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        'wrk.body = \'{"kase": {"name": "Bench project", "party": {"id": 1}, '
        f'"stage": {stage_id}, "tags": [{{"name": "Priority"}}]}}}}\''
    )
    project_list = "/api/v2/kases?perPage=100&embed=tags,party"
    ids = lua_list(seeded.parties)
    party_entries = (
        f"ids = {ids}\ni = 0\nrequest = function()\n  i = i + 1\n"
        '  return wrk.format("GET", "/api/v2/parties/" .. ids[i % #ids + 1] .. "/entries")\nend'
    )
    # A common surname, a rarer one, an organisation, an email address's start, a phone number.
    terms = '{"smith", "kowalski", "harbour logistics", "emma.walker", "113 496"}'
    show = (
        f"ids = {ids}\ni = 0\nrequest = function()\n  i = i + 1\n"
        f'  return wrk.format("GET", "/api/v2/parties/" .. ids[i % #ids + 1])\nend'
    )
    search = (
        f"terms = {terms}\ni = 0\nrequest = function()\n  i = i + 1\n"
        '  return wrk.format("GET", "/api/v2/parties/search?q=" .. '
        'string.gsub(terms[i % #terms + 1], " ", "+"))\nend'
    )
    create = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        'wrk.body = \'{"party": {"type": "person", "firstName": "Bench", "lastName": '
        '"Mark", "emailAddresses": [{"address": "bench@example.com"}], '
        '"phoneNumbers": [{"number": "+44 113 496 0000"}], "tags": [{"name": "Bench"}]}}\''
    )
    listing = "/api/v2/parties?perPage=100&embed=tags,fields"
    party_filter = (
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        'wrk.body = \'{"filter": {"conditions": ['
        '{"field": "type", "operator": "is", "value": "person"}, '
        '{"field": "tag", "operator": "is", "value": "Newsletter"}, '
        '{"field": "city", "operator": "is", "value": "Leeds"}]}}\''
    )
    return {
        "show": ("/", lua(token, show), 32),
        "list, first page": (listing, lua(token, ""), 32),
        "list, deep page": (f"{listing}&page={deep}", lua(token, ""), 32),
        "search": ("/", lua(token, search), 4),
        "party filter, 3 conditions": (
            "/api/v2/parties/filters/results?perPage=50",
            lua(token, party_filter),
            4,
        ),
        "create": ("/api/v2/parties", lua(token, create), 32),
        "opportunity show": ("/", lua(token, show_deal), 32),
        "opportunity list": (deal_list, lua(token, ""), 32),
        "opportunity create": ("/api/v2/opportunities", lua(token, create_deal), 32),
        "project show": ("/", lua(token, show_project), 32),
        "project list": (project_list, lua(token, ""), 32),
        **deep_list_scenarios(token, seeded, deal_list, project_list),
        "project create": ("/api/v2/kases", lua(token, create_project), 32),
        "entries by date": ("/api/v2/entries?perPage=100", lua(token, ""), 32),
        "party entries": ("/", lua(token, party_entries), 32),
        "task list": ("/api/v2/tasks?perPage=100&embed=party,owner", lua(token, ""), 32),
        "task list, filtered": (
            f"/api/v2/tasks?perPage=100&status=open,completed&dueFrom={BASE_DATE}"
            f"&category={category_id}",
            lua(token, ""),
            32,
        ),
    }


def deep_list_scenarios(
    token: str, seeded: Seeded, deal_list: str, project_list: str
) -> dict[str, tuple[str, str, int]]:
    """The lists of opportunities, projects, entries and tasks at a page ten before their last."""
    lists = {
        "opportunity list": deal_list,
        "project list": project_list,
        "entries by date": "/api/v2/entries?perPage=100",
        "task list": "/api/v2/tasks?perPage=100&embed=party,owner",
    }
    kinds = dict(zip(lists, ("opportunities", "kases", "entries", "tasks"), strict=True))
    return {
        f"{name}, deep page": (f"{path}&page={seeded.deep_pages[kinds[name]]}", lua(token, ""), 32)
        for name, path in lists.items()
    }


def wrk(url: str, script: str, seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        handle.name,
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "p50_ms": _latency(output, "50%"),
        "p99_ms": _latency(output, "99%"),
        "non_2xx": int(re.search(r"NON2XX (\d+)", output).group(1)),  # type: ignore[union-attr]
    }


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", output)
    assert match, output
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str], probe: str) -> Any:
    # The server's log goes to a file: a pipe nobody reads fills up and stops the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env=env, cwd=HERE, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            _wait_until_up(process, port, probe, log)
            yield
        finally:
            process.terminate()
            process.wait()


def _wait_until_up(process: subprocess.Popen[bytes], port: int, probe: str, log: Any) -> None:
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1)
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error answer: the server is up
                return
            if time.time() > deadline or process.poll() is not None:
                log.seek(0)
                raise SystemExit(f"server did not start: {log.read().decode()}") from None
            time.sleep(0.2)


def database(parties: int) -> tuple[Path, str]:
    """A seeded database, cached in bench/.cache between runs (copied: creates change it)."""
    CACHE.mkdir(exist_ok=True)
    # Named for what `pillbox seed` puts in: a change to the seed gets a new name, so a new cache.
    stem = f"v8-smallbiz-{parties}"
    cached, token_file = CACHE / f"{stem}.db", CACHE / f"{stem}.token"
    if not cached.exists():
        started = time.time()
        token_file.write_text(seed(cached, parties))
        print(f"seeded {parties:,} parties in {time.time() - started:.1f} s")
    work = Path(tempfile.mkdtemp()) / "bench.db"
    shutil.copyfile(cached, work)
    engine = create_engine(f"sqlite:///{work}")
    migrate.upgrade(engine)  # a cache seeded before a later migration catches up
    engine.dispose()
    return work, token_file.read_text().strip()


def seed(path: Path, parties: int) -> str:
    """Seeds a new database at `path` with `pillbox seed`; returns its administrator's token.

    Seeded beside it first, so that an interrupted seed leaves no cache behind."""
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    env = {**os.environ, "PILLBOX_DATABASE_URL": f"sqlite:///{partial}"}
    pillbox = [PYTHON, "-m", "pillbox"]
    subprocess.run([*pillbox, "db", "upgrade"], env=env, check=True)
    options = ["--parties", str(parties), "--seed", str(SEED), "--base-date", BASE_DATE]
    command = [*pillbox, "seed", "--profile", "smallbiz", *options]
    token = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
    partial.rename(path)
    return token.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--import-rows", type=int, default=1_000_000, help="0: no import run")
    parser.add_argument("--import-memory-mb", type=int, default=1024)
    parser.add_argument(
        "--only", default="", help="comma-separated parts of scenario names: run just those"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed (Debian: apt-get install wrk); `make bench` installs it"
        )
    path, token = database(args.parties)
    email = give_admin_password(path, token)
    env = {
        **os.environ,
        "PILLBOX_DATABASE_URL": f"sqlite:///{path}",
        "PILLBOX_RATE_LIMIT_PER_HOUR": "1000000000",
        "PILLBOX_SECRET_KEY": "bench",
    }
    uvicorn = ["--no-access-log", "--log-level", "warning"]
    results: dict[str, dict[str, float]] = {}
    with serving([PYTHON, "-m", "uvicorn", "bare:app", "--port", "8301", *uvicorn], 8301, env, "/"):
        results["bare"] = wrk("http://127.0.0.1:8301/", lua(token, ""), args.duration, 32)
    serve = [PYTHON, "-m", "pillbox", "serve", "--port", "8302", "--workers", "1"]
    with serving(serve, 8302, env, "/api/v2/openapi.json"):
        milestone_id = _first_id(8302, token, "milestones")
        stage_id = _first_id(8302, token, "stages")
        category_id = _first_id(8302, token, "categories")
        pipeline_id = _first_id(8302, token, "pipelines")  # the seeded default pipeline
        seeded = Seeded.read(path)
        every = {
            **scenarios(token, args.parties, seeded, milestone_id, stage_id, category_id),
            **web_scenarios(web_cookie(8302, email), seeded, pipeline_id),
        }
        wanted = [part.strip() for part in args.only.split(",") if part.strip()]
        if wanted:
            every = {k: v for k, v in every.items() if any(part in k for part in wanted)}
        for name, (path_, script, connections) in every.items():
            results[name] = wrk(f"http://127.0.0.1:8302{path_}", script, args.duration, connections)
            time.sleep(3)  # let the server finish what the last scenario left queued
    report(results, args)
    if args.import_rows:
        imported = imports.measure(args.import_rows, args.import_memory_mb)
        imports.report(imported)
        (RESULTS / "import.json").write_text(json.dumps(imported, indent=2))


WEB_PASSWORD = "bench password"


def give_admin_password(path: Path, token: str) -> str:
    """Gives the token's user a password for the web interface; returns their email."""
    from pillbox.domain.passwords import set_password
    from pillbox.store.accounts import find_principal
    from pillbox.store.tables import users

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        principal = find_principal(conn, token)
        assert principal is not None, "the seeded token is unknown"
        set_password(conn, principal.user_id, WEB_PASSWORD)
        email = conn.scalar(sa.select(users.c.email).where(users.c.id == principal.user_id))
    engine.dispose()
    return str(email)


def web_cookie(port: int, email: str) -> str:
    """Signs in through /login as a browser would; returns the session's Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"http://127.0.0.1:{port}/login", timeout=5) as response:
        csrf = re.search(r'name="csrf" value="([^"]+)"', response.read().decode())
    assert csrf, "the sign-in page has no CSRF token"
    form = urllib.parse.urlencode({"csrf": csrf[1], "email": email, "password": WEB_PASSWORD})
    opener.open(f"http://127.0.0.1:{port}/login", form.encode(), timeout=10).close()
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "pillbox_session" in cookies, "signing in to the web interface failed"
    return f"pillbox_session={cookies['pillbox_session']}"


def _first_id(port: int, token: str, plural: str) -> int:
    """The id of the first of the seeded account's milestones, stages, …"""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v2/{plural}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(json.load(response)[plural][0]["id"])


TARGETS = [
    ("show", "rps", ">=", 5000),
    ("show", "ratio", ">=", 0.2),
    ("list, first page", "rps", ">=", 300),
    ("list, deep page", "rps", ">=", 300),
    ("search", "p99_ms", "<=", 20),
    ("create", "rps", ">=", 2500),
    ("web party page", "p99_ms", "<=", 50),
    ("web party list", "p99_ms", "<=", 50),
    ("web party search", "p99_ms", "<=", 50),
    ("web opportunity page", "p99_ms", "<=", 50),
    ("web project page", "p99_ms", "<=", 50),
    ("web search", "p99_ms", "<=", 50),
    ("web live search", "p99_ms", "<=", 50),
    ("web pipeline board", "p99_ms", "<=", 50),
    ("web opportunities", "p99_ms", "<=", 50),
]


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    bare = results["bare"]["rps"]
    deep = max(1, args.parties // 100 - 10)
    print(
        f"\n{args.parties:,} parties, one worker, wrk -t2, {args.duration} s per scenario; "
        f"deep page = page {deep}; search with 4 connections, the others with 32\n"
    )
    print(f"{'scenario':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>10}{'x bare':>9}")
    for name, r in results.items():
        r["ratio"] = r["rps"] / bare
        print(
            f"{name:<22}{r['rps']:>10.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}"
            f"{r['non_2xx']:>10}{r['ratio']:>9.2f}"
        )
    errors = sum(int(r["non_2xx"]) for r in results.values())
    if errors:
        print(f"\nWARNING: {errors} responses were not 2xx; the figures above are not valid.")
    print("\ntargets:")
    for scenario, metric, op, goal in TARGETS:
        if scenario not in results:
            continue
        value = results[scenario][metric]
        met = value >= goal if op == ">=" else value <= goal
        verdict = "PASS" if met else "MISS"
        print(f"  {scenario:<20} {metric:<7} {op} {goal:<6} measured {value:>9.2f}  {verdict}")
    report_depth(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))


DEPTH_PAIRS = [
    ("list, first page", "list, deep page"),
    *((name, f"{name}, deep page") for name in ("opportunity list", "project list")),
    *((name, f"{name}, deep page") for name in ("entries by date", "task list")),
]


def report_depth(results: dict[str, dict[str, float]]) -> None:
    """A deep page's requests/s against its list's first page (target: within 20%)."""
    pairs = [(first, deep) for first, deep in DEPTH_PAIRS if first in results and deep in results]
    if pairs:
        print("\ndeep page / first page (req/s):")
    for first, deep in pairs:
        ratio = results[deep]["rps"] / results[first]["rps"]
        verdict = "PASS" if ratio >= 0.8 else "MISS"
        print(f"  {first:<18} {ratio:>6.2f}  {verdict}")


if __name__ == "__main__":
    main()
