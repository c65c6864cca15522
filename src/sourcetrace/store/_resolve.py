"""Entity resolution across articles: explainable and reversible.

Each distinct (label, normalised name) is one ``entities`` row, and mentions and attributions
always point at that row. Joining "Korotchenko" to "Igor Korotchenko" never rewrites them: the
shorter-named entity gets ``merged_into_id`` and an ``entity_merges`` row with the reason, so a
merge is explained by ``explain`` and reversed by ``unmerge`` without losing anything.

Candidates are entities with the same label and either the same last name token or the same
``sketch`` (every token but the last, and the last's initial), so that a surname misspelt in one
article ("Igor Korotchencko") meets its right spelling in another; the extractor's rule
(``same_entity``) then decides. A new name joins a cluster only when exactly one cluster accepts
it (a bare "Korotchenko" beside both "Igor" and "Anna Korotchenko" stays apart rather than being
guessed), and a cluster accepts a name only when its own name and every name of two words or
more in it accept it ("Ivana Trump" matches the bare "Trump" in Donald J. Trump's cluster, not
the cluster).

A cluster is named by its root: a full name rather than a bare one, and among full names the
spelling most mentions use (not the longest: "Billionaire Donald Trump", a tagger's slip once,
is not his name). The first article may misspell a name ("Kim Jung-un") that a hundred later ones
spell right, so at the end of each ingestion run ``settle_names`` re-roots the clusters the run
touched, as a merge that says why; clusters joined by hand keep the root their merger chose.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, text, tuple_, update
from sqlalchemy.orm import Session

from ..extract.entities import ENTITY_LABELS, same_entity
from . import models as m

__all__ = ["EntityResolver", "cluster_ids", "entity_key", "name_blocks", "root_id", "same_name", "settle_names"]

_DROP = re.compile(r"[.,'’`]")
_SEP = re.compile(r"[\s\-‐–]+")
_LEADING = re.compile(r"^(the)\s+", re.I)


def _norm(name: str) -> str:
    name = _LEADING.sub("", name.strip())
    name = re.sub(r"['’]s$", "", name)
    return _SEP.sub(" ", _DROP.sub("", name.casefold())).strip()


# The extractor's rule, so that the store joins across articles what one article joins within it.
same_name = same_entity


def entity_key(name: str, label: str) -> str:
    return f"{label}:{_norm(name)}"[:255]


def name_blocks(name: str) -> tuple[str, str]:
    """The two keys that find a name's merge candidates: its last token, and its sketch (the
    other tokens and the last one's initial: "igor k"; empty for a one-word name). A spelling
    variant differs in one token with the same initial (``same_entity``), so a variant pair
    shares one key or the other, whichever token differs."""
    tokens = _norm(name).split()
    if not tokens:
        return "", ""
    sketch = " ".join([*tokens[:-1], tokens[-1][0]]) if len(tokens) > 1 else ""
    return tokens[-1][:255], sketch[:255]


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
    """Find-or-create entity rows for one writer, caching keys it has seen; batched per article."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def reset(self) -> None:
        self._ids.clear()

    def resolve(self, session: Session, name: str, label: str) -> int | None:
        """The entity row for this exact (label, name), created and merge-checked if new."""
        return self.resolve_many(session, [(name, label)]).get(entity_key(name, label))

    def resolve_many(self, session: Session, names: Iterable[tuple[str, str]]) -> dict[str, int]:
        """``entity_key → id`` for every (name, label); one query for the unknown, one insert for the new."""
        wanted: dict[str, tuple[str, str]] = {}
        for name, label in names:
            key = entity_key(name, label)
            if key.split(":", 1)[1]:
                wanted.setdefault(key, (" ".join(name.split())[:2000], label))
        missing = [k for k in wanted if k not in self._ids]
        if missing:
            for key, entity_id in session.execute(select(m.Entity.key, m.Entity.id).where(m.Entity.key.in_(missing))):
                self._ids[key] = entity_id
            new = [k for k in missing if k not in self._ids]
            if new:
                rows = []
                for key in new:
                    name, label = wanted[key]
                    surname, sketch = name_blocks(name)
                    rows.append({"key": key, "name": name, "label": label, "surname": surname, "sketch": sketch})
                table = m.Entity.__table__
                ids = session.connection().execute(
                    insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars().all()
                for row, entity_id in zip(rows, ids, strict=True):
                    self._ids[row["key"]] = entity_id
                fresh = [(entity_id, row) for row, entity_id in zip(rows, ids, strict=True)]
                self._auto_merge(session, fresh)
                _join_across_labels(session, fresh)
        return {k: self._ids[k] for k in wanted}

    def _auto_merge(self, session: Session, new: list[tuple[int, dict[str, str]]]) -> None:
        by_surname = sorted({(row["label"], row["surname"]) for _, row in new if row["surname"]})
        by_sketch = sorted({(row["label"], row["sketch"]) for _, row in new if row["sketch"]})
        if not by_surname:
            return
        # Every entity sharing a block with a new one, by block: (label, "s", surname), (label, "k", sketch).
        pool: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
        names: dict[int, str] = {}
        parent: dict[int, int | None] = {}
        new_ids = {entity_id for entity_id, _ in new}
        # One query per block kind: an OR of two row-value INs would not use both indexes everywhere.
        found: dict[int, tuple[str, str, str, str, int | None]] = {}
        for column, blocks in ((m.Entity.surname, by_surname), (m.Entity.sketch, by_sketch)):
            if blocks:
                for entity_id, *rest in session.execute(
                        select(m.Entity.id, m.Entity.name, m.Entity.label, m.Entity.surname, m.Entity.sketch,
                               m.Entity.merged_into_id).where(tuple_(m.Entity.label, column).in_(blocks))):
                    found[entity_id] = tuple(rest)
        labels: dict[int, str] = {}
        for entity_id in sorted(found):
            name, label, surname, sketch, merged_into = found[entity_id]
            names[entity_id], parent[entity_id], labels[entity_id] = name, merged_into, label
            if entity_id not in new_ids:
                pool.setdefault((label, "s", surname), []).append((entity_id, name))
                if sketch:
                    pool.setdefault((label, "k", sketch), []).append((entity_id, name))

        def root(entity_id: int) -> int:
            seen = set()
            while entity_id not in seen:
                seen.add(entity_id)
                up = parent.get(entity_id, -1)
                if up is None:
                    return entity_id
                if up == -1:  # outside the loaded groups (a merge made by hand): ask the database
                    return root_id(session, entity_id)
                entity_id = up
            return entity_id

        def name_of(entity_id: int) -> str:
            if entity_id not in names:  # a root outside the loaded blocks
                names[entity_id] = session.scalar(select(m.Entity.name).where(m.Entity.id == entity_id)) or ""
            return names[entity_id]

        def full_names(top: int) -> set[str]:
            """The cluster's name and its loaded names of two words or more, but those that are
            another of them with words around it: "Billionaire Donald Trump", a tagger's slip,
            says no more of who he is than "Donald Trump", and must not keep "Donald J. Trump" out."""
            fulls = {name_of(top)} | {n for i, n in names.items() if _tokens(n) > 1 and root(i) == top}
            return {n for n in fulls if not any(_tokens(n) > _tokens(o) > 1 and same_name(n, o)[1] == "token subset"
                                                for o in fulls)}

        def fits_elsewhere(short_id: int, short: str, new_id: int, label: str) -> bool:
            """Whether a shorter name fits a full name outside its own cluster (and the new one's):
            then joining it to the new name would be a guess ("Clinton" beside Bill and Hillary)."""
            own = root(short_id)
            return any(i != new_id and labels.get(i) == label and _tokens(n) > 1 and root(i) != own
                       and same_name(short, n)[0] for i, n in names.items())

        for entity_id, row in new:
            blocks = [(row["label"], "s", row["surname"])] + ([(row["label"], "k", row["sketch"])] if row["sketch"] else [])
            candidates = sorted({c for block in blocks for c in pool.get(block, ())})
            matches: dict[int, tuple[str, str]] = {}
            for cand_id, cand_name in candidates:
                ok, reason = same_name(row["name"], cand_name)
                if ok and _joins_across_articles(row["name"], cand_name, reason, row["label"]) \
                        and not (_tokens(cand_name) < _tokens(row["name"])
                                 and fits_elsewhere(cand_id, cand_name, entity_id, row["label"])):
                    matches.setdefault(root(cand_id), (cand_name, reason))
            for block in blocks:
                pool.setdefault(block, []).append((entity_id, row["name"]))
            # A cluster takes a name only if its full names all do: "Ivana Trump" matches the bare
            # "Trump" in Donald J. Trump's cluster, not the cluster.
            matches = {top: hit for top, hit in matches.items()
                       if all(same_name(row["name"], full)[0] for full in full_names(top))}
            if len(matches) == 1:  # none, or several: do not guess
                top, (cand_name, reason) = next(iter(matches.items()))
                top_name = name_of(top)
                why = _automatic_reason(row["name"], cand_name, reason, row["label"])
                if _tokens(row["name"]) > _tokens(top_name):
                    _record_merge(session, top, entity_id, why)  # the fuller name becomes the cluster's name
                    parent[top] = entity_id
                else:
                    _record_merge(session, entity_id, top, why)
                    parent[entity_id] = top
            # A bare name joined to the one full name it fitted ("Clinton" to Bill Clinton) fits
            # this one too (Hillary Clinton), outside that cluster: it was a guess, now ambiguous.
            if _tokens(row["name"]) > 1:
                mine = root(entity_id)
                for cand_id, cand_name in candidates:
                    if (_tokens(cand_name) == 1 and parent.get(cand_id) is not None and root(cand_id) != mine
                            and same_name(row["name"], cand_name)[0]
                            and _detach(session, cand_id, f"also fits {row['name']!r}")):
                        parent[cand_id] = None


def _join_across_labels(session: Session, new: list[tuple[int, dict[str, str]]]) -> None:
    """A name of two words or more that the tagger labelled otherwise elsewhere is one thing:
    "Bernie Sanders" read once as ORG is the PERSON, "Trans-Pacific Partnership" the same deal as
    EVENT, LAW or ORG. A new entity that joined nothing under its own label joins the one cluster
    holding its exact name under another (several clusters: left alone). One-word names stay
    apart ("Jordan" the country and the person)."""
    alone = [(i, row) for i, row in new if _tokens(row["name"]) > 1 and row["label"] in ENTITY_LABELS]
    if not alone:
        return
    wanted = {entity_key(row["name"], label): i for i, row in alone for label in ENTITY_LABELS if label != row["label"]}
    others: dict[int, list[tuple[int, str, str]]] = {}
    for entity_id, key, name, label in session.execute(
            select(m.Entity.id, m.Entity.key, m.Entity.name, m.Entity.label).where(m.Entity.key.in_(list(wanted)))):
        others.setdefault(wanted[key], []).append((entity_id, name, label))
    if not others:
        return
    joined = {int(i) for i in session.scalars(select(m.Entity.merged_into_id).where(
        m.Entity.merged_into_id.in_(list(others))))}
    # and those that joined a cluster of their own label
    joined |= set(session.scalars(select(m.Entity.id).where(
        m.Entity.id.in_(list(others)), m.Entity.merged_into_id.is_not(None))))
    for entity_id, row in alone:
        if entity_id not in others or entity_id in joined:
            continue
        roots = {root_id(session, other) for other, _, _ in others[entity_id]}
        if len(roots) != 1 or entity_id in roots:
            continue
        _, other_name, other_label = others[entity_id][0]
        _record_merge(session, entity_id, roots.pop(), _automatic_reason(
            row["name"], other_name, f"the same name labelled {other_label}", row["label"]))


# Places and peoples whose name ends a longer one are other places and peoples ("Mexico" and
# "New Mexico", "Americans" and "African-Americans").
_PLACES = frozenset({"GPE", "LOC", "NORP", "FAC"})


def _joins_across_articles(name: str, other: str, reason: str, label: str) -> bool:
    """Whether names the extractor would join within one article may join across articles.
    Within an article "the Post" after "the New York Post" is that paper; in another article it
    is any Post. So a shorter name joins a longer one across articles only for a person
    ("Trump", "Korotchenko"), or for an organization whose longer name adds no name of its own
    ("the federal Securities and Exchange Commission", not "the Ohio Democratic Party" or "the
    Swedish Air Force"); spelling variants, middle initials and the same name join whatever the
    label. Missing a join leaves two entities that ``merge`` can join; a wrong join gives one
    organisation another's statements."""
    if reason == "a middle name":  # "Hillary Rodham Clinton"; "New York Times" is no "New Times"
        return label == "PERSON"
    if not reason.startswith("token subset") or label == "PERSON":
        return True
    if label in _PLACES:
        return False
    short, long_ = sorted((name, other), key=_tokens)
    own = set(_norm(short).split())
    extra = [w for w in long_.replace("-", " ").split() if _norm(w) and _norm(w) not in own]
    return bool(extra) and all(not w[:1].isupper() for w in extra)


def _automatic_reason(name: str, other: str, reason: str, label: str) -> str:
    return f"{name!r} ~ {other!r}: {reason} (label {label})"


# What ``_automatic_reason`` writes; any other reason was given by a person (``merge``).
_AUTOMATIC = re.compile(r"^(['\"]).*\1 ~ (['\"]).*\2: .* \(label [^)]*\)$", re.S)


def _tokens(name: str) -> int:
    return len(_norm(name).split())


def settle_names(session: Session, entity_ids: Iterable[int]) -> int:
    """Re-root each cluster holding one of ``entity_ids`` at its best name: a full name over a
    bare one, then the spelling most of the cluster's mentions use, then the label most carry
    (ties keep the root). Returns how many clusters were renamed."""
    parent = dict(session.execute(select(m.Entity.id, m.Entity.merged_into_id)
                                  .where(m.Entity.merged_into_id.is_not(None))).all())
    if not parent:
        return 0

    def root(entity_id: int) -> int:
        seen = set()
        while entity_id in parent and entity_id not in seen:
            seen.add(entity_id)
            entity_id = parent[entity_id]
        return entity_id

    members: dict[int, set[int]] = {}
    for entity_id in parent:
        top = root(entity_id)
        members.setdefault(top, {top}).add(entity_id)
    touched = sorted({root(i) for i in entity_ids} & members.keys())
    renamed = 0
    for start in range(0, len(touched), 200):
        chunk = {r: members[r] for r in touched[start:start + 200]}
        ids = set().union(*chunk.values())
        rows = session.execute(select(m.Entity.id, m.Entity.name, m.Entity.label).where(m.Entity.id.in_(ids))).all()
        names = {entity_id: name for entity_id, name, _ in rows}
        labels = {entity_id: label for entity_id, _, label in rows}
        by_hand = set(session.execute(select(m.EntityMerge.entity_id, m.EntityMerge.reason).where(
            m.EntityMerge.entity_id.in_(ids), m.EntityMerge.undone_at.is_(None))).all())
        hand_made = {entity_id for entity_id, reason in by_hand if not _AUTOMATIC.match(reason)}
        spellings: dict[int, Counter[str]] = {}
        own: Counter[int] = Counter()
        for entity_id, text_, count in session.execute(
                select(m.Mention.entity_id, m.Mention.text, func.count())
                .where(m.Mention.entity_id.in_(ids)).group_by(m.Mention.entity_id, m.Mention.text)):
            spellings.setdefault(root(entity_id), Counter())[_norm(text_)] += count
            own[entity_id] += count
        for old, cluster in chunk.items():
            if cluster & hand_made:
                continue
            used = spellings.get(old, Counter())
            # A full name over a bare one, then the spelling most mentions use (not the longest:
            # "Billionaire Donald Trump", once, is not his name), then, for one name under several
            # labels, the label most of them carry.
            rank = {i: (min(_tokens(names[i]), 2), used[_norm(names[i])], own[i]) for i in cluster}
            best = max(sorted(cluster), key=rank.__getitem__)
            if rank[best] > rank[old]:
                if rank[best][0] > rank[old][0]:
                    reason = "renamed for a full name"
                elif rank[best][1] > rank[old][1]:
                    reason = f"renamed for the spelling {rank[best][1]} of the cluster's {sum(used.values())} mentions use"
                else:
                    reason = f"relabelled {labels[best]}, as {rank[best][2]} of its {rank[best][1]} mentions are"
                _reroot(session, old, best, _automatic_reason(names[old], names[best], reason, labels[best]))
                renamed += 1
    return renamed


def _reroot(session: Session, old: int, new: int, why: str) -> None:
    """``new`` becomes its cluster's root and ``old`` merges into it; ``new``'s own merge is
    marked undone, since the new one supersedes it (``unmerge`` of that splits them again)."""
    session.execute(update(m.EntityMerge).where(m.EntityMerge.entity_id == new, m.EntityMerge.undone_at.is_(None))
                    .values(undone_at=datetime.now(UTC)))
    session.execute(update(m.Entity).where(m.Entity.id == new).values(merged_into_id=None))
    _record_merge(session, old, new, why)


def merge(session: Session, entity_id: int, into_id: int, reason: str) -> int:
    """Join ``entity_id``'s cluster into ``into_id``'s, keeping the reason; returns the merge id."""
    src, dst = root_id(session, entity_id), root_id(session, into_id)
    if src == dst:
        raise ValueError(f"entities {entity_id} and {into_id} are already one cluster")
    return _record_merge(session, src, dst, reason)


def _detach(session: Session, entity_id: int, why: str) -> bool:
    """Undo the automatic merge that joined ``entity_id`` to its cluster, noting ``why`` on it;
    False (and nothing done) when a person made that merge."""
    row = session.execute(select(m.EntityMerge.id, m.EntityMerge.reason).where(
        m.EntityMerge.entity_id == entity_id, m.EntityMerge.undone_at.is_(None))
        .order_by(m.EntityMerge.id.desc())).first()
    if row is None or not _AUTOMATIC.match(row.reason):
        return False
    session.execute(update(m.Entity).where(m.Entity.id == entity_id).values(merged_into_id=None))
    session.execute(update(m.EntityMerge).where(m.EntityMerge.id == row.id).values(
        undone_at=datetime.now(UTC), reason=f"{row.reason}; undone: {why}"[:4000]))
    return True


def _record_merge(session: Session, src: int, dst: int, reason: str) -> int:
    conn = session.connection()
    conn.execute(update(m.Entity.__table__).where(m.Entity.__table__.c.id == src).values(merged_into_id=dst))
    table = m.EntityMerge.__table__
    return int(conn.execute(insert(table).returning(table.c.id).values(
        entity_id=src, into_id=dst, reason=reason, created_at=datetime.now(UTC))).scalar_one())


def unmerge(session: Session, merge_id: int) -> None:
    """Reverse one merge: the merged entity (and whatever was merged into it) stands alone again."""
    row = session.execute(select(m.EntityMerge.entity_id, m.EntityMerge.undone_at)
                          .where(m.EntityMerge.id == merge_id)).first()
    if row is None or row.undone_at is not None:
        raise LookupError(f"no active merge {merge_id}")
    session.execute(update(m.Entity).where(m.Entity.id == row.entity_id).values(merged_into_id=None))
    session.execute(update(m.EntityMerge).where(m.EntityMerge.id == merge_id).values(undone_at=datetime.now(UTC)))
