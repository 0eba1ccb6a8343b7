"""The schema as SQLAlchemy Core metadata; migrations create it, tests check the two agree."""

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
from pillbox.store.tables.entries import (
    attachments,
    entries,
    entry_participants,
    entry_parties,
    orphan_files,
    uploads,
)
from pillbox.store.tables.hooks import hook_deliveries, rest_hooks
from pillbox.store.tables.jobs import jobs
from pillbox.store.tables.kases import kase_parties, kase_search, kases
from pillbox.store.tables.oauth import apps, authorization_codes
from pillbox.store.tables.opportunities import (
    lost_reasons,
    milestones,
    opportunities,
    opportunity_parties,
    opportunity_search,
    pipelines,
)
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
from pillbox.store.tables.sandbox import sandbox_snapshots
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
    "email_addresses",
    "entries",
    "entry_participants",
    "entry_parties",
    "field_definitions",
    "field_values",
    "hook_deliveries",
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
    "parties",
    "party_search",
    "phone_numbers",
    "pipelines",
    "rate_limit_windows",
    "record_tags",
    "rest_hooks",
    "sandbox_snapshots",
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
