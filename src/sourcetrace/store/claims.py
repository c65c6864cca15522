"""Tables of claim linking (issue 4): claims, their clusters, and the vectors the ANN index is made of.

A *claim* is what one leaf attribution asserts (an attribution that holds no nested one); its
chain of parents says through whom it was reported. Claims reported by different articles that
say the same thing share a ``claim_clusters`` row. Embeddings are kept here so the approximate
nearest-neighbour index (a file beside the store) can always be rebuilt from the database.

The schema belongs to migration ``0100_claims``; ``tests/store`` compares it with these models.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, LargeBinary, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base

__all__ = ["Claim", "ClaimCluster"]


class ClaimCluster(Base):
    """One claim as reported across articles; ``first_claim_id`` is its earliest appearance."""

    __tablename__ = "claim_clusters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_claim_id: Mapped[int | None] = mapped_column(Integer)  # claims.id (no FK: rows point both ways)
    first_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Claim(Base):
    """A leaf attribution's content, embedded, and the cluster it joined (and through which claim)."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attribution_id: Mapped[int] = mapped_column(
        ForeignKey("attributions.id", ondelete="CASCADE"), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("claim_clusters.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    matched_claim_id: Mapped[int | None] = mapped_column(Integer)  # the neighbour it was linked through
    similarity: Mapped[float | None] = mapped_column(Float)
    embedding: Mapped[bytes] = mapped_column(LargeBinary)  # float32, L2-normalised
    model: Mapped[str] = mapped_column(Text)
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
