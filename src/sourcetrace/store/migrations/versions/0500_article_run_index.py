"""An index on the run that stored each article: the end of every run finds the entities its
articles name (``_resolve.settle_names``), which scanned the whole articles table without it.

Revision ID: 0500
Revises: 0400
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0500"
down_revision = "0400"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_run_id", "articles", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_articles_run_id", table_name="articles")
