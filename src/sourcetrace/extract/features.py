"""Token features for the two learned taggers (cues, then source/content roles per cue).

Everything that depends only on the document is computed once in ``DocView``; per-cue features
add only what is relative to the cue (side, distance, dependency path, quote relation). The
same functions serve training (``sourcetrace.train``) and inference, so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy import attrs
from spacy.strings import StringStore
from spacy.tokens import Doc

from .lexicon import cue_lexicon
from .quotes import SINGLE_MARKS, Quote, find_quotes, mark_offsets
from .word_clusters import cluster_features

__all__ = ["DocView", "doc_view", "cue_features", "cue_head", "line_of", "lines", "role_features", "role_window",
           "starts_a_line"]

# Cue candidates get their lemma conjoined with their dependents, in one letter per label.
_HEAD_POS = frozenset({"VERB", "AUX", "NOUN", "ADP", "ADJ"})
_SIGNATURE = {"ccomp": "C", "xcomp": "X", "dobj": "O", "nsubj": "S", "nsubjpass": "P", "prep": "p", "advcl": "A"}
_PASSIVE = frozenset({"nsubjpass", "auxpass", "agent"})
_QUOTE_CHARS = frozenset(['"', '“', '”', '«', '»', '„', "''", "``"])
MAX_WINDOW_SIDE = 200  # tokens either side of a cue's sentence a role window may reach
# Tokens either side of the cue itself, whatever its sentence: a "sentence" of tens of thousands
# of tokens (no full stop in a pasted dump) made every cue tag all of it. PolNeAR's farthest is 259.
MAX_ROLE_REACH = 400


_MAX_DEPTH = 64  # how far up a dependency chain is followed (a parse is never this deep)


@dataclass(slots=True)
class DocView:
    doc: Doc
    text: str
    quotes: list[Quote]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]
    sent_of: list[int]
    sents: list[tuple[int, int]]
    quote_of: list[int]          # index into quotes, -1 outside any quote
    lex: list[str]               # cue-lexicon class of the token ('' when none)
    static: list[list[str]]      # features of the token alone
    ent: list[str]               # entity type ('' outside entities)
    space: list[bool]            # whitespace tokens
    children: list[set[str]]     # dependency labels below the token, "subj=<type>" of its subjects, "subq"
    is_mark: list[bool]          # quote marks (the "qmark" static feature)
    # Each token's chain, computed once: every cue's role window asks again, and in a run-on
    # "sentence" of thousands of tokens the chains are long.
    _chains: dict[int, list[int]] = field(default_factory=dict)

    def ancestors(self, i: int) -> list[int]:
        """Token indices from ``i`` up to its sentence root, ``i`` first."""
        chain = self._chains.get(i)
        if chain is None:
            chain = [i]
            head = self.head
            while head[chain[-1]] != chain[-1] and len(chain) < _MAX_DEPTH:
                chain.append(head[chain[-1]])
            self._chains[i] = chain
        return chain


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 10:
        return "7-10"
    if n <= 20:
        return "11-20"
    return "20+"


@dataclass(frozen=True, slots=True)
class _Below:
    """What a token's ``children`` labels give its static features; few distinct sets recur."""

    features: tuple[str, ...]
    signature: str
    subject: str
    subq: str


@lru_cache(maxsize=4096)
def _below(labels: frozenset[str]) -> _Below:
    return _Below(tuple("c=" + c for c in sorted(labels)),
                  "".join(sorted(_SIGNATURE[d] for d in labels if d in _SIGNATURE)),
                  _subject_type(labels), "subq" if "subq" in labels else "")


def _shape(shape: str) -> str:
    return shape[:4]


def _strings(array: np.ndarray, col: int, strings: StringStore,
             shorten: Callable[[str], str] | None) -> list[str]:
    """Column ``col`` of ``doc.to_array`` as strings, each distinct hash looked up once
    (a document has a few thousand distinct words in tens of thousands of tokens)."""
    keys, inverse = np.unique(array[:, col], return_inverse=True)
    names = [strings[key] if key else "" for key in keys.tolist()]
    if shorten is not None:
        names = [shorten(name) for name in names]
    return [names[k] for k in inverse.tolist()]


