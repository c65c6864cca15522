"""Attributions: cues and roles from the learned taggers, made into contract records.

Per document: tag cues; for each cue tag its source and content; drop cues without content;
classify direct / indirect / mixed from the quote marks; resolve the source to an entity;
read the stance; link nested attributions to their parent; number them in text order.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import accumulate

from spacy.tokens import Doc

from ..records import Attribution, Content, Cue, Entity, Offsets, Source, spans_text
from .confidence import Signals, calibrated, fitted_threshold
from .features import DocView, cue_head, doc_view, lines
from .learned import TaggedCue, TaggedRoles, find_cues, find_roles
from .rules import (ACCORDING, LABELLED, POLL, POSTPOSED, SIGNED, according_source, according_to, in_a_poll,
                    labelled_lines, missed_cues, naming, nested_cues, postposed_speaker, quoted_then_cue, reportedly,
                    sibling_cues, signed_quotes, within_according_to)
from .shaping import (MADE_PLAIN, MAX_DATELINE, SAYING_CLASSES, Draft, addressee_unsourced, as_clause_content,
                      asks_anonymity, beside, block_quote, clause_before, conduit, inverted_speaker, made_plain_clause,
                      name_after, name_before, object_content, on_the_cues_side,
                      one_side_of_the_cue, pro_form_content, quote_beside, quote_type, raised_subject,
                      said_before_it, shared_speakers, speaker_after, subject_in_content, syntactic_content,
                      syntactic_source, that_clause_after, trimmed, whole_complement, whole_quotes, whole_words,
                      with_sandwiched_quote, without_antecedent, without_closing_aside, without_dateline,
                      without_expletive, without_leading_punctuation, without_source_clause,
                      without_stray_punctuation, without_trailing_punctuation)
from .speakers import SpeakerResolver
from .stance import stance_of

__all__ = ["above_confidence", "attributions_with_signals", "extract_attributions", "taggers", "token_offsets"]

# Rules of this module, by name (in ``evidence``); the confidence model tells them apart.
NESTED_VERB = "reporting verb inside another's content"
MISSED_VERB = "verb of saying with a clause"
PARSE_CONTENT = "content from the parse (the tagger found none)"
THAT_AFTER = "the \"that\" clause after the verb (the tagger found no content)"
AS_CLAUSE = "the clause an \"as X said\" aside interrupts (the tagger found no content)"
QUOTE_CONTENT = "the quote beside the cue (the tagger found no content)"
OBJECT_CONTENT = "the verb's object (the tagger found no content)"
PRO_FORM = "a word standing for the claim (\"said as much\"; the tagger found no content)"
CLAUSE_BEFORE = "the sentence before a postposed speaker (the tagger found no content)"
SIBLING_VERB = "participle or conjunct of saying on another cue"
INVERTED = "an inverted verb of saying before a bare speaker (\"…, claims pundit\")"

_NAMING_RULES = frozenset({SIGNED, LABELLED, ACCORDING, POSTPOSED, POLL})  # rules that name the source


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


FindCues = Callable[[DocView], list[TaggedCue]]
FindRoles = Callable[[DocView, Sequence[tuple[int, ...]], set[int]], list[TaggedRoles]]


def _crf_roles(view: DocView, cues: Sequence[tuple[int, ...]], cue_tokens: set[int]) -> list[TaggedRoles]:
    return [find_roles(view, cue, cue_tokens) for cue in cues]


def taggers(name: str) -> tuple[FindCues, FindRoles]:
    """The cue tagger and the role tagger called ``name`` in ``settings.TAGGERS``."""
    if name == "crf":
        return find_cues, _crf_roles
    if name == "encoder":
        from .encoder import encoder_find_cues, encoder_find_roles  # torch loads only for those who ask

        return encoder_find_cues, lambda view, cues, _: encoder_find_roles(view, cues)
    raise ValueError(f"unknown tagger {name!r}")


def _drafts(view: DocView, tagger: str) -> list[Draft]:
    tag_cues, tag_roles = taggers(tagger)
    cues = tag_cues(view)
    cue_tokens = {i for c in cues for i in c.tokens}
    drafts = _tagged_drafts(view, cues, cue_tokens, tag_roles)
    nested = nested_cues(view, drafts, set(cue_tokens))
    if nested:
        cue_tokens |= {i for c in nested for i in c.tokens}
        drafts += _tagged_drafts(view, nested, cue_tokens, tag_roles, rule=NESTED_VERB)
    siblings = sibling_cues(view, drafts, set(cue_tokens))
    if siblings:
        cue_tokens |= {i for c in siblings for i in c.tokens}
        drafts = [_before_siblings(view, d, siblings) for d in drafts]
        drafts += _tagged_drafts(view, siblings, cue_tokens, tag_roles, rule=SIBLING_VERB)
    taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens)}
    missed = missed_cues(view, taken)
    if missed:
        cue_tokens |= {i for c in missed for i in c.tokens}
        drafts += _tagged_drafts(view, missed, cue_tokens, tag_roles, rule=MISSED_VERB)
        taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens)}
    drafts += (quoted_then_cue(view, taken) + according_to(view, taken) + naming(view, taken)
               + postposed_speaker(view, taken) + in_a_poll(view, taken) + reportedly(view, taken))
    taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens)}
    drafts += signed_quotes(view, taken)
    taken = {i for d in drafts for i in (*d.roles.content, *d.cue.tokens, *d.roles.source)}
    return drafts + labelled_lines(view, taken)


def _before_siblings(view: DocView, draft: Draft, siblings: list[TaggedCue]) -> Draft:
    """The content of a cue stops where a participle or conjunct of saying on it begins."""
    head = cue_head(view, list(draft.cue.tokens))
    starts = [view.doc[c.tokens[0]].left_edge.i for c in siblings if view.head[c.tokens[0]] == head]
    if not starts:
        return draft
    kept = without_trailing_punctuation(view, [i for i in draft.roles.content if i < min(starts)],
                                        also=frozenset({"CCONJ"}))
    if not kept:
        return draft
    return dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, content=kept))


def _tagged_drafts(view: DocView, cues: list[TaggedCue], cue_tokens: set[int], tag_roles: FindRoles,
                   rule: str = "") -> list[Draft]:
    drafts = []
    for cue, roles in zip(cues, tag_roles(view, [c.tokens for c in cues], cue_tokens), strict=True):
        made_by = rule  # per cue: a fallback for one cue says nothing of the next
        source, content = inverted_speaker(view, cue.tokens)
        if content and (source, content) != (roles.source, roles.content):
            # A content the tagger never gave counts as a fallback's does (0.5), not as none.
            roles = dataclasses.replace(roles, source=source, content=content,
                                        content_prob=roles.content_prob if roles.content else 0.5)
            made_by = rule or INVERTED
        if roles.source:
            roles = dataclasses.replace(roles, source=on_the_cues_side(view, roles.source, cue.tokens))
            roles = within_according_to(view, cue.tokens, roles)
        if not roles.content:
            content, how = _fallback_content(view, cue.tokens, roles.source, cue_tokens | set(roles.source))
            if not content:
                continue
            roles = dataclasses.replace(roles, content=content, content_prob=0.5)
            made_by = rule or how
        content = without_stray_punctuation(view, roles.content)
        anchor = {*cue.tokens, *roles.source}
        content = whole_quotes(view, content, cue_tokens | set(roles.source), anchor)
        content = with_sandwiched_quote(view, content, anchor, cue_tokens | set(roles.source))
        content = block_quote(view, content, cue.tokens)
        if roles.tagger == "crf":  # the encoder's contents reach the clause's end by themselves (held-out +0.006)
            content = whole_complement(view, content, cue.tokens, cue_tokens | set(roles.source))
            content = without_closing_aside(view, content, cue.tokens)
        content = made_plain_clause(view, content, cue.tokens, cue_tokens | set(roles.source))
        # The role tagger may mark words of the cue itself ("has made [it clear that] …"); a
        # word is never both what is said and the saying of it (nor is it in PolNeAR's gold).
        content = without_expletive(view, tuple(i for i in content if i not in cue.tokens), cue.tokens)
        content = said_before_it(view, content, cue.tokens)
        content = tuple(without_dateline(view, content, MAX_DATELINE))  # a wire report's first sentence
        if not content:
            continue
        roles = dataclasses.replace(roles, content=content)
        syntactic = False
        if not roles.source:
            source = _fallback_source(view, cue.tokens, roles.content, cue_tokens)
            if source:
                content = tuple(i for i in roles.content if i not in source)
                if not content:  # the content was all speaker: "follows a banker-turned-informant who …"
                    continue
                roles = dataclasses.replace(roles, source=source, content=content, source_prob=0.5)
                syntactic = True
        if roles.source:
            unraised = addressee_unsourced(view, cue.tokens, raised_subject(view, cue.tokens, roles))
            syntactic = syntactic and bool(unraised.source)
            roles = unraised
        way = conduit(view, cue.tokens, roles.source)
        if way and (content := trimmed(view, [i for i in roles.content if i not in way])):
            cue = dataclasses.replace(cue, tokens=tuple(sorted({*cue.tokens, *way})))
            roles = dataclasses.replace(roles, content=content)
        drafts.append(Draft(cue, roles, syntactic_source=syntactic, rule=made_by))
    return drafts


def _fallback_content(view: DocView, cue: tuple[int, ...], source: tuple[int, ...],
                      blocked: set[int]) -> tuple[tuple[int, ...], str]:
    """A content for a cue the role tagger left without one, and the rule that found it: the
    parse's clause, the clause an "as X said" interrupts, a "that"-clause the parser hung
    elsewhere, the quote beside it, the sentence before a postposed speaker, the object."""
    for find, how in ((lambda: syntactic_content(view, cue, blocked), PARSE_CONTENT),
                      (lambda: as_clause_content(view, cue, blocked), AS_CLAUSE),
                      (lambda: that_clause_after(view, cue, blocked), THAT_AFTER),
                      (lambda: quote_beside(view, {*cue, *source}, blocked), QUOTE_CONTENT),
                      (lambda: clause_before(view, cue, source, blocked), CLAUSE_BEFORE),
                      (lambda: pro_form_content(view, cue, blocked), PRO_FORM),
                      (lambda: object_content(view, cue, blocked), OBJECT_CONTENT)):
        content = find()
        if content:
            return content, how
    return (), ""


def _fallback_source(view: DocView, cue: tuple[int, ...], content: tuple[int, ...],
                     cue_tokens: set[int]) -> tuple[int, ...]:
    """A source for a cue the role tagger left without one: X of "according to X", else the
    speaker right after a postposed verb, else the parse's subject, else the name just before
    the verb. Between a quote and its cue, a content may have swallowed its speaker: "…,” Flynn,
    a top Trump surrogate, said" (the parser made Flynn an apposition inside the quote, and the
    show in 'on Fox News's “Fox and Friends”' the verb's subject): that name comes first."""
    source = according_source(view, cue[0]) if len(cue) == 2 else ()
    source = (source or speaker_after(view, cue) or subject_in_content(view, cue, content)
              or name_after(view, cue, content))
    if source:  # taken out of the content that swallowed it
        return source
    quoted = [i for i in content if view.quote_of[i] >= 0 and i < cue[0]]
    tail = {i for i in content if quoted and quoted[-1] < i < cue[0]}
    before = name_before(view, cue, (set(content) - tail) | cue_tokens)
    if tail.intersection(before):  # the name the content swallowed beats the parse's subject
        return before
    return syntactic_source(view, cue, set(content) | cue_tokens) or before


def _quote_only(view: DocView, start: int, end: int, cue_tokens: set[int], running: set[int]) -> bool:
    """A sentence that is nothing but quotation, with no cue of its own outside the marks. It
    opens with a mark, or goes on inside a quote already ``running`` ("Two polls. Both agree.")."""
    tokens = [i for i in range(start, end) if not view.space[i]]
    if not tokens:
        return False
    first, q = tokens[0], view.quote_of[tokens[0]]
    # The parser sometimes leaves a quote's opening mark at the end of the sentence before.
    opens = view.is_mark[first] or (q >= 0 and view.quotes[q].start >= view.doc[first].idx - 2)
    if not opens and q not in running:
        return False
    outside = [i for i in tokens if view.quote_of[i] < 0]
    if any(i in cue_tokens for i in outside):
        return False
    return len(outside) <= max(1, len(tokens) // 10)


def _own_last_quote(view: DocView, draft: Draft) -> bool:
    """Is the last quote of the content beside the draft's cue or source? Only its speaker goes
    on in the next quote: "Mrs. Clinton has shied away from [...] ''It's tinkering,'' said Alan
    Cole. ''I wouldn't call it reform.''" continues Cole, whose quote a wide content also took."""
    last = view.quote_of[max(draft.roles.content)]
    if last < 0:
        last = view.quote_of[max(draft.roles.content) - 1]
    tokens = tuple(i for i in draft.roles.content if view.quote_of[i] == last)
    return bool(tokens) and beside(view, tokens, {*draft.cue.tokens, *draft.roles.source})


