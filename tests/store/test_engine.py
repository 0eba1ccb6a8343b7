"""SQLite connections are set up the way the store relies on: WAL, foreign keys, and reads
through a memory map with a page cache sized for a large database."""

import sqlalchemy as sa

from pillbox.store.engine import CACHE_KIB, MMAP_BYTES, create_engine


def test_a_sqlite_connection_maps_the_file_and_keeps_more_pages_than_sqlites_default(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'pillbox.db'}")
    with engine.connect() as conn:
        pragma = conn.connection.driver_connection.execute
        assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
        assert pragma("PRAGMA mmap_size").fetchone()[0] == MMAP_BYTES
        assert pragma("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
        assert conn.scalar(sa.text("SELECT 1")) == 1
    engine.dispose()