_ATTRS = [attrs.LOWER, attrs.LEMMA, attrs.POS, attrs.TAG, attrs.DEP, attrs.HEAD, attrs.SHAPE,
          attrs.ENT_TYPE, attrs.SENT_START, attrs.IDX, attrs.IS_SPACE]


def doc_view(doc: Doc, quotes: list[Quote] | None = None, text: str | None = None) -> DocView:
    """What the taggers and rules read of a document, computed once. ``text`` is ``doc.text``
    where the caller has it already (the property walks every token on each access)."""
    text = doc.text if text is None else text
    quotes = find_quotes(text) if quotes is None else quotes
    n = len(doc)
    # One pass through the C arrays: iterating Token objects costs more than all the rest.
    array = doc.to_array(_ATTRS) if n else None
    table = array.tolist() if array is not None else []
    # HEAD is a signed offset stored in an unsigned array: reinterpret before use.
    offsets = array[:, 5].astype("int64").tolist() if array is not None else []
    strings = doc.vocab.strings
    lower, lemma, pos, tag, dep, shape, ent = (
        _strings(array, col, strings, shorten) if array is not None else []
        for col, shorten in ((0, None), (1, str.lower), (2, None), (3, None), (4, None), (6, _shape), (7, None)))
    head = [i + off for i, off in enumerate(offsets)]
    idx = [row[9] for row in table]
    space = [bool(row[10]) for row in table]
    opening = {q.start for q in quotes}
    # A single mark is a quote mark only where it opens or closes a quote (British style);
    # elsewhere it is an apostrophe. Double marks count wherever they stand, as they always did.
    # The taggers learnt quote marks from double-quoted copy, so a single one reads as '"'.
    edges = mark_offsets(text, quotes) if any(text[q.start] in SINGLE_MARKS for q in quotes) else set()
    for i, offset in enumerate(idx):
        if offset in edges and lower[i] in SINGLE_MARKS:
            lower[i] = lemma[i] = '"'
    is_mark = [lw in _QUOTE_CHARS for lw in lower]
    starts = [i for i, row in enumerate(table) if row[8] == 1 or i == 0]
    sents: list[tuple[int, int]] = []
    sent_of = [0] * n
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n
        if k + 1 < len(starts) and end - 1 > start and idx[end - 1] in opening and is_mark[end - 1]:
            end -= 1  # the parser left the next sentence's opening mark here ("... overhaul. ''It's ...")
        if sents:
            start = sents[-1][1]
        sents.append((start, end))
        for i in range(start, end):
            sent_of[i] = len(sents) - 1
    quote_of = [-1] * n
    q = 0
    for i in range(n):
        while q < len(quotes) and quotes[q].end <= idx[i]:
            q += 1
        if q < len(quotes) and quotes[q].start <= idx[i] < quotes[q].end:
            quote_of[i] = q
    lexicon = cue_lexicon()
    lex = [lexicon.verb_class(lm) or "" if p in ("VERB", "AUX") else "" for lm, p in zip(lemma, pos)]
    for start, (length, cls) in lexicon.phrases_in(lower).items():
        lex[start] = "P-" + cls
        for j in range(start + 1, min(n, start + length)):
            lex[j] = "p-" + cls
    children: list[set[str]] = [set() for _ in range(n)]
    for i in range(n):
        if head[i] != i:
            children[head[i]].add(dep[i])
            if dep[i] in ("nsubj", "nsubjpass"):  # who the verb is about: a person says things
                children[head[i]].add("subj=" + (ent[i] or pos[i]))
    for i in range(n):  # a quote below a verb is what it introduces
        if is_mark[i]:
            j, hops = head[i], 0
            while hops < 8:
                children[j].add("subq")
                if head[j] == j:
                    break
                j, hops = head[j], hops + 1
    static: list[list[str]] = []
    for i in range(n):
        h = head[i]
        feats = [
            "w=" + lower[i],
            "l=" + lemma[i],
            "p=" + pos[i],
            "t=" + tag[i],
            "d=" + dep[i],
            "hl=" + lemma[h],
            "hp=" + pos[h],
            "dd=" + dep[i] + "|" + dep[h],
            "sh=" + shape[i],
            "lex=" + lex[i],
            "q=" + ("in" if quote_of[i] >= 0 else "out"),
        ]
        below = _below(frozenset(children[i]))
        feats += below.features
        if is_mark[i]:
            feats.append("qmark")
        if i == sents[sent_of[i]][0]:
            feats.append("sstart")
        if ent[i]:
            feats.append("ent=" + ent[i])
        feats += cluster_features(lemma[i], lower[i], pos[i])
        if pos[i] in _HEAD_POS:  # the word with what hangs on it: "wants" + to-clause, "plans" + subject
            feats += ["lsig=" + lemma[i] + "|" + below.signature,
                      "ldep=" + lemma[i] + "|" + dep[i],
                      "lsub=" + lemma[i] + "|" + below.subject,
                      "lq=" + lemma[i] + "|" + below.subq + ("inq" if quote_of[i] >= 0 else "")]
        static.append(feats)
    return DocView(doc, text, quotes, lower, lemma, pos, dep, head, sent_of, sents, quote_of, lex, static, ent, space,
                   children, is_mark)