def _with_continuations(view: DocView, drafts: list[Draft]) -> list[Draft]:
    """Quote-only sentences and paragraphs that follow a direct quote continue its speaker
    ("...," he said. "More." / a paragraph that is all quote): they join its content."""
    cue_tokens = {i for d in drafts for i in d.cue.tokens}
    # Who claims each content token, by the quotes its cue sits in: a cue inside the quote that
    # runs on ("I wouldn't call it reform") is reported by the speaker and does not stop it.
    claimed: dict[int, set[int]] = {}
    for d in drafts:
        inside = {view.quote_of[i] for i in d.cue.tokens}
        for i in d.roles.content:
            claimed.setdefault(i, set()).update(inside)
    out: dict[int, Draft] = {}
    # The speaker beside the quote goes first: a wide content that took the quote too
    # ("Mrs. Clinton has shied away from [...] ''It's tinkering,'' said Alan Cole.") does not
    # take what Cole goes on to say.
    for k in sorted(range(len(drafts)), key=lambda k: not _own_last_quote(view, drafts[k])):
        draft = drafts[k]
        content = draft.roles.content
        last = max(content)
        signed = draft.rule in (SIGNED, LABELLED)  # the signature or the next label closes it
        postposed = last < min(draft.cue.tokens)  # "..., Schiff said." goes on in the quote after
        if signed or (view.quote_of[last] < 0 and view.quote_of[max(0, last - 1)] < 0 and not postposed):
            out[k] = draft
            continue
        running = {view.quote_of[i] for i in content if view.quote_of[i] >= 0}
        extra: list[int] = []
        for start, end in lines(view, view.sent_of[max(last, *draft.cue.tokens)] + 1):
            tokens = [i for i in range(start, end) if not view.space[i]]
            if not _quote_only(view, start, end, cue_tokens, running):
                break
            quotes_here = {view.quote_of[i] for i in tokens if view.quote_of[i] >= 0}
            if any(claimed.get(i, set()) - quotes_here for i in tokens):
                break
            extra.extend(tokens)
            running.update(quotes_here)
        if extra:
            for i in extra:
                claimed.setdefault(i, set()).add(-1)
            roles = dataclasses.replace(draft.roles, content=tuple(sorted({*content, *extra})))
            draft = Draft(draft.cue, roles, True, draft.syntactic_source, draft.rule)
        out[k] = draft
    return [out[k] for k in range(len(drafts))]


