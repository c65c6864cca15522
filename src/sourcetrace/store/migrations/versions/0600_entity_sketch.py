"""Entities get a second key for finding merge candidates, the ``sketch``: every name token but
the last, and the last one's initial ("igor k"). Candidates were only entities with the same
last token, so a surname misspelt in one article ("Igor Korotchencko") never met its right
spelling in another. Existing rows are filled in from their names.

Revision ID: 0600
Revises: 0500
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0600"
down_revision = "0500"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    from sourcetrace.store._resolve import name_blocks

    op.add_column("entities", sa.Column("sketch", sa.String(255), nullable=False, server_default=""))
    entities = sa.table("entities", sa.column("id", sa.Integer), sa.column("name", sa.Text),
                        sa.column("sketch", sa.String))
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.select(entities.c.id, entities.c.name).where(entities.c.id > last)
                            .order_by(entities.c.id).limit(_BATCH)).all()
        if not rows:
            break
        updates = [{"b_id": i, "b_sketch": sketch} for i, name in rows if (sketch := name_blocks(name)[1])]
        if updates:
            conn.execute(entities.update().where(entities.c.id == sa.bindparam("b_id"))
                         .values(sketch=sa.bindparam("b_sketch")), updates)
        last = rows[-1][0]
    op.create_index("ix_entities_label_sketch", "entities", ["label", "sketch"])


def downgrade() -> None:
    op.drop_index("ix_entities_label_sketch", table_name="entities")
    op.drop_column("entities", "sketch")
