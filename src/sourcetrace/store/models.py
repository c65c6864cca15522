"""SQLAlchemy 2.x models of the corpus memory.

The schema itself is owned by the Alembic migrations in ``store/migrations``; these models mirror
it for the ORM, and ``tests/store`` checks that the two agree. Full-text search objects (FTS5
tables on SQLite, ``tsvector`` columns on PostgreSQL) exist only in the migrations and are read
with plain SQL in ``store/search.py``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .. import records

__all__ = [
    "MAX_ROW_ID",
    "Article",
    "Attribution",
    "Base",
    "DateMention",
    "DocumentErrorRow",
    "Entity",
    "EntityMerge",
    "IngestionRun",
    "Mention",
    "MinhashBand",
    "Outlet",
    "Quantity",
]


# Integer primary keys are PostgreSQL int4 (SQLite holds more, but no store of ours reaches it):
# an id past this names no row, and asking for one raised OverflowError or DataError instead.
MAX_ROW_ID = 2**31 - 1


class Base(DeclarativeBase):
    pass


class IngestionRun(Base):
    __tablename__ = "ingestion_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    inputs: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done | failed | interrupted
    host: Mapped[str | None] = mapped_column(String(255))  # the process that runs it, to tell a
    pid: Mapped[int | None] = mapped_column(Integer)         # killed run from a live one
    n_seen: Mapped[int] = mapped_column(Integer, default=0)
    n_stored: Mapped[int] = mapped_column(Integer, default=0)
    n_skipped: Mapped[int] = mapped_column(Integer, default=0)
    n_duplicates: Mapped[int] = mapped_column(Integer, default=0)
    n_errors: Mapped[int] = mapped_column(Integer, default=0)


class Outlet(Base):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)  # casefolded name
    name: Mapped[str] = mapped_column(String(255))
    domain: Mapped[str | None] = mapped_column(String(255), index=True)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(64), unique=True)  # sha256(canonical URL + content hash)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # path, path:line, warc#offset or URL it was read from
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    published_raw: Mapped[str | None] = mapped_column(Text)
    date_flag: Mapped[str | None] = mapped_column(String(32))  # why published_at fell back to crawl time
    crawled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    original_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    dup_similarity: Mapped[float | None] = mapped_column(Float)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingestion_runs.id"), index=True)

    outlet: Mapped[Outlet | None] = relationship()
    attributions: Mapped[list[Attribution]] = relationship(back_populates="article", cascade="all, delete-orphan")


class MinhashBand(Base):
    """One LSH band of an article's MinHash (``ingest/dedup.py``): articles sharing a (band, key)
    are near-duplicate candidates, found by an index lookup rather than an index of the corpus in
    memory. The primary key starts with (band, key), so it is the lookup index too."""

    __tablename__ = "minhash_bands"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the table: stored once, not twice

    band: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)  # blake2b-128 of the band's values
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class Entity(Base):
    """A real-world entity resolved across articles. Merged entities point at their survivor."""

    __tablename__ = "entities"
    __table_args__ = (Index("ix_entities_label_surname", "label", "surname"),
                      Index("ix_entities_label_sketch", "label", "sketch"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)  # label + casefolded name
    name: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(32))
    surname: Mapped[str] = mapped_column(String(255))  # last name token, casefolded: merge candidates
    sketch: Mapped[str] = mapped_column(String(255), server_default="")  # the others and its initial: too
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)


class EntityMerge(Base):
    """Why two entities were joined; undone merges are kept with ``undone_at`` set."""

    __tablename__ = "entity_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    into_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Mention(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    local_id: Mapped[str] = mapped_column(String(64))  # the entity id inside the DocumentResult
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Attribution(Base):
    __tablename__ = "attributions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    local_id: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("attributions.id"), index=True)
    source_text: Mapped[str | None] = mapped_column(Text)
    source_kind: Mapped[str] = mapped_column(String(32))  # records.SourceKind, "anonymous" if no source
    source_spans: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    source_entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    cue_text: Mapped[str] = mapped_column(Text)
    cue_spans: Mapped[list[list[int]]] = mapped_column(JSON)
    content_text: Mapped[str] = mapped_column(Text)
    content_spans: Mapped[list[list[int]]] = mapped_column(JSON)
    type: Mapped[str] = mapped_column(String(16))
    cue_class: Mapped[str] = mapped_column(String(16))
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    markers: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    record: Mapped[dict[str, object]] = mapped_column(JSON)  # the Attribution.to_dict() it came from

    article: Mapped[Article] = relationship(back_populates="attributions")


class Quantity(Base):
    __tablename__ = "quantities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(64))
    hedge: Mapped[str | None] = mapped_column(String(64))


class DateMention(Base):
    """A date the article speaks of, as the calendar period it names (``extract/dates.py``)."""

    __tablename__ = "date_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    granularity: Mapped[str | None] = mapped_column(String(16))
    modifier: Mapped[str | None] = mapped_column(String(32))
    relative: Mapped[bool] = mapped_column(Boolean, default=False)

    def as_record(self) -> records.DateMention:
        return records.DateMention((self.start, self.end), self.text, self.start_date, self.end_date,
                                   self.granularity, self.modifier, self.relative)  # type: ignore[arg-type]


class DocumentErrorRow(Base):
    """A document that could not be read or analysed, with the reason. The batch went on."""

    __tablename__ = "document_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingestion_runs.id"), index=True)
    doc_id: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