def _one_speaker_two_cues(view: DocView, drafts: list[Draft]) -> list[Draft]:
    """Two cues of one speaker that the tagger gave the same words split them by the cues'
    order: "X said [A], saying, [“Q”]" and "“Q1,” Cruz said, adding: “Q2”" give what precedes
    the first cue to it and what follows the second to the second."""
    contents = [set(d.roles.content) for d in drafts]
    hulls = [(min(c), max(c)) for c in contents]
    # Only contents that overlap can share words: sweep by start, as far as the first one reaches
    # (a page of 3,000 quotes took seconds comparing every pair).
    by_start = sorted(range(len(drafts)), key=lambda k: hulls[k][0])
    for a, ka in enumerate(by_start):
        for kb in by_start[a + 1:]:
            if hulls[kb][0] > hulls[ka][1]:
                break
            k1, k2 = sorted((ka, kb), key=lambda k: min(drafts[k].cue.tokens))
            d1, d2 = drafts[k1], drafts[k2]
            shared = contents[k1] & contents[k2]
            if not shared or not set(d1.roles.source) & set(d2.roles.source):
                continue
            if contents[k1] & set(d2.cue.tokens) or contents[k2] & set(d1.cue.tokens):
                continue  # nested: "Adelson declared [that he found [Trump charming]]" reports a report
            first_cue, second_cue = min(d1.cue.tokens), max(d2.cue.tokens)
            to_first = {i for i in shared if i < first_cue}
            to_second = {i for i in shared if i > second_cue}
            if contents[k2] - to_first and contents[k1] - to_second:
                contents[k2] -= to_first
                contents[k1] -= to_second
    out = []
    for draft, content in zip(drafts, contents, strict=True):
        if len(content) < len(draft.roles.content):
            kept = without_trailing_punctuation(view, sorted(content))
            if kept:
                draft = dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, content=kept))
        out.append(draft)
    return out


