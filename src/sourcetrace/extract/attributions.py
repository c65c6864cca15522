"""Attributions: cues and roles from the learned taggers, made into contract records.

Per document: tag cues; for each cue tag its source and content; drop cues without content;
classify direct / indirect / mixed from the quote marks; resolve the source to an entity;
read the stance; link nested attributions to their parent; number them in text order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from ..records import Attribution, Content, Cue, Entity, Offsets, QuoteType, Source, spans_text
from .confidence import Signals, calibrated, fitted_threshold
from .features import DocView, cue_head, doc_view
from .learned import TaggedCue, TaggedRoles, find_cues, find_roles
from .speakers import SpeakerResolver
from .stance import stance_of

__all__ = ["above_confidence", "attributions_with_signals", "extract_attributions", "token_offsets"]

DIRECT_SHARE = 0.85  # share of content tokens inside quote marks for a quote to count as direct


@dataclass(frozen=True, slots=True)
class _Draft:
    cue: TaggedCue
    roles: TaggedRoles
    continued: bool = False  # content runs on into following quote-only paragraphs
    syntactic_source: bool = False  # source from the parse, not the tagger
    rule: str = ""  # the rule that made it, when not the taggers


def token_offsets(doc: Doc, tokens: Iterable[int]) -> Offsets:
    """Character spans of runs of consecutive tokens."""
    spans: list[tuple[int, int]] = []
    prev = -2
    for i in sorted(tokens):
        tok = doc[i]
        if i == prev + 1 and spans:
            spans[-1] = (spans[-1][0], tok.idx + len(tok.text))
        else:
            spans.append((tok.idx, tok.idx + len(tok.text)))
        prev = i
    return tuple(spans)


def _quote_type(view: DocView, content: Sequence[int]) -> QuoteType:
    inside = sum(1 for i in content if view.quote_of[i] >= 0)
    if inside >= DIRECT_SHARE * len(content):
        return "direct"
    return "mixed" if inside else "indirect"


_SUBJECTS = ("nsubj",)
_CLIMB = frozenset({"advcl", "xcomp", "conj", "acl", "ccomp", "dep", "pcomp", "prep", "pobj"})


def _syntactic_source(view: DocView, cue: tuple[int, ...], content: set[int]) -> tuple[int, ...]:
    """The cue's grammatical subject, climbing from participles ("..., saying") and conjuncts
    to the verb they hang on; used when the tagger found no source."""
    doc = view.doc
    token = doc[cue_head(view, list(cue))]
    for _ in range(3):
        # In the passive the speaker is the agent ("has been called a charlatan [by physicians]").
        for agent in (c for c in token.children if c.dep_ == "agent"):
            by = [t.i for t in agent.subtree if not t.is_space and t.i != agent.i and t.i not in content]
            if by:
                return tuple(by)
        for child in token.children:
            if child.dep_ in _SUBJECTS and child.i not in content and child.pos_ != "DET":
                subtree = [t.i for t in child.subtree if not t.is_space and t.i not in content]
                if subtree and child.lower_ not in ("it", "there", "this", "that"):
                    return tuple(subtree)
        if token.dep_ not in _CLIMB or token.head.i == token.i:
            break
        token = token.head
    return ()


def _with_sandwiched_quote(view: DocView, content: tuple[int, ...], anchor: set[int],
                           blocked: set[int]) -> tuple[int, ...]:
    """A quote split by its speaker in one sentence is said whole: '"Q1," he said, "Q2."'."""
    if not content or sum(view.quote_of[i] >= 0 for i in content) < DIRECT_SHARE * len(content):
        return content
    have = {view.quote_of[i] for i in content if view.quote_of[i] >= 0}
    first, last = min(anchor), max(anchor)
    near = {view.quote_of[i] for i in (first - 1, first - 2, last + 1, last + 2, last + 3)
            if 0 <= i < len(view.pos) and view.quote_of[i] >= 0} - have
    for qid in sorted(near):
        quote = view.quotes[qid]
        tokens = tuple(i for i in token_offsets_to_tokens(view.doc, quote.start, quote.end) if i not in blocked)
        if tokens and _beside(view, tokens, anchor, commas_only=True):
            content = tuple(sorted({*content, *tokens}))
    return content


def _whole_complement(view: DocView, content: tuple[int, ...], cue: tuple[int, ...],
                      blocked: set[int]) -> tuple[int, ...]:
    """Reported speech runs to the end of the clause the cue governs: a content that stops
    inside the cue's clausal complement ("said [that it was too early] to tell …") takes all of it."""
    head = view.doc[cue_head(view, list(cue))]
    complement = next((c for c in head.children if c.dep_ == "ccomp"), None)
    if complement is None or not content:
        return content
    clause = [t.i for t in complement.subtree if not t.is_space and t.i not in blocked]
    inside = set(content) & set(clause)
    if len(inside) < 0.5 * len(content) or sum(view.quote_of[i] >= 0 for i in content) >= DIRECT_SHARE * len(content):
        return content
    while clause and view.pos[clause[-1]] == "PUNCT" and view.quote_of[clause[-1]] < 0:
        clause.pop()
    return tuple(sorted({*content, *clause}))


