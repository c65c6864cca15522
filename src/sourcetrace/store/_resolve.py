"""Entity resolution across articles: explainable and reversible.

Each distinct (label, normalised name) is one ``entities`` row, and mentions and attributions
always point at that row. Joining "Korotchenko" to "Igor Korotchenko" never rewrites them: the
shorter-named entity gets ``merged_into_id`` and an ``entity_merges`` row with the reason, so a
merge is explained by ``explain`` and reversed by ``unmerge`` without losing anything.

Candidates are entities with the same label and last name token; a new name joins a cluster only
when exactly one cluster accepts it (a bare "Korotchenko" beside both "Igor" and "Anna Korotchenko"
stays apart rather than being guessed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from . import models as m

__all__ = ["EntityResolver", "cluster_ids", "entity_key", "root_id", "same_name"]

_DROP = re.compile(r"[.,'’`]")
_SEP = re.compile(r"[\s\-‐–]+")
_LEADING = re.compile(r"^(the)\s+", re.I)


def _norm(name: str) -> str:
    name = _LEADING.sub("", name.strip())
    name = re.sub(r"['’]s$", "", name)
    return _SEP.sub(" ", _DROP.sub("", name.casefold())).strip()


def _local_same(a: str, b: str) -> tuple[bool, str]:
    ka, kb = _norm(a), _norm(b)
    if not ka or not kb:
        return False, "empty name"
    if ka == kb:
        return True, "same name after normalisation"
    ta, tb = ka.split(), kb.split()
    if set(ta) < set(tb) or set(tb) < set(ta):
        return True, "token subset"
    return False, "different names"


def _load_rule() -> Callable[[str, str], tuple[bool, str]]:
    # The extractor's rule is the one source of truth when present; the local rule is a fallback.
    # TODO(store): drop _local_same once extract.entities.same_entity is always installed.
    try:
        from ..extract.entities import same_entity
    except Exception:  # noqa: BLE001 - missing module or its dependencies
        return _local_same
    return same_entity


same_name = _load_rule()


def entity_key(name: str, label: str) -> str:
    return f"{label}:{_norm(name)}"[:255]


def root_id(session: Session, entity_id: int) -> int:
    seen = {entity_id}
    current = entity_id
    while True:
        parent = session.scalar(select(m.Entity.merged_into_id).where(m.Entity.id == current))
        if parent is None or parent in seen:
            return current
        seen.add(parent)
        current = parent


_CLUSTER = text(
    "WITH RECURSIVE cluster(id) AS (SELECT CAST(:root AS INTEGER) UNION "
    "SELECT e.id FROM entities e JOIN cluster c ON e.merged_into_id = c.id) SELECT id FROM cluster"
)


def cluster_ids(session: Session, entity_id: int) -> list[int]:
    """Every entity merged (directly or not) into the root of ``entity_id``, the root included."""
    return [int(i) for i in session.scalars(_CLUSTER, {"root": root_id(session, entity_id)})]


class EntityResolver:
    """Find-or-create entity rows for one writer, caching keys it has seen."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def reset(self) -> None:
        self._ids.clear()

    def resolve(self, session: Session, name: str, label: str) -> int | None:
        """The entity row for this exact (label, name), created and merge-checked if new."""
        key = entity_key(name, label)
        if not key.split(":", 1)[1]:
            return None
        if key in self._ids:
            return self._ids[key]
        found = session.scalar(select(m.Entity.id).where(m.Entity.key == key))
        if found is None:
            tokens = _norm(name).split()
            entity = m.Entity(key=key, name=" ".join(name.split())[:2000], label=label,
                              surname=tokens[-1][:255] if tokens else "")
            session.add(entity)
            session.flush()
            found = entity.id
            self._auto_merge(session, entity)
        self._ids[key] = found
        return found

    def _auto_merge(self, session: Session, new: m.Entity) -> None:
        rows = session.scalars(
            select(m.Entity).where(m.Entity.label == new.label, m.Entity.surname == new.surname,
                                   m.Entity.id != new.id)
        ).all()
        matches: dict[int, tuple[m.Entity, str]] = {}
        for cand in rows:
            ok, reason = same_name(new.name, cand.name)
            if ok:
                root = root_id(session, cand.id)
                if root not in matches:
                    matches[root] = (cand, reason)
        if len(matches) != 1:
            return  # none, or ambiguous: do not guess
        root, (cand, reason) = next(iter(matches.items()))
        root_row = session.get(m.Entity, root)
        assert root_row is not None
        why = f"{new.name!r} ~ {cand.name!r}: {reason} (label {new.label})"
        if len(_norm(new.name).split()) > len(_norm(root_row.name).split()):
            merge(session, root_row.id, new.id, why)  # the fuller name becomes the cluster's name
        else:
            merge(session, new.id, root, why)


def merge(session: Session, entity_id: int, into_id: int, reason: str) -> m.EntityMerge:
    """Join ``entity_id``'s cluster into ``into_id``'s, keeping the reason."""
    src, dst = root_id(session, entity_id), root_id(session, into_id)
    if src == dst:
        raise ValueError(f"entities {entity_id} and {into_id} are already one cluster")
    row = session.get(m.Entity, src)
    assert row is not None
    row.merged_into_id = dst
    record = m.EntityMerge(entity_id=src, into_id=dst, reason=reason, created_at=datetime.now(UTC))
    session.add(record)
    session.flush()
    return record


def unmerge(session: Session, merge_id: int) -> m.EntityMerge:
    """Reverse one merge: the merged entity (and whatever was merged into it) stands alone again."""
    record = session.get(m.EntityMerge, merge_id)
    if record is None or record.undone_at is not None:
        raise LookupError(f"no active merge {merge_id}")
    row = session.get(m.Entity, record.entity_id)
    assert row is not None
    row.merged_into_id = None
    record.undone_at = datetime.now(UTC)
    session.flush()
    return record
