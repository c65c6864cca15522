"""Initial corpus schema: runs, outlets, articles, entities and merges, mentions, attributions,
quantities, per-document errors; full-text search (FTS5 on SQLite, tsvector on PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ingestion_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("n_seen", sa.Integer, nullable=False),
        sa.Column("n_stored", sa.Integer, nullable=False),
        sa.Column("n_skipped", sa.Integer, nullable=False),
        sa.Column("n_duplicates", sa.Integer, nullable=False),
        sa.Column("n_errors", sa.Integer, nullable=False),
    )
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("domain", sa.String(255), index=True),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("identity", sa.String(64), nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("canonical_url", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id"), index=True),
        sa.Column("published_at", TZ, nullable=False, index=True),
        sa.Column("published_raw", sa.Text),
        sa.Column("date_flag", sa.String(32)),
        sa.Column("crawled_at", TZ, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("original_id", sa.Integer, sa.ForeignKey("articles.id"), index=True),
        sa.Column("dup_similarity", sa.Float),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("ingestion_runs.id")),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.Column("surname", sa.String(255), nullable=False),
        sa.Column("merged_into_id", sa.Integer, sa.ForeignKey("entities.id"), index=True),
    )
    op.create_index("ix_entities_label_surname", "entities", ["label", "surname"])
    op.create_table(
        "entity_merges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False, index=True),
        sa.Column("into_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False, index=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("undone_at", TZ),
    )
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False, index=True),
        sa.Column("local_id", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "attributions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("local_id", sa.String(64), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("attributions.id"), index=True),
        sa.Column("source_text", sa.Text),
        sa.Column("source_kind", sa.String(32), nullable=False),
        sa.Column("source_spans", sa.JSON, nullable=False),
        sa.Column("source_entity_id", sa.Integer, sa.ForeignKey("entities.id"), index=True),
        sa.Column("cue_text", sa.Text, nullable=False),
        sa.Column("cue_spans", sa.JSON, nullable=False),
        sa.Column("content_text", sa.Text, nullable=False),
        sa.Column("content_spans", sa.JSON, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("cue_class", sa.String(16), nullable=False),
        sa.Column("hedged", sa.Boolean, nullable=False),
        sa.Column("markers", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "quantities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(64)),
        sa.Column("hedge", sa.String(64)),
    )
    op.create_table(
        "document_errors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("ingestion_runs.id"), index=True),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_fts()
    else:
        _postgres_fts()


def _sqlite_fts() -> None:
    # External-content FTS5 tables kept in step by triggers: the text is stored once.
    for table, cols in (("articles", "title, text"), ("attributions", "content_text, source_text")):
        new_vals = ", ".join(f"new.{c.strip()}" for c in cols.split(","))
        old_vals = ", ".join(f"old.{c.strip()}" for c in cols.split(","))
        op.execute(
            f"CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', "
            "content_rowid='id', tokenize='porter unicode61')"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new_vals}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_au AFTER UPDATE OF {cols} ON {table} BEGIN "
            f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); "
            f"INSERT INTO {table}_fts(rowid, {cols}) VALUES (new.id, {new_vals}); END"
        )


def _postgres_fts() -> None:
    op.execute(
        "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', text), 'B')) STORED"
    )
    op.execute("CREATE INDEX ix_articles_tsv ON articles USING gin (tsv)")
    op.execute(
        "ALTER TABLE attributions ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('english', content_text || ' ' || coalesce(source_text, ''))) STORED"
    )
    op.execute("CREATE INDEX ix_attributions_tsv ON attributions USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("articles", "attributions"):
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    for table in ("document_errors", "quantities", "attributions", "mentions", "entity_merges",
                  "entities", "articles", "outlets", "ingestion_runs"):
        op.drop_table(table)
