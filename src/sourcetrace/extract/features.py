"""Token features for the two learned taggers (cues, then source/content roles per cue).

Everything that depends only on the document is computed once in ``DocView``; per-cue features
add only what is relative to the cue (side, distance, dependency path, quote relation). The
same functions serve training (``sourcetrace.train``) and inference, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from .lexicon import cue_lexicon
from .quotes import Quote, find_quotes

__all__ = ["DocView", "doc_view", "cue_features", "role_window", "role_features", "cue_head"]

_QUOTE_CHARS = frozenset('"“”«»„')
MAX_WINDOW_SIDE = 200  # tokens either side of a cue's sentence a role window may reach


@dataclass(slots=True)
class DocView:
    doc: Doc
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
    depth: list[int]

    def ancestors(self, i: int) -> list[int]:
        """Token indices from ``i`` up to its sentence root, ``i`` first."""
        chain = [i]
        head = self.head
        while head[chain[-1]] != chain[-1] and len(chain) < 64:
            chain.append(head[chain[-1]])
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


def doc_view(doc: Doc, quotes: list[Quote] | None = None) -> DocView:
    quotes = find_quotes(doc.text) if quotes is None else quotes
    n = len(doc)
    lower = [t.lower_ for t in doc]
    lemma = [t.lemma_.lower() for t in doc]
    pos = [t.pos_ for t in doc]
    dep = [t.dep_ for t in doc]
    head = [t.head.i for t in doc]
    sents: list[tuple[int, int]] = []
    sent_of = [0] * n
    for k, sent in enumerate(doc.sents):
        sents.append((sent.start, sent.end))
        for i in range(sent.start, sent.end):
            sent_of[i] = k
    quote_of = [-1] * n
    q = 0
    for t in doc:
        while q < len(quotes) and quotes[q].end <= t.idx:
            q += 1
        if q < len(quotes) and quotes[q].start <= t.idx < quotes[q].end:
            quote_of[t.i] = q
    lexicon = cue_lexicon()
    lex = [lexicon.verb_class(lm) or "" if p in ("VERB", "AUX") else "" for lm, p in zip(lemma, pos)]
    for start, (length, cls) in lexicon.phrases_in(lower).items():
        lex[start] = "P-" + cls
        for j in range(start + 1, min(n, start + length)):
            lex[j] = "p-" + cls
    depth = [0] * n
    for i in range(n):
        d, j = 0, i
        while head[j] != j and d < 64:
            j, d = head[j], d + 1
        depth[i] = d
    static: list[list[str]] = []
    for t in doc:
        i = t.i
        children = sorted({c.dep_ for c in t.children})
        feats = [
            "w=" + lower[i],
            "l=" + lemma[i],
            "p=" + pos[i],
            "t=" + t.tag_,
            "d=" + dep[i],
            "hl=" + lemma[head[i]],
            "hp=" + pos[head[i]],
            "dd=" + dep[i] + "|" + dep[head[i]],
            "sh=" + t.shape_[:4],
            "lex=" + lex[i],
            "q=" + ("in" if quote_of[i] >= 0 else "out"),
        ]
        feats.extend("c=" + c for c in children)
        if lower[i] in _QUOTE_CHARS or t.text in _QUOTE_CHARS:
            feats.append("qmark")
        if t.is_sent_start:
            feats.append("sstart")
        if t.ent_type_:
            feats.append("ent=" + t.ent_type_)
        static.append(feats)
    return DocView(doc, quotes, lower, lemma, pos, dep, head, sent_of, sents, quote_of, lex, static, depth)


def cue_features(view: DocView, start: int, end: int) -> list[list[str]]:
    """Features for tagging cue tokens in the sentence ``[start, end)``."""
    out: list[list[str]] = []
    lower, lemma, pos, lex = view.lower, view.lemma, view.pos, view.lex
    for i in range(start, end):
        feats = list(view.static[i])
        for off in (-2, -1, 1, 2):
            j = i + off
            if start <= j < end:
                feats.append(f"{off}w={lower[j]}")
                feats.append(f"{off}p={pos[j]}")
                if lex[j]:
                    feats.append(f"{off}lex={lex[j]}")
            else:
                feats.append(f"{off}=edge")
        feats.append("w|-1=" + lower[i] + "|" + (lower[i - 1] if i > start else "^"))
        feats.append("w|+1=" + lower[i] + "|" + (lower[i + 1] if i + 1 < end else "$"))
        feats.append("lp=" + lemma[i] + "|" + pos[i])
        out.append(feats)
    return out


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
    the cue's sentence is a short tail ("..., he said.")."""
    k = view.sent_of[cue[0]]
    start, end = view.sents[k]
    if end - start < 8 and k > 0:
        start = view.sents[k - 1][0]
    lo, hi = start, end
    quote_ids = {view.quote_of[i] for i in (start, end - 1, *cue) if view.quote_of[i] >= 0}
    quote_ids.update(view.quote_of[i] for i in range(start, end) if view.quote_of[i] >= 0)
    for qid in quote_ids:
        quote = view.quotes[qid]
        qs = view.doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if qs is not None:
            lo = min(lo, view.sents[view.sent_of[qs.start]][0])
            hi = max(hi, view.sents[view.sent_of[qs.end - 1]][1])
    lo = max(lo, start - MAX_WINDOW_SIDE)
    hi = min(hi, end + MAX_WINDOW_SIDE)
    return lo, hi