def _without_closing_according_to(view: DocView, drafts: list[Draft]) -> list[Draft]:
    """A content that ends on another attribution's "according to X" stops before it, and X
    reports the whole of it: in "K said [the regime was ready], according to Regnum", Regnum is
    not what K said; Regnum says that K said it (the chain: article → Regnum → K)."""
    closers = {d.cue.tokens[0]: set(d.roles.source) for d in drafts
               if len(d.cue.tokens) > 1 and view.lower[d.cue.tokens[0]] == "according"}
    if not closers:
        return drafts
    reported: dict[int, tuple[int, ...]] = {}  # the "according" token -> what its X reports
    out = []
    for draft in drafts:
        content = draft.roles.content
        for k, i in enumerate(content):
            if i in closers and i > max(draft.cue.tokens) and k and all(
                    j in closers[i] or view.pos[j] in ("PUNCT", "ADP") for j in content[k + 1:]):
                kept = without_trailing_punctuation(view, content[:k])
                if kept:
                    draft = dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, content=kept))
                    start = min((*draft.roles.source, *draft.cue.tokens, *kept))
                    reported[i] = tuple(j for j in range(start, max(kept) + 1) if not view.space[j])
                break
        out.append(draft)
    return [dataclasses.replace(d, roles=dataclasses.replace(d.roles, content=reported[d.cue.tokens[0]]))
            if d.cue.tokens[0] in reported and set(d.roles.content) <= set(reported[d.cue.tokens[0]]) else d
            for d in out]


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
    """Each attribution's parent: the one whose content holds its cue most tightly (the first
    in text order among equals). Contents are scanned by start, back from the cue, only while
    some earlier content still reaches it: linear for the usual side-by-side attributions,
    where comparing every pair made a 2,000-quote page take seconds."""
    hulls = [_hull(a.content.spans) for a in attributions]
    order = sorted(range(len(attributions)), key=lambda k: hulls[k][0])
    starts = [hulls[k][0] for k in order]
    reach = list(accumulate((hulls[k][1] for k in order), max))  # furthest end so far, by start
    parents: list[str | None] = []
    for index, a in enumerate(attributions):
        cue_start, cue_end = _hull(a.cue.spans)
        best: tuple[int, int] | None = None  # (hull length, index)
        j = bisect_right(starts, cue_start) - 1
        while j >= 0 and reach[j] >= cue_end:
            k = order[j]
            hs, he = hulls[k]
            if k != index and he >= cue_end and _holds(attributions[k].content.spans, cue_start, cue_end):
                best = min(best or (he - hs, k), (he - hs, k))
            j -= 1
        parents.append(attributions[best[1]].id if best else None)
    return parents