def _quote_beside(view: DocView, anchor: set[int], blocked: set[int]) -> tuple[int, ...]:
    """The quote just before or after a cue and its source ("“…,” Chief Jordan said Monday.")."""
    first, last = min(anchor), max(anchor)
    for qid in sorted({view.quote_of[i] for i in range(max(0, first - 3), min(len(view.pos), last + 4))
                       if view.quote_of[i] >= 0}):
        quote = view.quotes[qid]
        tokens = tuple(i for i in token_offsets_to_tokens(view.doc, quote.start, quote.end) if i not in blocked)
        if len(tokens) >= 3 and _beside(view, tokens, anchor):
            return tokens
    return ()


def _syntactic_content(view: DocView, cue: tuple[int, ...], blocked: set[int]) -> tuple[int, ...]:
    """What a verb of saying says, read from the parse when the tagger found no content: its
    clausal complement ("said [the suing states were wrong]"). A clause before the cue
    ("[…], sources said") is left alone: on PolNeAR dev it found as many wrong as right."""
    head = view.doc[cue_head(view, list(cue))]
    if head.pos_ != "VERB" or view.lex[head.i] not in _SAYING_CLASSES:
        return ()
    complement = next((child for child in head.children if child.dep_ == "ccomp"), None)
    if complement is None:
        return ()
    tokens = [t.i for t in complement.subtree if t.i not in blocked and not t.is_space]
    while tokens and view.pos[tokens[-1]] == "PUNCT":
        tokens.pop()
    while tokens and view.pos[tokens[0]] == "PUNCT":
        tokens.pop(0)
    return tuple(tokens) if len(tokens) >= 3 else ()


def _without_stray_punctuation(view: DocView, tokens: tuple[int, ...]) -> tuple[int, ...]:
    """Drop runs of content that are nothing but punctuation (a lone closing mark, a comma)."""
    runs: list[list[int]] = []
    for i in tokens:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    kept = [run for run in runs if any(view.pos[i] != "PUNCT" for i in run)]
    return tuple(i for run in kept for i in run) if kept else tokens


_SIGNED = "quote signed with a dash and a name"
_SIGNATURE = re.compile(r"[^\S\n]*(―|—|–|--)[^\S\n]*([^\n]{2,80}?)[.\s]*?[^\S\n]*(?=\n|$)")


def _signed_quotes(view: DocView, taken: set[int]) -> list[_Draft]:
    """Quotes signed with a dash and a name at the end of their paragraph ("…” ― Jane Doe),
    the vox-pop and tweet convention: the dash is the cue, the name the source."""
    doc, drafts = view.doc, []
    for quote in view.quotes:
        m = _SIGNATURE.match(view.text, quote.end)
        if not m or not m.group(2)[:1].isupper():
            continue
        content = token_offsets_to_tokens(doc, quote.start, quote.end)
        if not content or taken.intersection(content):
            continue
        cue = token_offsets_to_tokens(doc, m.start(1), m.end(1))
        source = tuple(i for i in token_offsets_to_tokens(doc, m.start(2), m.end(2)) if i not in cue)
        content = tuple(i for i in content if i not in cue)
        if cue and source and content:
            roles = TaggedRoles(source, content, 0.9, 0.9)
            drafts.append(_Draft(TaggedCue(cue, 0.9), roles, rule=_SIGNED))
    return drafts


