"""How many of an account's rows each block of a list holds, for reaching a deep page directly.

A list in a fixed order (parties by id, entries newest first, open tasks by due date, ...) is cut
into blocks of that order (ids by the thousand, days); database triggers (migration 0024) keep
each block's count in step with every insert, delete and move between blocks, whatever path the
write takes. `store/page_blocks.py` reads them.
"""

import sqlalchemy as sa

from pillbox.store.tables.base import account_ref, metadata

page_blocks = sa.Table(
    "page_blocks",
    metadata,
    account_ref(),
    sa.Column("listing", sa.String(30), nullable=False),  # e.g. "parties", "tasks:OPEN"
    # 0: a block of the list's order (rising with it); 1: a run of 100 blocks (block / 100)
    sa.Column("level", sa.SmallInteger, nullable=False),
    sa.Column("block", sa.BigInteger, nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("account_id", "listing", "level", "block"),
)
