"""Synthetic wire stories for the near-duplicate tests: distinct texts of random words, copies
that differ by a credit line, and a writer that stores them with their signatures the way ingest
does (``StoreWriter.write``), without analysing anything."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import pytest
from datasketch import MinHash

from sqlalchemy.orm import Session

from sourcetrace.ingest._article import RawArticle
from sourcetrace.ingest.dedup import signature, to_bytes
from sourcetrace.records import DocumentResult
from sourcetrace.store.writer import StoreWriter, prepare

_VOCABULARY = [f"w{i}" for i in range(5000)]


def story(seed: int, words: int = 60) -> str:
    """A text sharing (almost) no 4-gram with any other seed's."""
    return " ".join(random.Random(seed).choices(_VOCABULARY, k=words))


def relay(text: str, n: int = 0) -> str:
    """A copy with a credit line: estimated Jaccard with ``text`` well above 0.7."""
    return f"{text} distributed by relay{n}"


def write_stories(session: Session, texts: Sequence[str], *, run_id: int | None = None) -> list[int]:
    """Store each text as an article with its signature (bands included); returns their ids."""
    writer, ids = StoreWriter(), []
    for i, text in enumerate(texts):
        raw = RawArticle(f"story{i}-{run_id}", text, url=f"https://example.org/{run_id}/{i}",
                         published="2024-03-01T00:00:00Z")
        ids.append(writer.write(session, prepare(raw), DocumentResult(raw.doc_id), run_id=run_id,
                                minhash=to_bytes(signature(text))).id)
    return ids


def count_deserialised(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for each signature rebuilt from stored bytes (a MinHash made from
    given hash values): how many stored signatures a lookup brought into memory."""
    calls: list[int] = []
    real = MinHash.__init__

    def spy(self: MinHash, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("hashvalues") is not None:
            calls.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(MinHash, "__init__", spy)
    return calls
