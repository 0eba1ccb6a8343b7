"""Projects (kases), boards and stages; every account gets a board with Capsule's template stages.

Revision ID: 0004
Revises: 0003
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Capsule's board template: (stage name, description).
DEFAULT_BOARD = "Projects"
DEFAULT_STAGES = (
    ("Project Brief", "Define what needs to be done"),
    ("Planning", "How to do what needs to be done"),
    ("Delivery", "Make the project happen"),
    ("Monitor", "Keep the project on track"),
    ("Review", "Time to review the success of the project"),
)


def _account(table: str) -> list[Any]:
    return [
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f(f"fk_{table}_account_id_accounts"),
            ondelete="CASCADE",
        ),
    ]


def _fk(table: str, column: str, target: str, ondelete: str | None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _stamp(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(20), nullable=nullable)


def upgrade() -> None:
    boards = op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), nullable=False),
        *_account("boards"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        _stamp("archived_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boards")),
    )
    op.create_index(op.f("ix_boards_account_id"), "boards", ["account_id"])
    stages = op.create_table(
        "stages",
        sa.Column("id", sa.Integer(), nullable=False),
        *_account("stages"),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("display_order", sa.Integer(), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        _stamp("archived_at", nullable=True),
        _fk("stages", "board_id", "boards", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stages")),
    )
    op.create_index(
        op.f("ix_stages_board_id_display_order"), "stages", ["board_id", "display_order"]
    )
    op.create_index(op.f("ix_stages_account_id"), "stages", ["account_id"])
    op.create_table(
        "kases",
        sa.Column("id", sa.Integer(), nullable=False),
        *_account("kases"),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("expected_close_on", sa.String(10), nullable=True),
        sa.Column("start_on", sa.String(10), nullable=True),
        sa.Column("closed_on", sa.String(10), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        _stamp("last_contacted_at", nullable=True),
        _fk("kases", "party_id", "parties", "CASCADE"),
        _fk("kases", "owner_id", "users", "SET NULL"),
        _fk("kases", "team_id", "teams", "SET NULL"),
        _fk("kases", "opportunity_id", "opportunities", "SET NULL"),
        _fk("kases", "stage_id", "stages", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kases")),
    )
    for columns in (
        ["account_id", "id"],
        ["account_id", "updated_at", "id"],
        ["account_id", "status", "id"],
        ["party_id"],
        ["opportunity_id"],
        ["stage_id"],
    ):
        op.create_index(op.f("ix_kases_" + "_".join(columns)), "kases", columns)
    op.create_table(
        "kase_parties",
        sa.Column("kase_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        _fk("kase_parties", "kase_id", "kases", "CASCADE"),
        _fk("kase_parties", "party_id", "parties", "CASCADE"),
        sa.PrimaryKeyConstraint("kase_id", "party_id", name=op.f("pk_kase_parties")),
    )
    op.create_index(op.f("ix_kase_parties_party_id"), "kase_parties", ["party_id"])
    _create_search()
    _add_default_boards(boards, stages)


def _create_search() -> None:
    """Like party_search: FTS5 with trigrams on SQLite, a trigram GIN index on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE kase_search USING fts5("
            "kase_id UNINDEXED, account_id UNINDEXED, text, tokenize = 'trigram')"
        )
        return
    op.create_table(
        "kase_search",
        sa.Column("kase_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kase_id", name=op.f("pk_kase_search")),
    )
    op.execute("CREATE INDEX ix_kase_search_text_trgm ON kase_search USING gin (text gin_trgm_ops)")


def _add_default_boards(boards: sa.Table, stages: sa.Table) -> None:
    bind = op.get_bind()
    for account_id, created_at in bind.execute(sa.text("SELECT id, created_at FROM accounts")):
        board_id = bind.execute(
            boards.insert()
            .values(
                account_id=account_id,
                name=DEFAULT_BOARD,
                created_at=created_at,
                updated_at=created_at,
            )
            .returning(boards.c.id)
        ).scalar_one()
        bind.execute(
            stages.insert(),
            [
                dict(
                    account_id=account_id,
                    board_id=board_id,
                    name=name,
                    description=description,
                    display_order=order,
                    created_at=created_at,
                    updated_at=created_at,
                )
                for order, (name, description) in enumerate(DEFAULT_STAGES, 1)
            ],
        )


def downgrade() -> None:
    op.drop_table("kase_search")
    op.drop_table("kase_parties")
    op.drop_table("kases")
    op.drop_table("stages")
    op.drop_table("boards")
