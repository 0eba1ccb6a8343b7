"""Opportunities, pipelines, milestones, lost reasons; every account gets the default pipeline.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Capsule's default pipeline: (name, description, probability, complete, days until stale).
DEFAULT_PIPELINE = "Pipeline"
DEFAULT_MILESTONES = (
    ("New", "You have a potential buyer for your offering", 10, False, 12),
    ("Bid", "You have put forward a bid for your offering", 50, False, 12),
    ("Won", None, 100, True, None),
    ("Lost", None, 0, True, None),
)


def _account_ref() -> sa.Column[int]:
    return sa.Column("account_id", sa.Integer(), nullable=False)


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["accounts.id"],
        name=op.f(f"fk_{table}_account_id_accounts"),
        ondelete="CASCADE",
    )


def _stamp(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(20), nullable=nullable)


def upgrade() -> None:
    pipelines = op.create_table(
        "pipelines",
        sa.Column("id", sa.Integer(), nullable=False),
        _account_ref(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        _stamp("archived_at", nullable=True),
        _account_fk("pipelines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipelines")),
    )
    op.create_index(op.f("ix_pipelines_account_id"), "pipelines", ["account_id"])
    milestones = op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        _account_ref(),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("days_until_stale", sa.Integer(), nullable=True),
        sa.Column("display_order", sa.Integer(), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        _account_fk("milestones"),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipelines.id"],
            name=op.f("fk_milestones_pipeline_id_pipelines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    op.create_index(
        op.f("ix_milestones_pipeline_id_display_order"),
        "milestones",
        ["pipeline_id", "display_order"],
    )
    op.create_index(op.f("ix_milestones_account_id"), "milestones", ["account_id"])
    op.create_table(
        "lost_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        _account_ref(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("included_for_conversion", sa.Boolean(), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        _stamp("deleted_at", nullable=True),
        _account_fk("lost_reasons"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lost_reasons")),
    )
    op.create_index(op.f("ix_lost_reasons_account_id"), "lost_reasons", ["account_id"])
    _create_opportunities()
    _create_search()
    _add_default_pipelines(pipelines, milestones)


def _create_opportunities() -> None:
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        _account_ref(),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("last_open_milestone_id", sa.Integer(), nullable=True),
        sa.Column("lost_reason_id", sa.Integer(), nullable=True),
        sa.Column("value_amount", sa.String(40), nullable=True),
        sa.Column("value_currency", sa.String(3), nullable=True),
        sa.Column("expected_close_on", sa.String(10), nullable=True),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("duration_basis", sa.String(10), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.String(10), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        _stamp("last_contacted_at", nullable=True),
        _stamp("last_stage_changed_at", nullable=True),
        _account_fk("opportunities"),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_opportunities_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_opportunities_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_opportunities_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_opportunities_milestone_id_milestones"),
        ),
        sa.ForeignKeyConstraint(
            ["last_open_milestone_id"],
            ["milestones.id"],
            name=op.f("fk_opportunities_last_open_milestone_id_milestones"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lost_reason_id"],
            ["lost_reasons.id"],
            name=op.f("fk_opportunities_lost_reason_id_lost_reasons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
    )
    for columns in (
        ["account_id", "id"],
        ["account_id", "updated_at", "id"],
        ["party_id"],
        ["milestone_id"],
    ):
        name = op.f("ix_opportunities_" + "_".join(columns))
        op.create_index(name, "opportunities", columns)
    op.create_table(
        "opportunity_parties",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_opportunity_parties_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_opportunity_parties_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("opportunity_id", "party_id", name=op.f("pk_opportunity_parties")),
    )
    op.create_index(op.f("ix_opportunity_parties_party_id"), "opportunity_parties", ["party_id"])


def _create_search() -> None:
    """Like party_search: FTS5 with trigrams on SQLite, a trigram GIN index on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE opportunity_search USING fts5("
            "opportunity_id UNINDEXED, account_id UNINDEXED, text, tokenize = 'trigram')"
        )
        return
    op.create_table(
        "opportunity_search",
        sa.Column("opportunity_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("opportunity_id", name=op.f("pk_opportunity_search")),
    )
    op.execute(
        "CREATE INDEX ix_opportunity_search_text_trgm ON opportunity_search "
        "USING gin (text gin_trgm_ops)"
    )


def _add_default_pipelines(pipelines: sa.Table, milestones: sa.Table) -> None:
    bind = op.get_bind()
    for account_id, created_at in bind.execute(sa.text("SELECT id, created_at FROM accounts")):
        pipeline_id = bind.execute(
            pipelines.insert()
            .values(
                account_id=account_id,
                name=DEFAULT_PIPELINE,
                created_at=created_at,
                updated_at=created_at,
            )
            .returning(pipelines.c.id)
        ).scalar_one()
        bind.execute(
            milestones.insert(),
            [
                dict(
                    account_id=account_id,
                    pipeline_id=pipeline_id,
                    name=name,
                    description=description,
                    probability=probability,
                    complete=complete,
                    days_until_stale=stale,
                    display_order=order,
                    created_at=created_at,
                    updated_at=created_at,
                )
                for order, (name, description, probability, complete, stale) in enumerate(
                    DEFAULT_MILESTONES, 1
                )
            ],
        )


def downgrade() -> None:
    op.drop_table("opportunity_search")
    op.drop_table("opportunity_parties")
    op.drop_table("opportunities")
    op.drop_table("lost_reasons")
    op.drop_table("milestones")
    op.drop_table("pipelines")