_LABELLED = "speaker's name and a colon before the words"
_LABEL = re.compile(r"^[^\S\n]*[\"“]?(?P<name>[^\n:\"“]{2,40}?)(?P<colon>:)[^\S\n]+(?P<words>\S[^\n]*?)[^\S\n]*$",
                    re.MULTILINE)


def _labelled_lines(view: DocView, taken: set[int]) -> list[_Draft]:
    """Lines that open with a speaker and a colon: headlines ("Pence: Flowers Won't Be at
    Debate") and transcripts ("PENCE: Well, look, …"). The name must be a person or
    organisation the NER found, or a capitalised label that opens two or more lines."""
    doc, drafts = view.doc, []
    matches = list(_LABEL.finditer(view.text))
    if not matches:
        return drafts
    labels = [m.group("name").strip() for m in matches]
    # Words of the people and organisations the NER found anywhere: "Pence" in a headline is
    # known from "Mike Pence" further down even when the NER misses it there.
    known = {t.lower_ for e in doc.ents if e.label_ in ("PERSON", "ORG") for t in e}
    for m, label in zip(matches, labels, strict=True):
        name = token_offsets_to_tokens(doc, m.start("name"), m.end("name"))
        if not name or len(name) > 4 or taken.intersection(name):
            continue
        entity = all(doc[i].text[:1].isupper() for i in name) and doc[name[-1]].lower_ in known
        transcript = label.isupper() and labels.count(label) >= 2
        if not (entity or transcript):
            continue
        cue = token_offsets_to_tokens(doc, m.start("colon"), m.end("colon"))
        content = tuple(i for i in token_offsets_to_tokens(doc, m.start("words"), m.end("words")) if i not in taken)
        if cue and len(content) >= 3:
            drafts.append(_Draft(TaggedCue(cue, 0.8), TaggedRoles(name, content, 0.8, 0.8), rule=_LABELLED))
    return drafts


_ACCORDING = "'according to' and its sentence"


def _according_to(view: DocView, taken: set[int]) -> list[_Draft]:
    """"According to X" the tagger missed: X is the source, the rest of the sentence what X
    says, whether the phrase opens the sentence or trails it (read from the surface, since
    the parser often makes "According" the root)."""
    drafts = []
    for i in range(len(view.lower) - 2):
        if view.lower[i] != "according" or view.lower[i + 1] != "to" or i in taken:
            continue
        start, end = view.sents[view.sent_of[i]]
        j = i + 2
        while j < end and view.lower[j] not in (",", ".", ";", "!", "?") and not view.space[j]:
            j += 1
        source = tuple(range(i + 2, j))
        content = [k for k in range(start, end) if not (i <= k < j) and not view.space[k] and k not in taken]
        while content and view.pos[content[-1]] == "PUNCT":
            content.pop()
        while content and view.pos[content[0]] == "PUNCT":
            content.pop(0)
        if source and len(content) >= 3 and not taken.intersection(source):
            roles = TaggedRoles(source, tuple(content), 0.7, 0.7)
            drafts.append(_Draft(TaggedCue((i, i + 1), 0.7), roles, rule=_ACCORDING))
            taken.update((*content, *source, i, i + 1))
    return drafts


_NAMING_VERBS = frozenset({"call", "label", "dub", "brand", "term"})


def _naming(view: DocView, taken: set[int]) -> list[_Draft]:
    """"X called Y a ploy": a verb of naming with an object and its predicate says something."""
    doc, drafts = view.doc, []
    for token in doc:
        if token.lemma_ not in _NAMING_VERBS or token.pos_ != "VERB" or token.i in taken:
            continue
        objects = [c for c in token.children if c.dep_ in ("dobj", "oprd")]
        if len(objects) < 2 or not any(c.dep_ == "oprd" for c in objects):
            continue
        content = tuple(sorted(t.i for c in objects for t in c.subtree if not t.is_space))
        source = _syntactic_source(view, (token.i,), set(content))
        if source and not taken.intersection((*content, *source)):
            roles = TaggedRoles(source, content, 0.6, 0.6)
            drafts.append(_Draft(TaggedCue((token.i,), 0.6), roles, syntactic_source=True,
                                 rule="a verb of naming with its object and predicate"))
            taken.update((*content, *source, token.i))
    return drafts


def token_offsets_to_tokens(doc: Doc, start: int, end: int) -> tuple[int, ...]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return tuple(t.i for t in span if not t.is_space) if span is not None else ()


