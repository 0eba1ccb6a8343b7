"""The schema as SQLAlchemy Core metadata; migrations create it, tests check the two agree."""

import sqlalchemy as sa

from pillbox.store.tables.accounts import (
    accounts,
    rate_limit_windows,
    team_members,
    teams,
    titles,
    tokens,
    users,
)
from pillbox.store.tables.activity_types import activity_types
from pillbox.store.tables.base import metadata
from pillbox.store.tables.boards import boards, stages
from pillbox.store.tables.capsule_imports import capsule_import_ids, capsule_imports
from pillbox.store.tables.changes import record_changes
from pillbox.store.tables.entries import (
    attachments,
    entries,
    entry_participants,
    entry_parties,
    orphan_files,
    uploads,
)
from pillbox.store.tables.goals import goal_periods, goals, saved_filters
from pillbox.store.tables.hooks import hook_deliveries, rest_hooks
from pillbox.store.tables.imports import import_rejects, imports
from pillbox.store.tables.jobs import jobs
from pillbox.store.tables.kases import kase_parties, kase_search, kases
from pillbox.store.tables.oauth import apps, authorization_codes, signing_keys
from pillbox.store.tables.opportunities import (
    lost_reasons,
    milestones,
    opportunities,
    opportunity_parties,
    opportunity_search,
    pipelines,
)
from pillbox.store.tables.page_blocks import page_blocks
from pillbox.store.tables.parties import (
    addresses,
    email_addresses,
    parties,
    party_search,
    phone_numbers,
    websites,
)
from pillbox.store.tables.records import (
    field_definitions,
    field_values,
    record_tags,
    tags,
    tombstones,
)
from pillbox.store.tables.sandbox import sandbox_snapshots, seeded_id_blocks
from pillbox.store.tables.task_categories import task_categories
from pillbox.store.tables.tasks import (
    task_definitions,
    tasks,
    track_definitions,
    tracks,
)

__all__ = [
    "accounts",
    "activity_types",
    "addresses",
    "apps",
    "attachments",
    "authorization_codes",
    "boards",
    "capsule_import_ids",
    "capsule_imports",
    "email_addresses",
    "entries",
    "entry_participants",
    "entry_parties",
    "field_definitions",
    "field_values",
    "goal_periods",
    "goals",
    "hook_deliveries",
    "import_rejects",
    "imports",
    "jobs",
    "kase_parties",
    "kase_search",
    "kases",
    "lost_reasons",
    "metadata",
    "milestones",
    "opportunities",
    "opportunity_parties",
    "opportunity_search",
    "orphan_files",
    "page_blocks",
    "parties",
    "party_search",
    "phone_numbers",
    "pipelines",
    "rate_limit_windows",
    "record_changes",
    "record_tags",
    "rest_hooks",
    "sandbox_snapshots",
    "saved_filters",
    "seeded_id_blocks",
    "signing_keys",
    "stages",
    "tags",
    "task_categories",
    "task_definitions",
    "tasks",
    "team_members",
    "teams",
    "titles",
    "tokens",
    "tombstones",
    "track_definitions",
    "tracks",
    "uploads",
    "users",
    "websites",
]


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