def _cues_inside_contents(drafts: list[Draft]) -> set[int]:
    """``id`` of the drafts whose cue lies within another draft's reach, from the first token
    of its cue or content to the last: "Earnest said that Obama has long called for …" and
    "He told the crowd that he wants …" report a report."""
    hulls = sorted((min(*d.roles.content, *d.cue.tokens), max(*d.roles.content, *d.cue.tokens), k)
                   for k, d in enumerate(drafts))
    starts = [h[0] for h in hulls]
    best: list[tuple[tuple[int, int], tuple[int, int]]] = []  # the two furthest (end, draft) so far
    top = ((-1, -1), (-1, -1))
    for _, end, k in hulls:
        if (end, k) > top[0]:
            top = ((end, k), top[0])
        elif (end, k) > top[1]:
            top = (top[0], (end, k))
        best.append(top)
    found = set()
    for k, d in enumerate(drafts):
        first, last = min(d.cue.tokens), max(d.cue.tokens)
        j = bisect_right(starts, first - 1) - 1  # contents starting before the cue
        if j < 0:
            continue
        (end1, k1), (end2, _) = best[j]
        if (end1 if k1 != k else end2) > last:
            found.add(id(d))
    return found


def _in_whole_words(view: DocView, draft: Draft) -> Draft:
    cue, roles = set(draft.cue.tokens), draft.roles
    source = whole_words(view, roles.source, cue | set(roles.content))
    content = whole_words(view, roles.content, cue | set(source))
    if (source, content) == (roles.source, roles.content):
        return draft
    return dataclasses.replace(draft, roles=dataclasses.replace(roles, source=source, content=content))


