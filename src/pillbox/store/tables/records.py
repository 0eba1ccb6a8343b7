"""What every record type shares: tags, custom field definitions and values, deletion tombstones.

`entity` is the API collection name (`parties`, later `opportunities`, `kases`), so one set of
tables serves every record type.
"""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata, timestamp

tags = sa.Table(
    "tags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    # lower(name): names match case-blind. NULL once the tag is being deleted, so that the name
    # is free again at once while a job detaches the old tag from its records.
    sa.Column("name_key", sa.String(200)),
    sa.Column("description", sa.Text),
    sa.Column("data_tag", sa.Boolean, nullable=False, default=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("deleted_at", nullable=True),  # set when deletion starts: hidden from then on
    sa.UniqueConstraint("account_id", "entity", "name_key"),
)

record_tags = sa.Table(
    "record_tags",
    metadata,
    sa.Column("entity", sa.String(20), primary_key=True),
    sa.Column("record_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    sa.Index(None, "tag_id", "record_id"),  # a tag's records from the index alone (filters)
)

field_definitions = sa.Table(
    "field_definitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("type", sa.String(30), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("options", sa.JSON),
    sa.Column("important", sa.Boolean, nullable=False, default=False),
    sa.Column("display_order", sa.Integer, nullable=False, default=0),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE")),
    sa.Column("capture_rule", sa.String(20)),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("deleted_at", nullable=True),  # set when deletion starts: hidden from then on
    sa.Index(None, "account_id", "entity"),
)

field_values = sa.Table(
    "field_values",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column(
        "definition_id",
        sa.Integer,
        sa.ForeignKey("field_definitions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("value", sa.Text, nullable=False),
    sa.UniqueConstraint("entity", "record_id", "definition_id"),
    sa.Index(None, "definition_id"),
)

tombstones = sa.Table(
    "tombstones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    account_ref(),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    timestamp("deleted_at"),
    sa.Index(None, "account_id", "entity", "deleted_at"),
)
