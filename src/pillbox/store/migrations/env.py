"""Alembic environment: runs on the engine handed over by pillbox.store.migrate.

On SQLite, foreign keys are off while migrations run, as SQLite's procedure for schema changes
asks: a migration that rebuilds a table drops the old one, and with foreign keys enforced that
drop would first delete (and cascade to) every row pointing at it. They are checked at the end.
"""

import warnings
from typing import Any

from alembic import context

from pillbox.store.tables.base import metadata

engine = context.config.attributes["engine"]

# A batch operation on SQLite reflects the tables its table refers to; SQLAlchemy cannot reflect
# indexes over expressions (lower(city)) and says so, but those tables are only read for their
# keys, never rebuilt, so nothing is lost.
warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")


def _set_foreign_keys(connection: Any, on: bool) -> None:
    # Straight to the driver, outside any transaction: SQLite ignores the pragma inside one.
    connection.connection.driver_connection.execute(
        f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}"
    )


with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _set_foreign_keys(connection, on=False)
    try:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=sqlite,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            connection.commit()
            if broken:
                raise RuntimeError(f"migrations left rows with broken foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            _set_foreign_keys(connection, on=True)