def _path(view: DocView, t: int, h: int, h_anc: dict[int, int]) -> str:
    """The dependency relation of token ``t`` to cue head ``h`` in a few symbols."""
    if t == h:
        return "self"
    chain = view.ancestors(t)
    for k, a in enumerate(chain):
        if a == h:
            child = chain[k - 1]
            return "sub:" + view.dep[child] + ("" if k == 1 else ">")
        if a in h_anc:
            t_branch = view.dep[chain[k - 1]] if k > 0 else "self"
            up = h_anc[a]
            return "lca:" + t_branch + "|" + str(min(up, 3))
    return "none"


def role_features(
    view: DocView, cue: list[int], window: tuple[int, int], other_cues: set[int]
) -> list[list[str]]:
    """Features of every token in ``window`` relative to one cue."""
    h = cue_head(view, cue)
    cue_set = set(cue)
    h_chain = view.ancestors(h)
    h_anc = {a: k for k, a in enumerate(h_chain)}
    cue_lemma = "_".join(view.lemma[i] for i in cue)
    cue_lex = view.lex[h] or "none"
    h_dep = view.dep[h]
    h_quote = view.quote_of[h]
    h_sent = view.sent_of[h]
    first, last = min(cue), max(cue)
    lo, hi = window
    # Quote marks between each token and the cue: odd parity means the cue is outside the
    # token's quote (or inside one the token is outside of).
    marks = [1 if "qmark" in view.static[i] else 0 for i in range(lo, hi)]
    prefix = [0]
    for m in marks:
        prefix.append(prefix[-1] + m)
    out: list[list[str]] = []
    for t in range(lo, hi):
        if t in cue_set:
            side = "C"
            dist = 0
        elif t < first:
            side, dist = "L", first - t
        else:
            side, dist = "R", t - last
        path = _path(view, t, h, h_anc)
        between = abs(prefix[t - lo] - prefix[(first if t < first else last) - lo])
        feats = [
            "l=" + view.lemma[t],
            "p=" + view.pos[t],
            "d=" + view.dep[t],
            "s=" + side,
            "sd=" + side + _bucket(dist),
            "path=" + path,
            "sp=" + side + "|" + path,
            "cp=" + cue_lemma + "|" + path,
            "cx=" + cue_lex + "|" + side + "|" + path,
            "hd=" + h_dep + "|" + path,
            "qm=" + str(min(between, 3)),
            "sent=" + str(max(-2, min(2, view.sent_of[t] - h_sent))),
        ]
        qt = view.quote_of[t]
        if qt >= 0:
            feats.append("inq")
            feats.append("sameq" if qt == h_quote else "otherq|" + side)
        if "qmark" in view.static[t]:
            feats.append("qmark|" + side)
        if t in other_cues and t not in cue_set:
            feats.append("othercue")
        if view.pos[t] == "PUNCT":
            feats.append("punct=" + view.lower[t] + "|" + side)
        if view.doc[t].ent_type_:
            feats.append("ent=" + view.doc[t].ent_type_ + "|" + side)
        if t > lo:
            feats.append("-1p=" + view.pos[t - 1])
            feats.append("-1w=" + view.lower[t - 1])
        if t + 1 < hi:
            feats.append("+1p=" + view.pos[t + 1])
            feats.append("+1w=" + view.lower[t + 1])
        out.append(feats)
    return out
