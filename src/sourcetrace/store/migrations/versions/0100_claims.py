"""Claim linking: claim clusters and claims (leaf attributions with their embedding).

Revision ID: 0100
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The ORM models of these tables live in store/claims.py on the same Base; importing them here
# registers them wherever the migrations are loaded, so models and schema are compared whole.
from sourcetrace.store import claims as _claims  # noqa: F401

revision = "0100"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "claim_clusters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("first_claim_id", sa.Integer),
        sa.Column("first_seen_at", TZ, index=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("attribution_id", sa.Integer, sa.ForeignKey("attributions.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("cluster_id", sa.Integer, sa.ForeignKey("claim_clusters.id"), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("matched_claim_id", sa.Integer),
        sa.Column("similarity", sa.Float),
        sa.Column("embedding", sa.LargeBinary, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("linked_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("claims")
    op.drop_table("claim_clusters")