def _opening_with_a_word(view: DocView, draft: Draft) -> Draft:
    content = without_leading_punctuation(view, draft.roles.content)
    if content == draft.roles.content:
        return draft
    return dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, content=content))


def _without_source_clause(view: DocView, draft: Draft) -> Draft:
    content = without_source_clause(view, draft.roles.content, draft.roles.source, draft.cue.tokens)
    content = without_antecedent(view, content, draft.roles.source)
    if content == draft.roles.content:
        return draft
    return dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, content=content))


# Participles by which a reporter names where it has the news from. PolNeAR annotates "…, the
# agency reported, citing unnamed diplomatic channels" as two attributions of the agency, the
# second with the channels as its content; the chain article → agency → channels needs the
# channels as the first one's source in turn.
_CITING = frozenset({"cite", "quote"})
_CITED_KINDS = frozenset({"person", "organization", "outlet", "group", "anonymous", "document"})


def _citing_participles(view: DocView, drafts: Sequence[Draft]) -> dict[int, int]:
    """Index of each draft a citing participle hangs on → index of that participle's draft,
    when what it cites is a noun phrase ("citing sources", not "citing that …" or "citing
    him as saying …"); also a citing relative clause on the reporter's name ("According to
    the Mirror, [which quoted state TV], …")."""
    heads = {cue_head(view, list(d.cue.tokens)): k for k, d in enumerate(drafts)}
    named = {i: k for k, d in enumerate(drafts) for i in d.roles.source}
    out: dict[int, int] = {}
    for k, draft in enumerate(drafts):
        head = cue_head(view, list(draft.cue.tokens))
        if view.lemma[head] not in _CITING or not draft.roles.content:
            continue
        if view.doc[head].tag_ == "VBG":
            reporter = heads.get(view.head[head])
        elif view.dep[head] == "relcl":
            reporter = named.get(view.head[head])
        else:
            continue
        if reporter is None or reporter == k or reporter in out:
            continue
        if any(view.pos[i] in ("VERB", "AUX") for i in draft.roles.content):
            continue
        out[reporter] = k
    return out


def _relayed_speakers(view: DocView, drafts: Sequence[Draft]) -> dict[int, int]:
    """Index of each draft whose content is itself someone's saying → that saying's draft:
    "[North Korea has made it clear that …], reported Regnum", "according to the broadcaster,
    [Korotchenko added that …]". The reporter has the news from that speaker, the next link of
    its chain, whether or not the inner attribution clears the confidence cut (PolNeAR marks
    none inside another's content, so the fitted model keeps few)."""
    out: dict[int, int] = {}
    speaking_from: dict[int, list[int]] = {}  # a source's first token → the drafts it speaks in
    for n, other in enumerate(drafts):
        if other.roles.source:
            speaking_from.setdefault(min(other.roles.source), []).append(n)
    for k, draft in enumerate(drafts):
        content = draft.roles.content
        if not content or quote_type(view, content) == "direct":
            continue
        first = next((i for i in content if view.lower[i] != "that"), -1)
        speakers, inside = speaking_from.get(first, ()), set(content)
        for n in speakers:
            other = drafts[n]
            source = other.roles.source
            if n == k or min(other.cue.tokens) < max(source):
                continue
            if not _says_it(view, other.cue.tokens):
                continue  # "[Clinton plans to visit …], according to an aide": a plan, not a source
            if inside.issuperset(other.cue.tokens) and inside.issuperset(source):
                out[k] = n
                break
    return out


def _says_it(view: DocView, cue: tuple[int, ...]) -> bool:
    """A verb of saying (or "made it clear"), done, not wanted or to come ("would declare")."""
    head = cue_head(view, list(cue))
    said = view.lex[head] in SAYING_CLASSES or (view.lemma[head] == "make"
                                                and any(view.lower[i] in MADE_PLAIN for i in cue))
    return said and view.pos[head] == "VERB" and not any(c.tag_ == "MD" for c in view.doc[head].children)