def lines(view: DocView, first_sentence: int = 0) -> Iterator[tuple[int, int]]:
    """Token ranges of the sentences from ``first_sentence`` on, also cut at line breaks: the
    parser sometimes runs a sentence on into the next paragraph, or a headline into the lead."""
    for start, end in view.sents[first_sentence:]:
        for i in range(start, end):
            if view.space[i] and "\n" in view.lower[i]:
                if i > start:
                    yield start, i
                start = i + 1
        if start < end:
            yield start, end


def cue_features(view: DocView, start: int, end: int) -> list[list[str]]:
    """Features for tagging cue tokens in the sentence ``[start, end)``."""
    out: list[list[str]] = []
    lower, lemma, pos, lex, static = view.lower, view.lemma, view.pos, view.lex, view.static
    for i in range(start, end):
        feats = static[i].copy()
        for off, word, tag, cls, edge in _NEIGHBOURS:
            j = i + off
            if start <= j < end:
                feats.append(word + lower[j])
                feats.append(tag + pos[j])
                if lex[j]:
                    feats.append(cls + lex[j])
            else:
                feats.append(edge)
        feats.append("w|-1=" + lower[i] + "|" + (lower[i - 1] if i > start else "^"))
        feats.append("w|+1=" + lower[i] + "|" + (lower[i + 1] if i + 1 < end else "$"))
        feats.append("lp=" + lemma[i] + "|" + pos[i])
        out.append(feats)
    return out


# Each neighbour's offset with the names of its features: word, part of speech, lexicon class, none.
_NEIGHBOURS = tuple((off, f"{off}w=", f"{off}p=", f"{off}lex=", f"{off}=edge") for off in (-2, -1, 1, 2))


def cue_head(view: DocView, cue: list[int]) -> int:
    """The cue token whose head lies outside the cue (the cue's syntactic anchor)."""
    cue_set = set(cue)
    for i in cue:
        if view.head[i] not in cue_set or view.head[i] == i:
            if view.pos[i] in ("VERB", "AUX", "NOUN", "ADP"):
                return i
    for i in cue:
        if view.head[i] not in cue_set:
            return i
    return cue[0]


def role_window(view: DocView, cue: list[int]) -> tuple[int, int]:
    """Tokens in which the cue's source and content are looked for: the cue's sentence,
    widened to whole sentences over any quote that touches it, and back one sentence when
    the cue's sentence is a short tail ("..., he said.") on the same line."""
    k = view.sent_of[cue[0]]
    start, end = view.sents[k]
    if end - start < 8 and k > 0 and not starts_a_line(view, start) and not _after_full_stop(view, start):
        start = view.sents[k - 1][0]
    last = end - 1
    while last > start and view.space[last]:
        last -= 1
    if view.lower[last] == ":" and k + 1 < len(view.sents):
        end = view.sents[k + 1][1]  # "X said:" introduces what follows
    # A gold cue can run over a sentence break the parser made ("Ted Cruz Apologizes | To Ben
    # Carson For …" in a headline): the window holds all of it.
    lo, hi = start, max(end, view.sents[view.sent_of[cue[-1]]][1])
    quote_ids = {view.quote_of[i] for i in (start, end - 1, *cue) if view.quote_of[i] >= 0}
    quote_ids.update(view.quote_of[i] for i in range(start, end) if view.quote_of[i] >= 0)
    for qid in quote_ids:
        quote = view.quotes[qid]
        qs = view.doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if qs is not None:
            lo = min(lo, view.sents[view.sent_of[qs.start]][0])
            hi = max(hi, view.sents[view.sent_of[qs.end - 1]][1])
    lo = max(lo, start - MAX_WINDOW_SIDE, cue[0] - MAX_ROLE_REACH)
    hi = min(hi, end + MAX_WINDOW_SIDE, cue[-1] + 1 + MAX_ROLE_REACH)
    return lo, hi