def _beside(view: DocView, tokens: tuple[int, ...], anchor: set[int], commas_only: bool = False) -> bool:
    """Is the run ``tokens`` next to ``anchor`` in its paragraph, with at most punctuation
    (or only commas and colons: the same sentence) between?"""
    for step, edge in ((1, tokens[-1]), (-1, tokens[0])):
        i = edge + step
        while 0 <= i < len(view.pos) and i not in anchor and (
                (view.pos[i] == "PUNCT" and (not commas_only or view.lower[i] in (",", ":")))
                or (view.space[i] and "\n" not in view.lower[i])):
            i += step
        if i in anchor:
            return True
    return False


def _whole_quotes(view: DocView, content: tuple[int, ...], blocked: set[int],
                  anchor: set[int] = frozenset()) -> tuple[int, ...]:
    """A quote is said whole: content that covers much of a quote, or any of a quote that
    stands beside the cue or source ("…, make yourself heard. Own it," Lynch said), takes all of it."""
    touched: dict[int, int] = {}
    for i in content:
        if view.quote_of[i] >= 0:
            touched[view.quote_of[i]] = touched.get(view.quote_of[i], 0) + 1
    extra: list[int] = []
    for qid, count in touched.items():
        quote = view.quotes[qid]
        tokens = token_offsets_to_tokens(view.doc, quote.start, quote.end)
        if count < len(tokens) and (count >= 0.4 * len(tokens) or (anchor and _beside(view, tokens, anchor))):
            extra.extend(i for i in tokens if i not in blocked)
    return tuple(sorted({*content, *extra})) if extra else content


_SAYING_CLASSES = frozenset({"assert", "claim", "report", "deny", "confirm", "believe"})
MAX_QUOTE_TO_CUE = 8  # tokens from a quote's end to the verb that attributes it


def _quoted_then_cue(view: DocView, taken: set[int]) -> list[_Draft]:
    """The commonest direct quote: a quote, then its speaker and a verb of saying in the same
    paragraph ("“Will you pledge it?” he asks." / "“…,” said the ruling."), when the taggers
    missed it. The verb is the cue, its subject the source."""
    doc, drafts = view.doc, []
    for quote in view.quotes:
        content = token_offsets_to_tokens(doc, quote.start, quote.end)
        if len(content) < 3 or taken.intersection(content):
            continue
        for k in range(content[-1] + 1, min(len(view.pos), content[-1] + 1 + MAX_QUOTE_TO_CUE)):
            if "\n" in view.lower[k] or view.quote_of[k] >= 0 or k in taken:
                break
            if view.pos[k] == "VERB" and view.lex[k] in _SAYING_CLASSES:
                source = _syntactic_source(view, (k,), set(content))
                if source and not taken.intersection(source):
                    roles = TaggedRoles(source, content, 0.6, 0.6)
                    drafts.append(_Draft(TaggedCue((k,), 0.6), roles, syntactic_source=True,
                                         rule="quote followed by a verb of saying"))
                    taken.update((*content, k))
                break
    return drafts


def _one_side_of_the_cue(view: DocView, draft: _Draft) -> _Draft:
    """Content on both sides of its cue, a quote before and prose after, is one of the two.
    The quote beside its speaker was said ("“He loves us,” Melanie said, and soon the balloons
    were dropping": the rest is the writer's); a quote in an earlier sentence belongs to an
    earlier attribution, and the clause after the cue is what was said."""
    content, cue = draft.roles.content, draft.cue.tokens
    before = tuple(i for i in content if i < cue[0])
    after = tuple(i for i in content if i > cue[-1])
    if not before or not after or any(view.quote_of[i] >= 0 for i in after):
        return draft
    if sum(view.quote_of[i] >= 0 for i in before) < DIRECT_SHARE * len(before):
        return draft
    if _beside(view, before, {*cue, *draft.roles.source}):
        kept = before
    elif view.sent_of[before[-1]] != view.sent_of[cue[0]]:
        kept = after
    else:
        return draft
    roles = TaggedRoles(draft.roles.source, kept, draft.roles.source_prob, draft.roles.content_prob)
    return _Draft(draft.cue, roles, draft.continued, draft.syntactic_source, draft.rule)


_NESTING_CLASSES = frozenset({"assert", "claim", "report", "deny", "confirm"})