def _someone_else(view: DocView, tokens: tuple[int, ...], said_by: Source, reporter: Source | None) -> bool:
    """Whether the inner speaker is not the reporter: "she said [she recalls …]" relays no one.
    A pronoun counts only when it was resolved, and to another entity."""
    if said_by.entity is None:
        return not (len(tokens) == 1 and view.pos[tokens[0]] == "PRON")
    return reporter is None or said_by.entity != reporter.entity


def _cited_source(doc: Doc, resolver: SpeakerResolver, citing: Draft, reporter: Source | None) -> Source | None:
    """What a citing participle names, as a source, when it is one: "citing unnamed diplomatic
    channels" (anonymous), "citing a ministry memo" (a document), not "citing his Iowa results".
    Never the reporter itself: "the Mirror, which quoted state TV" cites some broadcaster, not
    the outlet named last."""
    resolution = resolver.describe(citing.roles.content, citing.cue.tokens[0])
    if resolution.kind not in _CITED_KINDS:
        return None
    root = doc[min(citing.roles.content): max(citing.roles.content) + 1].root
    if resolution.kind == "document" and any(c.lower_ == "of" for c in root.children):
        return None  # "citing the release of political prisoners": a reason, not a press release
    entity = resolution.entity if reporter is None or resolution.entity != reporter.entity else None
    spans = token_offsets(doc, citing.roles.content)
    return Source(spans, spans_text(doc.text, spans), entity, resolution.kind, resolution.roles if entity else ())


def _without_duplicates(drafts: list[Draft]) -> list[Draft]:
    """Two cues claiming (nearly) the same content: it is said once, keep the surer cue.
    A content inside a larger one is a nested attribution, not a duplicate."""
    kept: list[Draft] = []
    owners: dict[int, list[int]] = {}  # content token -> kept drafts holding it
    inner = _cues_inside_contents(drafts)
    for draft in sorted(drafts, key=lambda d: (id(d) in inner, -d.cue.prob)):
        content = set(draft.roles.content)
        sharing = {k for i in content for k in owners.get(i, ())}  # only these can be duplicates
        if any(len(content & set(kept[k].roles.content)) >= 0.8 * max(len(content), len(kept[k].roles.content))
               for k in sharing):
            continue
        for i in content:
            owners.setdefault(i, []).append(len(kept))
        kept.append(draft)
    return sorted(kept, key=lambda d: d.cue.tokens[0])


def extract_attributions(doc: Doc, entities: Sequence[Entity], min_confidence: float | None = None,
                         tagger: str = "crf", text: str | None = None) -> list[Attribution]:
    """The attributions at or above ``min_confidence`` (None: the threshold fitted for ``tagger``).
    ``text`` is ``doc.text`` where the caller has it already."""
    threshold = fitted_threshold(tagger) if min_confidence is None else min_confidence
    return above_confidence([a for a, _ in attributions_with_signals(doc, entities, tagger, text)], threshold)


def above_confidence(attributions: Sequence[Attribution], threshold: float) -> list[Attribution]:
    """Keep those at or above ``threshold``, numbered again in order. A child whose parent is
    dropped hangs on its nearest kept ancestor, so chains stay walkable. Nested attributions
    are cut like the others: kept whatever their confidence, they cost 0.012 end-to-end F1 on
    dev and 0.015 on held-out train articles, and most of those under the cut are fragments
    ("that [had been announced]") rather than links of a chain."""
    kept = [a for a in attributions if a.confidence >= threshold]
    if len(kept) == len(attributions):
        return list(attributions)
    parent_of = {a.id: a.parent for a in attributions}
    new_id = {a.id: f"a{n}" for n, a in enumerate(kept, start=1)}

    def kept_ancestor(parent: str | None) -> str | None:
        while parent is not None and parent not in new_id:
            parent = parent_of.get(parent)
        return new_id.get(parent) if parent is not None else None

    return [dataclasses.replace(a, id=new_id[a.id], parent=kept_ancestor(a.parent)) for a in kept]


