"""The schema as SQLAlchemy Core metadata; migrations create it, tests check the two agree.

Every module of this package is imported here, so `metadata` holds every table with no list to
keep: a new table module needs no line in this file, and code imports its tables from it
(`from pillbox.store.tables.goals import goals`).
"""

import importlib
import pkgutil

import sqlalchemy as sa

from pillbox.store.tables.base import metadata

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def _ids_never_reused() -> None:
    """Every table numbered by an integer `id` is AUTOINCREMENT on SQLite (migration 0014).

    Without it SQLite numbers a new row from the highest id present, so the id of a deleted last
    row came back while the `/deleted` feeds still listed it. PostgreSQL's sequences never go
    back. Declared here for every such table, present and future, rather than table by table.
    """
    for table in metadata.tables.values():
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].name == "id" and isinstance(key[0].type, sa.Integer):
            table.dialect_options["sqlite"]["autoincrement"] = True


_ids_never_reused()
