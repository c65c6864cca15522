"""Which process owns an ingestion run (host and pid), so that a run whose process was killed
outright (SIGKILL, power loss: no ``finally`` ran) can be told from one still going.

Revision ID: 0300
Revises: 0200
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0300"
down_revision = "0200"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.add_column(sa.Column("host", sa.String(255), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.drop_column("pid")
        batch.drop_column("host")