def attributions_with_signals(doc: Doc, entities: Sequence[Entity], tagger: str = "crf",
                              text: str | None = None) -> list[tuple[Attribution, Signals]]:
    """The attributions and what their confidence was computed from (for calibration)."""
    view = doc_view(doc, text=text)
    drafts = _without_duplicates(shared_speakers(view, _drafts(view, tagger)))
    # One side of the cue first: a quote runs on past its speaker's tail only once the prose
    # after the cue is gone ("“…,” McKinnon says, dressed as Clinton. “I haven't won …”").
    drafts = _with_continuations(view, [one_side_of_the_cue(view, d) for d in drafts])
    drafts = [_in_whole_words(view, one_side_of_the_cue(view, d)) for d in _one_speaker_two_cues(view, drafts)]
    drafts = [_without_source_clause(view, d) for d in _without_closing_according_to(view, drafts)
              if not asks_anonymity(view, d.roles.content)]
    drafts = [d for d in map(partial(_opening_with_a_word, view), drafts) if d.roles.content]
    resolver = SpeakerResolver(doc, entities, view.quotes, view.sent_of)
    text = view.text
    citing = _citing_participles(view, drafts)
    records: list[Attribution] = []
    resolved: list[bool] = []
    for n, draft in enumerate(drafts, start=1):
        cue_spans = token_offsets(doc, draft.cue.tokens)
        content_spans = token_offsets(doc, draft.roles.content)
        source: Source | None = None
        evidence = ([f"rule: {draft.rule}"] if draft.rule else
                    [f"{draft.cue.tagger} cue p={draft.cue.prob:.2f}", f"{draft.roles.tagger} content p={draft.roles.content_prob:.2f}"])
        if draft.continued:
            evidence.append("quote runs on into following quote-only paragraphs")
        if draft.roles.source:
            resolution = resolver.resolve(draft.roles.source, draft.cue.tokens[0])
            spans = token_offsets(doc, draft.roles.source)
            source = Source(spans, spans_text(text, spans), resolution.entity, resolution.kind, resolution.roles)
            evidence.append("source read from the parse, not the tagger" if draft.syntactic_source
                            else "source named by the rule" if draft.rule in _NAMING_RULES
                            else f"{draft.roles.tagger} source p={draft.roles.source_prob:.2f}")
            evidence.append(resolution.how)
        else:
            evidence.append("no source in text")
        cited = _cited_source(doc, resolver, drafts[citing[n - 1]], source) if n - 1 in citing else None
        if cited is not None:
            evidence.append(f"cites {cited.text!r}")
        resolved.append(source is not None and source.entity is not None)
        records.append(
            Attribution(
                id=f"a{n}",
                source=source,
                cue=Cue(cue_spans, spans_text(text, cue_spans)),
                content=Content(content_spans, spans_text(text, content_spans)),
                type=quote_type(view, draft.roles.content),
                stance=stance_of(doc, draft.cue.tokens, draft.roles.content),
                evidence="; ".join(evidence),
                cited=cited,
            )
        )
    for reporter, speaker in _relayed_speakers(view, drafts).items():
        said_by, record = records[speaker].source, records[reporter]
        if record.cited is None and said_by is not None and said_by.kind in _CITED_KINDS \
                and _someone_else(view, drafts[speaker].roles.source, said_by, record.source):
            records[reporter] = dataclasses.replace(record, cited=said_by,
                                                    evidence=f"{record.evidence}; relays {said_by.text!r}")
    out = []
    for a, draft, parent, is_resolved in zip(records, drafts, _parents(records), resolved, strict=True):
        signals = Signals(
            cue_p=draft.cue.prob, content_p=draft.roles.content_prob, source_p=draft.roles.source_prob,
            has_source=a.source is not None, syntactic_source=draft.syntactic_source,
            rule=bool(draft.rule), nested=parent is not None, direct=a.type == "direct",
            resolved=is_resolved, content_tokens=len(draft.roles.content),
            cue_tokens=len(draft.cue.tokens), cue_in_lexicon=bool(view.lex[cue_head(view, list(draft.cue.tokens))]),
            rule_parse_content=draft.rule == PARSE_CONTENT, rule_quote_content=draft.rule == QUOTE_CONTENT,
            rule_nested_verb=draft.rule == NESTED_VERB,
        )
        confidence = round(min(1.0, max(0.0, calibrated(signals, tagger))), 3)
        out.append((dataclasses.replace(a, parent=parent, confidence=confidence), signals))
    return out
