"""`make bench`: seeds a large account, serves it, drives it with wrk, reports.

Usage: python bench/run.py [--parties 100000] [--duration 10] [--import-rows 1000000]
                           [--db sqlite|postgres] [--workers 1] [--server uvicorn|granian]
The account is made by `pillbox seed --profile smallbiz` (fixed seed and base date, so every
run measures the same data) and cached (bench/databases.py). Prints requests/s, p50/p99 latency
and the load average per scenario, each also as a ratio to a bare Starlette app serving a fixed
~1.2 KB document in the same run (with as many workers), then the targets. Every run is kept in
bench/results/ and compared with the previous run of the same database and profile
(bench/history.py). Then `pillbox import csv` of a generated parties file (bench/imports.py),
under a memory limit.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import databases  # bench/databases.py: the seeded database, SQLite or PostgreSQL
import history  # bench/history.py: one file per run in bench/results/, compared with the last
import imports  # bench/imports.py: the CSV import scenario
import sqlalchemy as sa
from report import report  # bench/report.py: the table, the targets, the history

from pillbox.store.engine import create_engine

HERE = Path(__file__).parent
RESULTS = history.RESULTS
PYTHON = sys.executable
BASE_DATE = databases.BASE_DATE

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
    deep_pages: dict[str, int]  # list -> a page ten before its last, 100 a page

    @staticmethod
    def read(url: str) -> "Seeded":
        engine = create_engine(url)
        with engine.connect() as db:

            def spread(table: str) -> list[int]:
                ids = list(db.scalars(sa.text(f"SELECT id FROM {table} ORDER BY id")))
                return [ids[(i * 7919) % len(ids)] for i in range(500)]

            def deep(sql: str) -> int:
                return max(1, db.execute(sa.text(sql)).scalar_one() // 100 - 10)

            deep_pages = {
                table: deep(f"SELECT COUNT(*) FROM {table}")
                for table in ("opportunities", "kases", "entries")
            }
            deep_pages["tasks"] = deep("SELECT COUNT(*) FROM tasks WHERE status = 'OPEN'")
            seeded = Seeded(spread("parties"), spread("opportunities"), spread("kases"), deep_pages)
        engine.dispose()
        return seeded


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
        process = subprocess.Popen(command, env=env, cwd=HERE, stdout=log, stderr=log)
        try:
            _wait_until_up(process, port, probe, log)
            yield process.pid
        finally:
            process.terminate()
            process.wait()


def _wait_until_up(process: subprocess.Popen[bytes], port: int, probe: str, log: Any) -> None:
    deadline = time.time() + 120  # several workers start slowly on a loaded machine
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


def main() -> None:
    args = arguments()
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed (Debian: apt-get install wrk); `make bench` installs it"
        )
    url, token = databases.prepare(args.db, args.parties, args.postgres)
    try:
        run(args, url, token)
    finally:
        databases.discard(url)
    if args.import_rows:
        imported = imports.measure(args.import_rows, args.import_memory_mb)
        imports.report(imported)
        (RESULTS / "import.json").write_text(json.dumps(imported, indent=2))


def run(args: argparse.Namespace, url: str, token: str) -> None:
    """Serves the prepared database and measures every scenario asked for, then reports."""
    email = give_admin_password(url, token)
    env = {
        **os.environ,
        "PILLBOX_DATABASE_URL": url,
        "PILLBOX_RATE_LIMIT_PER_HOUR": "1000000000",
        "PILLBOX_SECRET_KEY": "bench",
    }
    results: dict[str, dict[str, float]] = {}
    bare = [PYTHON, "-m", "uvicorn", "bare:app", "--port", "8301", "--workers", str(args.workers)]
    with serving([*bare, "--no-access-log", "--log-level", "warning"], 8301, env, "/") as pid:
        bare_url = "http://127.0.0.1:8301/"
        results["bare"] = measure(pid, bare_url, lua(token, ""), args.duration, 32)
    app = server_command(args.server, args.workers, 8302)
    with serving(app, 8302, env, "/api/v2/openapi.json") as pid:
        every = everything(8302, token, email, url, args.parties)
        chosen = args.scenarios.split(";") if args.scenarios else list(every)
        for name in chosen:
            path_, script, connections = every[name]
            url_ = f"http://127.0.0.1:8302{path_}"
            results[name] = measure(pid, url_, script, args.duration, connections)
            time.sleep(3)  # let the server finish what the last scenario left queued
    report(results, args)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--import-rows", type=int, default=1_000_000, help="0: no import run")
    parser.add_argument("--import-memory-mb", type=int, default=1024)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres", default=databases.POSTGRES_SERVER, help="a database on the server to use"
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server", choices=["uvicorn", "granian"], default="uvicorn")
    parser.add_argument("--scenarios", default="", help="names separated by ;, default: all")
    return parser.parse_args()


def server_command(server: str, workers: int, port: int) -> list[str]:
    """`pillbox serve`, or granian serving the same application factory."""
    if server == "uvicorn":
        return [PYTHON, "-m", "pillbox", "serve", "--port", str(port), "--workers", str(workers)]
    granian = [PYTHON, "-m", "granian", "--interface", "asgi", "--factory", "--port", str(port)]
    return [*granian, "--workers", str(workers), "pillbox.app:app_from_environment"]


def everything(
    port: int, token: str, email: str, url: str, parties: int
) -> dict[str, tuple[str, str, int]]:
    """Every scenario, with the seeded ids it asks for."""
    milestone_id = _first_id(port, token, "milestones")
    stage_id = _first_id(port, token, "stages")
    category_id = _first_id(port, token, "categories")
    pipeline_id = _first_id(port, token, "pipelines")  # the seeded default pipeline
    seeded = Seeded.read(url)
    return {
        **scenarios(token, parties, seeded, milestone_id, stage_id, category_id),
        **web_scenarios(web_cookie(port, email), seeded, pipeline_id),
    }


def measure(pid: int, url: str, script: str, seconds: int, connections: int) -> dict[str, float]:
    """wrk's figures, the server's CPU time per request (its processes', the database's not
    counted: steadier than req/s on a shared machine) and the load average over the last minute.
    """
    cpu = cpu_seconds(pid)
    figures = wrk(url, script, seconds, connections)
    requests = figures["rps"] * seconds
    figures["cpu_ms"] = round((cpu_seconds(pid) - cpu) * 1000 / max(requests, 1), 3)
    figures["load"] = round(os.getloadavg()[0], 2)
    return figures


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and all its descendants (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


WEB_PASSWORD = "bench password"


def give_admin_password(url: str, token: str) -> str:
    """Gives the token's user a password for the web interface; returns their email."""
    from pillbox.domain.passwords import set_password
    from pillbox.store.accounts import find_principal
    from pillbox.store.tables.accounts import users

    engine = create_engine(url)
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


if __name__ == "__main__":
    main()
