"""The dates each article speaks of, as calendar periods ("last week" → its Monday to Sunday),
beside its quantities. Articles stored before have none: re-ingest them to fill it.

Revision ID: 0400
Revises: 0300
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0400"
down_revision = "0300"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "date_mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start_date", sa.Date, index=True),
        sa.Column("end_date", sa.Date),
        sa.Column("granularity", sa.String(16)),
        sa.Column("modifier", sa.String(32)),
        sa.Column("relative", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("date_mentions")
