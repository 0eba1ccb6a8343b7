"""The seeded database a `make bench` run serves, on SQLite or on PostgreSQL.

SQLite: `pillbox seed` fills a file cached in bench/.cache, and each run serves a copy of it
(creates change it). PostgreSQL: `pillbox seed` fills a database of its own on the server
(`pillbox_bench_<stem>`, never the test suite's), and each run serves a fresh database made from
it as a template (`pillbox_bench_run`). Either way the seeded administrator's token is cached
beside the data in bench/.cache.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pillbox.store import migrate
from pillbox.store.engine import create_engine

HERE = Path(__file__).parent
CACHE = HERE / ".cache"
PYTHON = sys.executable
SEED, BASE_DATE = 1, "2026-06-01"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
RUN_DATABASE = "pillbox_bench_run"


def prepare(db: str, parties: int, postgres_server: str = POSTGRES_SERVER) -> tuple[str, str]:
    """A freshly copied seeded database for one run: (its URL, the administrator's token)."""
    CACHE.mkdir(exist_ok=True)
    # Named for what `pillbox seed` puts in: a change to the seed gets a new name, so a new cache.
    stem = f"v9-smallbiz-{parties}"
    if db == "postgres":
        return _postgres(stem, parties, postgres_server)
    return _sqlite(stem, parties)


def discard(url: str) -> None:
    """Removes a run's copy of a SQLite database (a PostgreSQL run's is replaced by the next)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        copy = Path(parsed.database)
        if copy.parent.parent == Path(tempfile.gettempdir()):
            shutil.rmtree(copy.parent, ignore_errors=True)


def _sqlite(stem: str, parties: int) -> tuple[str, str]:
    cached, token_file = CACHE / f"{stem}.db", CACHE / f"{stem}.token"
    if not cached.exists():
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _seed(f"sqlite:///{partial}", token_file, parties)
        partial.rename(cached)  # an interrupted seed leaves no cache behind
    work = Path(tempfile.mkdtemp()) / "bench.db"
    shutil.copyfile(cached, work)
    url = f"sqlite:///{work}"
    _upgrade(url)  # a cache seeded before a later migration catches up
    return url, token_file.read_text().strip()


def _postgres(stem: str, parties: int, server: str) -> tuple[str, str]:
    seeded = "pillbox_bench_" + stem.replace("-", "_")
    token_file = CACHE / f"postgres-{stem}.token"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not token_file.exists() or not _exists(conn, seeded):
                partial = f"{seeded}_partial"
                _recreate(conn, partial)
                _seed(_on(server, partial), token_file, parties)
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {seeded}")
                conn.exec_driver_sql(f"ALTER DATABASE {partial} RENAME TO {seeded}")
            _recreate(conn, RUN_DATABASE, template=seeded)
    finally:
        admin.dispose()
    url = _on(server, RUN_DATABASE)
    _upgrade(url)
    return url, token_file.read_text().strip()


def _on(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _exists(conn: sa.Connection, name: str) -> bool:
    query = sa.text("SELECT 1 FROM pg_database WHERE datname = :name")
    return conn.execute(query, {"name": name}).first() is not None


def _recreate(conn: sa.Connection, name: str, template: str | None = None) -> None:
    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    conn.exec_driver_sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def _seed(url: str, token_file: Path, parties: int) -> None:
    """Migrates and seeds the database at `url` with `pillbox seed`; keeps the admin's token."""
    started = time.time()
    env = {**os.environ, "PILLBOX_DATABASE_URL": url}
    pillbox = [PYTHON, "-m", "pillbox"]
    subprocess.run([*pillbox, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    options = ["--parties", str(parties), "--seed", str(SEED), "--base-date", BASE_DATE]
    command = [*pillbox, "seed", "--profile", "smallbiz", *options]
    token = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
    token_file.write_text(token.stdout.strip())
    print(f"seeded {parties:,} parties in {time.time() - started:.1f} s")


def _upgrade(url: str) -> None:
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