def _after_full_stop(view: DocView, i: int) -> bool:
    """Whether a capitalised token ``i`` follows a sentence ended outside quotes ("... with
    Putin. He didn't suggest retaliation."): a short sentence of its own, not a tail."""
    j = i - 1
    while j > 0 and view.space[j]:
        j -= 1
    return view.doc[i].text[:1].isupper() and view.lower[j] in (".", "!", "?") and view.quote_of[j] < 0


def line_of(view: DocView, i: int) -> tuple[int, int] | None:
    """The token range of the line (``lines``) that holds token ``i``."""
    return next((span for span in lines(view, view.sent_of[i]) if span[0] <= i < span[1]), None)


def starts_a_line(view: DocView, i: int) -> bool:
    """Whether token ``i`` opens the text or a line (past whitespace only): a tail ("..., he
    said.") closes its own paragraph's quote, not the headline or paragraph above; a
    dateline opens its paragraph."""
    if i == 0:
        return True
    j = i - 1
    while j >= 0 and view.space[j]:
        if "\n" in view.lower[j]:
            return True
        j -= 1
    return False


_BUCKETS = tuple(_bucket(n) for n in range(21))
_QUOTE_MARKS_BETWEEN = tuple(f"qm={n}" for n in range(4))
_SENTENCES_AWAY = {n: f"sent={n}" for n in range(-2, 3)}


def _paths(view: DocView, lo: int, hi: int, h: int, h_anc: dict[int, int]) -> list[str]:
    """The dependency relation of each token in ``[lo, hi)`` to cue head ``h`` in a few symbols:
    "self", "sub:<dep of the branch>" (">" when deeper than a child) below the head, "lca:<dep of
    the branch>|<steps from the head up to the meeting point>" beside it, "none" in another tree.

    Each token's walk up the tree stops at the first token already placed, so a window costs
    about one step per token, not one per token and level."""
    head, dep = view.head, view.dep
    # token → (where its chain meets the head's, the token just below that on its chain, steps)
    met: dict[int, tuple[int, int, int]] = {}
    out: list[str] = []
    for t in range(lo, hi):
        walk: list[int] = []
        x = t
        while x not in met:
            if x in h_anc:
                met[x] = (x, -1, 0)
                break
            if head[x] == x or len(walk) > len(head):  # a root (or a cycle, which a parse never has)
                met[x] = (-1, -1, 0)
                break
            walk.append(x)
            x = head[x]
        for y in reversed(walk):
            meet, below, steps = met[head[y]]
            met[y] = (meet, y if steps == 0 else below, steps + 1) if meet >= 0 else (-1, -1, 0)
        meet, below, steps = met[t]
        if t == h:
            out.append("self")
        elif meet < 0 or steps >= _MAX_DEPTH:
            out.append("none")
        elif meet == h:
            out.append("sub:" + dep[below] + ("" if steps == 1 else ">"))
        else:
            out.append("lca:" + (dep[below] if steps else "self") + "|" + _UP[min(h_anc[meet], 3)])
    return out


_UP = ("0", "1", "2", "3")


def _subject_type(below: AbstractSet[str]) -> str:
    """The entity type (or part of speech) of a token's subject, from its ``children`` labels."""
    return next((c[5:] for c in sorted(below) if c.startswith("subj=")), "none")