def _nested_cues(view: DocView, drafts: list[_Draft], taken: set[int]) -> list[TaggedCue]:
    """Reporting verbs inside another attribution's content that the tagger left out
    ("Regnum reported that officials had told aides that ..."): chains need them."""
    found = []
    for draft in drafts:
        content = draft.roles.content
        if _quote_type(view, content) == "direct":
            continue  # "I said" inside a quote is the speaker's own telling, not a new source
        for i in range(min(content), max(content) + 1):
            if i in taken or view.pos[i] != "VERB" or view.lex[i] not in _NESTING_CLASSES:
                continue
            children = view.static[i]
            if "c=ccomp" in children and ("c=nsubj" in children or "c=nsubjpass" in children):
                found.append(TaggedCue((i,), 0.5))
                taken.add(i)
    return found


def _drafts(view: DocView) -> list[_Draft]:
    cues = find_cues(view)
    cue_tokens = {i for c in cues for i in c.tokens}
    drafts = _tagged_drafts(view, cues, cue_tokens)
    nested = _nested_cues(view, drafts, set(cue_tokens))
    if nested:
        cue_tokens |= {i for c in nested for i in c.tokens}
        drafts += _tagged_drafts(view, nested, cue_tokens, rule="reporting verb inside another's content")
    taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens)}
    missed = _missed_cues(view, taken)
    if missed:
        cue_tokens |= {i for c in missed for i in c.tokens}
        drafts += _tagged_drafts(view, missed, cue_tokens, rule="verb of saying with a clause")
        taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens)}
    drafts += _quoted_then_cue(view, taken) + _according_to(view, taken) + _naming(view, taken)
    taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens)}
    drafts += _signed_quotes(view, taken)
    taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens, *d.roles.source)}
    return drafts + _labelled_lines(view, taken)


def _missed_cues(view: DocView, taken: set[int]) -> list[TaggedCue]:
    found = []
    for i in range(len(view.lower)):
        if i in taken or view.pos[i] != "VERB" or view.lex[i] not in _NESTING_CLASSES:
            continue
        if view.quote_of[i] >= 0:
            continue  # "to say it's not just …" inside a quote is the speaker's wording, not a source
        children = view.static[i]
        if "c=ccomp" in children and ("c=nsubj" in children or "c=nsubjpass" in children):
            found.append(TaggedCue((i,), 0.5))
    return found


def _tagged_drafts(view: DocView, cues: list[TaggedCue], cue_tokens: set[int], rule: str = "") -> list[_Draft]:
    drafts = []
    for cue in cues:
        roles = find_roles(view, cue.tokens, cue_tokens)
        if not roles.content:
            blocked = cue_tokens | set(roles.source)
            content = _syntactic_content(view, cue.tokens, blocked)
            how = "content from the parse (the tagger found none)"
            if not content:
                content = _quote_beside(view, {*cue.tokens, *roles.source}, blocked)
                how = "the quote beside the cue (the tagger found no content)"
            if not content:
                continue
            roles = TaggedRoles(roles.source, content, roles.source_prob, 0.5)
            rule = rule or how
        content = _without_stray_punctuation(view, roles.content)
        anchor = {*cue.tokens, *roles.source}
        content = _whole_quotes(view, content, cue_tokens | set(roles.source), anchor)
        content = _with_sandwiched_quote(view, content, anchor, cue_tokens | set(roles.source))
        content = _whole_complement(view, content, cue.tokens, cue_tokens | set(roles.source))
        roles = TaggedRoles(roles.source, content, roles.source_prob, roles.content_prob)
        syntactic = False
        if not roles.source:
            source = _syntactic_source(view, cue.tokens, set(roles.content) | cue_tokens)
            if source:
                roles = TaggedRoles(source, roles.content, 0.5, roles.content_prob)
                syntactic = True
        drafts.append(_Draft(cue, roles, syntactic_source=syntactic, rule=rule))
    return drafts


