"""The schema as SQLAlchemy Core metadata; migrations create it, tests check the two agree.

Every module of this package is imported here, so `metadata` holds every table with no list to
keep: a new table module needs no line in this file, and code imports its tables from it
(`from pillbox.store.tables.goals import goals`). The names re-exported below are the older way,
kept for the modules that import them so.
"""

import importlib
import pkgutil

import sqlalchemy as sa

from pillbox.store.tables.accounts import accounts as accounts
from pillbox.store.tables.accounts import rate_limit_windows as rate_limit_windows
from pillbox.store.tables.accounts import team_members as team_members
from pillbox.store.tables.accounts import teams as teams
from pillbox.store.tables.accounts import titles as titles
from pillbox.store.tables.accounts import tokens as tokens
from pillbox.store.tables.accounts import users as users
from pillbox.store.tables.activity_types import activity_types as activity_types
from pillbox.store.tables.base import metadata as metadata
from pillbox.store.tables.boards import boards as boards
from pillbox.store.tables.boards import stages as stages
from pillbox.store.tables.capsule_imports import capsule_import_ids as capsule_import_ids
from pillbox.store.tables.capsule_imports import capsule_imports as capsule_imports
from pillbox.store.tables.changes import record_changes as record_changes
from pillbox.store.tables.entries import attachments as attachments
from pillbox.store.tables.entries import entries as entries
from pillbox.store.tables.entries import entry_participants as entry_participants
from pillbox.store.tables.entries import entry_parties as entry_parties
from pillbox.store.tables.entries import orphan_files as orphan_files
from pillbox.store.tables.entries import uploads as uploads
from pillbox.store.tables.goals import goal_periods as goal_periods
from pillbox.store.tables.goals import goals as goals
from pillbox.store.tables.goals import saved_filters as saved_filters
from pillbox.store.tables.hooks import hook_deliveries as hook_deliveries
from pillbox.store.tables.hooks import rest_hooks as rest_hooks
from pillbox.store.tables.imports import import_rejects as import_rejects
from pillbox.store.tables.imports import imports as imports
from pillbox.store.tables.jobs import jobs as jobs
from pillbox.store.tables.kases import kase_parties as kase_parties
from pillbox.store.tables.kases import kase_search as kase_search
from pillbox.store.tables.kases import kases as kases
from pillbox.store.tables.oauth import apps as apps
from pillbox.store.tables.oauth import authorization_codes as authorization_codes
from pillbox.store.tables.oauth import signing_keys as signing_keys
from pillbox.store.tables.opportunities import lost_reasons as lost_reasons
from pillbox.store.tables.opportunities import milestones as milestones
from pillbox.store.tables.opportunities import opportunities as opportunities
from pillbox.store.tables.opportunities import opportunity_parties as opportunity_parties
from pillbox.store.tables.opportunities import opportunity_search as opportunity_search
from pillbox.store.tables.opportunities import pipelines as pipelines
from pillbox.store.tables.page_blocks import page_blocks as page_blocks
from pillbox.store.tables.parties import addresses as addresses
from pillbox.store.tables.parties import email_addresses as email_addresses
from pillbox.store.tables.parties import parties as parties
from pillbox.store.tables.parties import party_search as party_search
from pillbox.store.tables.parties import phone_numbers as phone_numbers
from pillbox.store.tables.parties import websites as websites
from pillbox.store.tables.records import field_definitions as field_definitions
from pillbox.store.tables.records import field_values as field_values
from pillbox.store.tables.records import record_tags as record_tags
from pillbox.store.tables.records import tags as tags
from pillbox.store.tables.records import tombstones as tombstones
from pillbox.store.tables.sandbox import sandbox_snapshots as sandbox_snapshots
from pillbox.store.tables.sandbox import seeded_id_blocks as seeded_id_blocks
from pillbox.store.tables.task_categories import task_categories as task_categories
from pillbox.store.tables.tasks import task_definitions as task_definitions
from pillbox.store.tables.tasks import tasks as tasks
from pillbox.store.tables.tasks import track_definitions as track_definitions
from pillbox.store.tables.tasks import tracks as tracks

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