def _cue_context(view: DocView, h: int, window: tuple[int, int]) -> tuple[str, str, str]:
    """What the cue's own clause says about where its roles lie: whether it has a subject and
    sits in a quote; its voice and what its subject is; how many quotes its window holds."""
    below = view.children[h]
    subject = _subject_type(below)
    voice = "pass" if below & _PASSIVE else "act"
    quotes = len({view.quote_of[i] for i in range(*window)} - {-1})
    return (("subj" if subject != "none" else "nosubj") + "|" + ("q" if view.quote_of[h] >= 0 else "nq"),
            voice + "|" + subject, str(min(quotes, 2)))


def role_features(
    view: DocView, cue: list[int], window: tuple[int, int], other_cues: set[int]
) -> list[list[str]]:
    """Features of every token in ``window`` relative to one cue. The tagger is linear, so what
    the cue's clause looks like (subject, voice, quotes) is conjoined with each token's path."""
    h = cue_head(view, cue)
    cue_set = set(cue)
    h_chain = view.ancestors(h)
    h_anc = {a: k for k, a in enumerate(h_chain)}
    cue_lemma = "_".join(view.lemma[i] for i in cue)
    cue_lex = view.lex[h] or "none"
    h_dep = view.dep[h]
    h_quote = view.quote_of[h]
    h_sent = view.sent_of[h]
    h_pos = view.pos[h]
    has_subject, voice, quotes = _cue_context(view, h, window)
    first, last = min(cue), max(cue)
    lo, hi = window
    # Quote marks between each token and the cue: odd parity means the cue is outside the
    # token's quote (or inside one the token is outside of).
    is_mark = view.is_mark
    prefix = [0]
    for i in range(lo, hi):
        prefix.append(prefix[-1] + is_mark[i])
    lemma, pos, dep, lower, ent, head = view.lemma, view.pos, view.dep, view.lower, view.ent, view.head
    quote_of, sent_of = view.quote_of, view.sent_of
    paths = _paths(view, lo, hi, h, h_anc)
    out: list[list[str]] = []
    for t, path in zip(range(lo, hi), paths):
        if t in cue_set:
            side = "C"
            dist = 0
        elif t < first:
            side, dist = "L", first - t
        else:
            side, dist = "R", t - last
        between = abs(prefix[t - lo] - prefix[(first if t < first else last) - lo])
        side_path = side + "|" + path
        qt = quote_of[t]
        feats = [
            "l=" + lemma[t],
            "p=" + pos[t],
            "d=" + dep[t],
            "s=" + side,
            "sd=" + side + (_BUCKETS[dist] if dist < len(_BUCKETS) else "20+"),
            "path=" + path,
            "sp=" + side_path,
            "cp=" + cue_lemma + "|" + path,
            "cx=" + cue_lex + "|" + side_path,
            "hd=" + h_dep + "|" + path,
            _QUOTE_MARKS_BETWEEN[min(between, 3)],
            _SENTENCES_AWAY[max(-2, min(2, sent_of[t] - h_sent))],
            "cs=" + has_subject + "|" + side_path,
            "cpos=" + h_pos + "|" + path,
            "cv=" + voice + "|" + side_path,
            "cq=" + quotes + "|" + side + "|" + ("in" if qt >= 0 else "out"),
            "d2=" + dep[t] + "|" + dep[head[t]] + "|" + side,
            "pp=" + (pos[t - 1] if t > lo else "^") + "|" + pos[t] + "|" + side,
        ]
        if qt >= 0:
            feats.append("inq")
            feats.append("sameq" if qt == h_quote else "otherq|" + side)
        if is_mark[t]:
            feats.append("qmark|" + side)
        if t in other_cues and t not in cue_set:
            feats.append("othercue")
        if pos[t] == "PUNCT":
            feats.append("punct=" + lower[t] + "|" + side)
        if ent[t]:
            feats.append("ent=" + ent[t] + "|" + side)
        if t > lo:
            feats.append("-1p=" + pos[t - 1])
            feats.append("-1w=" + lower[t - 1])
        if t + 1 < hi:
            feats.append("+1p=" + pos[t + 1])
            feats.append("+1w=" + lower[t + 1])
        out.append(feats)
    return out