def _quote_only(view: DocView, start: int, end: int, cue_tokens: set[int], running: set[int]) -> bool:
    """A sentence that is nothing but quotation, with no cue of its own outside the marks. It
    opens with a mark, or goes on inside a quote already ``running`` ("Two polls. Both agree.")."""
    tokens = [i for i in range(start, end) if not view.space[i]]
    if not tokens:
        return False
    first, q = tokens[0], view.quote_of[tokens[0]]
    # The parser sometimes leaves a quote's opening mark at the end of the sentence before.
    opens = "qmark" in view.static[first] or (q >= 0 and view.quotes[q].start >= view.doc[first].idx - 2)
    if not opens and q not in running:
        return False
    outside = [i for i in tokens if view.quote_of[i] < 0]
    if any(i in cue_tokens for i in outside):
        return False
    return len(outside) <= max(1, len(tokens) // 10)


def _lines_after(view: DocView, sent: int) -> Iterator[tuple[int, int]]:
    """Token ranges of the sentences from ``sent`` on, also cut at line breaks (the parser
    sometimes runs a sentence on into the next paragraph)."""
    for start, end in view.sents[sent:]:
        for i in range(start, end):
            if view.space[i] and "\n" in view.lower[i]:
                if i > start:
                    yield start, i
                start = i + 1
        if start < end:
            yield start, end


def _with_continuations(view: DocView, drafts: list[_Draft]) -> list[_Draft]:
    """Quote-only sentences and paragraphs that follow a direct quote continue its speaker
    ("...," he said. "More." / a paragraph that is all quote): they join its content."""
    cue_tokens = {i for d in drafts for i in d.cue.tokens}
    claimed = {i for d in drafts for i in d.roles.content}
    out = []
    for draft in drafts:
        content = draft.roles.content
        last = max(content)
        signed = draft.rule in (_SIGNED, _LABELLED)  # the signature or the next label closes it
        if signed or (view.quote_of[last] < 0 and view.quote_of[max(0, last - 1)] < 0):
            out.append(draft)
            continue
        running = {view.quote_of[i] for i in content if view.quote_of[i] >= 0}
        extra: list[int] = []
        for start, end in _lines_after(view, view.sent_of[max(last, *draft.cue.tokens)] + 1):
            tokens = [i for i in range(start, end) if not view.space[i]]
            if not _quote_only(view, start, end, cue_tokens, running) or claimed.intersection(tokens):
                break
            extra.extend(tokens)
            running.update(view.quote_of[i] for i in tokens if view.quote_of[i] >= 0)
        if extra:
            claimed.update(extra)
            roles = TaggedRoles(draft.roles.source, tuple(sorted({*content, *extra})),
                                draft.roles.source_prob, draft.roles.content_prob)
            draft = _Draft(draft.cue, roles, True, draft.syntactic_source, draft.rule)
        out.append(draft)
    return out


def _hull(spans: Offsets) -> tuple[int, int]:
    return spans[0][0], spans[-1][1]


MAX_NESTED_GAP = 40  # characters: a cue in a longer gap of a content is beside it, not inside


def _holds(spans: Offsets, start: int, end: int) -> bool:
    """Does content ``spans`` hold [start, end): inside a span, or in a short gap between two?"""
    for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
        if e1 <= start and end <= s2 and s2 - e1 <= MAX_NESTED_GAP:
            return True
    return any(s <= start and end <= e for s, e in spans)


def _parents(attributions: list[Attribution]) -> list[str | None]:
    """Each attribution's parent: the one whose content holds its cue most tightly."""
    hulls = [_hull(a.content.spans) for a in attributions]
    parents: list[str | None] = []
    for a in attributions:
        cue_start, cue_end = _hull(a.cue.spans)
        best: tuple[int, str] | None = None
        for b, (hs, he) in zip(attributions, hulls, strict=True):
            if b is a or not _holds(b.content.spans, cue_start, cue_end):
                continue
            if best is None or he - hs < best[0]:
                best = (he - hs, b.id)
        parents.append(best[1] if best else None)
    return parents


def _without_duplicates(drafts: list[_Draft]) -> list[_Draft]:
    """Two cues claiming (nearly) the same content: it is said once, keep the surer cue.
    A content inside a larger one is a nested attribution, not a duplicate."""
    kept: list[_Draft] = []
    for draft in sorted(drafts, key=lambda d: -d.cue.prob):
        content = set(draft.roles.content)
        if any(len(content & set(k.roles.content)) >= 0.8 * max(len(content), len(k.roles.content))
               for k in kept):
            continue
        kept.append(draft)
    return sorted(kept, key=lambda d: d.cue.tokens[0])


def extract_attributions(doc: Doc, entities: Sequence[Entity], min_confidence: float | None = None) -> list[Attribution]:
    """The attributions at or above ``min_confidence`` (None: the threshold fitted by ``make train``)."""
    threshold = fitted_threshold() if min_confidence is None else min_confidence
    return above_confidence([a for a, _ in attributions_with_signals(doc, entities)], threshold)


def above_confidence(attributions: Sequence[Attribution], threshold: float) -> list[Attribution]:
    """Keep those at or above ``threshold``, numbered again in order. Nested attributions are
    kept whatever their confidence: the chain (article → agency → "diplomatic channels") is
    what a reader follows, and its confidence still says how sure it is (on PolNeAR dev,
    whose annotators split chains differently, this costs 0.006 end-to-end F1). A child whose
    parent is dropped hangs on its nearest kept ancestor, so chains stay walkable."""
    kept = [a for a in attributions if a.confidence >= threshold or a.parent is not None]
    if len(kept) == len(attributions):
        return list(attributions)
    parent_of = {a.id: a.parent for a in attributions}
    new_id = {a.id: f"a{n}" for n, a in enumerate(kept, start=1)}

    def kept_ancestor(parent: str | None) -> str | None:
        while parent is not None and parent not in new_id:
            parent = parent_of.get(parent)
        return new_id.get(parent) if parent is not None else None

    return [dataclasses.replace(a, id=new_id[a.id], parent=kept_ancestor(a.parent)) for a in kept]


def attributions_with_signals(doc: Doc, entities: Sequence[Entity]) -> list[tuple[Attribution, Signals]]:
    """The attributions and what their confidence was computed from (for calibration)."""
    view = doc_view(doc)
    drafts = _with_continuations(view, _without_duplicates(_drafts(view)))
    drafts = [_one_side_of_the_cue(view, d) for d in drafts]
    resolver = SpeakerResolver(doc, entities, view.quotes)
    text = view.text
    records: list[Attribution] = []
    resolved: list[bool] = []
    for n, draft in enumerate(drafts, start=1):
        cue_spans = token_offsets(doc, draft.cue.tokens)
        content_spans = token_offsets(doc, draft.roles.content)
        source: Source | None = None
        evidence = ([f"rule: {draft.rule}"] if draft.rule else
                    [f"crf cue p={draft.cue.prob:.2f}", f"crf content p={draft.roles.content_prob:.2f}"])
        if draft.continued:
            evidence.append("quote runs on into following quote-only paragraphs")
        if draft.roles.source:
            resolution = resolver.resolve(draft.roles.source, draft.cue.tokens[0])
            spans = token_offsets(doc, draft.roles.source)
            source = Source(spans, spans_text(text, spans), resolution.entity, resolution.kind, resolution.roles)
            evidence.append("source from the cue's subject (parse)" if draft.syntactic_source
                            else "source named by the rule" if draft.rule in (_SIGNED, _LABELLED, _ACCORDING)
                            else f"crf source p={draft.roles.source_prob:.2f}")
            evidence.append(resolution.how)
        else:
            evidence.append("no source in text")
        resolved.append(source is not None and source.entity is not None)
        records.append(
            Attribution(
                id=f"a{n}",
                source=source,
                cue=Cue(cue_spans, spans_text(text, cue_spans)),
                content=Content(content_spans, spans_text(text, content_spans)),
                type=_quote_type(view, draft.roles.content),
                stance=stance_of(doc, draft.cue.tokens, draft.roles.content),
                evidence="; ".join(evidence),
            )
        )
    out = []
    for a, draft, parent, is_resolved in zip(records, drafts, _parents(records), resolved, strict=True):
        signals = Signals(
            cue_p=draft.cue.prob, content_p=draft.roles.content_prob, source_p=draft.roles.source_prob,
            has_source=a.source is not None, syntactic_source=draft.syntactic_source,
            rule=bool(draft.rule), nested=parent is not None, direct=a.type == "direct",
            resolved=is_resolved, content_tokens=len(draft.roles.content),
            cue_tokens=len(draft.cue.tokens), cue_in_lexicon=bool(view.lex[cue_head(view, list(draft.cue.tokens))]),
        )
        confidence = round(min(1.0, max(0.0, calibrated(signals))), 3)
        out.append((Attribution(a.id, a.source, a.cue, a.content, a.type, parent, a.stance, confidence,
                                a.evidence), signals))
    return out
