"""MinHash LSH band keys of every stored signature, so near-duplicate candidates are an index
lookup instead of an in-memory index of the whole corpus; backfilled for stored articles.

The primary key (band, key, article_id) is also the (band, key) lookup index. On SQLite the table
is WITHOUT ROWID, so that key is stored once. The backfill uses the live ``band_rows``: if
THRESHOLD or NUM_PERM ever change, a later migration rebuilds the table with the new shape.

Revision ID: 0200
Revises: 0100
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sourcetrace.store.bands import band_rows

revision = "0200"
down_revision = "0100"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 1000  # articles read per step: memory stays flat on a large store


def upgrade() -> None:
    op.create_table(
        "minhash_bands",
        sa.Column("band", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("key", sa.LargeBinary, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sqlite_with_rowid=False,
    )
    backfill(op.get_bind())


def backfill(conn: sa.Connection) -> int:
    """Write the bands of every article that has a signature, in id order; returns how many."""
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("minhash", sa.LargeBinary))
    bands = sa.table("minhash_bands", sa.column("band", sa.Integer), sa.column("key", sa.LargeBinary),
                     sa.column("article_id", sa.Integer))
    done, after = 0, 0
    while rows := conn.execute(sa.select(articles.c.id, articles.c.minhash)
                               .where(articles.c.minhash.is_not(None), articles.c.id > after)
                               .order_by(articles.c.id).limit(BACKFILL_CHUNK)).all():
        conn.execute(sa.insert(bands), [row for article_id, data in rows for row in band_rows(article_id, data)])
        done, after = done + len(rows), rows[-1][0]
    if conn.dialect.name == "postgresql":
        # Without statistics on the just-filled table the planner searches the index by band alone
        # and filters 1/14 of the table by key: lookups then slow down as the store grows, until
        # autovacuum gets to it. SQLite's plan does not depend on statistics.
        conn.exec_driver_sql("ANALYZE minhash_bands")
    return done


def downgrade() -> None:
    op.drop_table("minhash_bands")
