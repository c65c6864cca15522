"""How far an attribution's content and source reach once its cue is known.

The role tagger gives the first guess; these rules, each named in ``evidence`` by the assembly
(``attributions.py``), correct what it does badly: quotes are said whole, a quote split by its
speaker is one content, reported speech runs to the end of its clause, content on both sides of
a cue keeps one side, and when the tagger finds no content or source the parse (the clausal
complement, the quote beside the cue, the subject or the passive's agent) supplies it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..records import QuoteType
from .features import DocView, cue_head, line_of, starts_a_line
from .learned import TaggedCue, TaggedRoles
from .lexicon import cue_lexicon

__all__ = [
    "DIRECT_SHARE", "MADE_PLAIN", "MAX_DATELINE", "SAYING_CLASSES", "Draft", "addressee_unsourced", "as_clause_content",
    "asks_anonymity", "beside", "clause_before", "conduit", "inverted_speaker", "made_plain_clause", "name_after",
    "name_before", "object_content",
    "one_side_of_the_cue", "pro_form_content", "quote_beside", "quote_type", "raised_subject", "said_before_it",
    "shared_speakers", "speaker_after", "subject_in_content", "syntactic_content", "syntactic_source",
    "that_clause_after", "token_offsets_to_tokens", "trimmed", "whole_complement", "whole_quotes", "whole_words",
    "with_sandwiched_quote", "without_antecedent", "without_closing_aside", "without_dateline", "without_expletive",
    "without_leading_punctuation", "without_source_clause", "without_stray_punctuation", "without_trailing_punctuation",
]


DIRECT_SHARE = 0.85  # share of content tokens inside quote marks for a quote to count as direct


@dataclass(frozen=True, slots=True)
class Draft:
    cue: TaggedCue
    roles: TaggedRoles
    continued: bool = False  # content runs on into following quote-only paragraphs
    syntactic_source: bool = False  # source from the parse, not the tagger
    rule: str = ""  # the rule that made it, when not the taggers


SAYING_CLASSES = frozenset({"assert", "claim", "report", "deny", "confirm", "believe"})


def token_offsets_to_tokens(doc: Doc, start: int, end: int) -> tuple[int, ...]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return tuple(t.i for t in span if not t.is_space) if span is not None else ()


def trimmed(view: DocView, tokens: Sequence[int]) -> tuple[int, ...]:
    """``tokens`` without the punctuation at either end (a clause's comma, a sentence's stop),
    but a bracket closing one they open stays: "Rep. Paul Ryan (R-WI)"."""
    start, end = 0, len(tokens)
    while start < end and view.pos[tokens[start]] == "PUNCT":
        start += 1
    while end > start and view.pos[tokens[end - 1]] == "PUNCT":
        if view.lower[tokens[end - 1]] == ")" and "(" in [view.lower[i] for i in tokens[start:end - 1]]:
            break
        end -= 1
    return tuple(tokens[start:end])


_DATELINE_DASHES = frozenset({"-", "--", "—", "–"})


def _dateline_dash(view: DocView, i: int) -> bool:
    """A dash that can close a dateline ("WASHINGTON -", "LONDON—"): not a hyphen inside a word
    ("KIM Jong-un is ready …", a tabloid's capitals, had lost "KIM Jong-" as a dateline)."""
    glued = i > 0 and not view.doc[i - 1].whitespace_ and not view.doc[i].whitespace_
    return view.lower[i] in _DATELINE_DASHES and not (view.lower[i] == "-" and glued)


def on_the_cues_side(view: DocView, source: Sequence[int], cue: Sequence[int]) -> tuple[int, ...]:
    """A source tagged across a quote mark keeps the part on the cue's side of it ("… our
    military,” Flynn, a top Trump surrogate, said" is Flynn's), trimmed of punctuation, and
    without a dateline ("WASHINGTON -- President Obama")."""
    quote = view.quote_of[cue[0]]
    if not all(view.quote_of[i] == quote for i in source):
        source = [i for i in source if view.quote_of[i] == quote]
    return trimmed(view, without_dateline(view, source))


def without_dateline(view: DocView, source: Sequence[int], within: int | None = None) -> Sequence[int]:
    """The source (or content) after a dateline it opens with: a place in capitals opening its
    paragraph, up to a dash (not "NAACP -- a civil rights group"), the dash among the first
    ``within`` tokens when given ("VELSTADT, March 14 (Meridian) - …"). The parser may take an
    unknown place for an organization: then a comma or a bracket must follow it, as in a dateline."""
    if len(source) < 3:
        return source
    first = view.doc[source[0]]
    place_like = first.ent_type_ != "ORG" or view.lower[source[1]] in (",", "(")
    if not first.text.isupper() or len(first) < 3 or not place_like or not starts_a_line(view, first.i):
        return source
    head = source if within is None else source[:within]
    dash = next((k for k, i in enumerate(head) if _dateline_dash(view, i)), None)
    return source[dash + 1:] if dash is not None and dash + 1 < len(source) else source


def beside(view: DocView, tokens: tuple[int, ...], anchor: set[int], commas_only: bool = False) -> bool:
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


def quote_type(view: DocView, content: Sequence[int]) -> QuoteType:
    inside = sum(1 for i in content if view.quote_of[i] >= 0)
    if inside >= DIRECT_SHARE * len(content):
        return "direct"
    return "mixed" if inside else "indirect"


_SUBJECTS = ("nsubj",)

_CLIMB = frozenset({"advcl", "xcomp", "conj", "acl", "ccomp", "dep", "pcomp", "prep", "pobj"})
# Steps up from the cue: "she said at a news conference [announcing] that …" climbs four
# (acl, pobj, prep) to "said" (840 cross-fitted +0.0006 end to end over three steps, dev +0.0007).
MAX_CLIMB = 5


def syntactic_source(view: DocView, cue: tuple[int, ...], content: set[int]) -> tuple[int, ...]:
    """The cue's grammatical subject, climbing from participles ("..., saying") and conjuncts
    to the verb they hang on; used when the tagger found no source."""
    doc = view.doc
    token = doc[cue_head(view, list(cue))]
    if any(c.dep_ == "nsubjpass" for c in token.children) and not any(c.dep_ == "agent" for c in token.children):
        return ()  # "Sanders was declared the winner", "it was revealed that": the teller goes unnamed
    subjects: tuple[str, ...] = _SUBJECTS
    for _ in range(MAX_CLIMB):
        # In the passive the speaker is the agent ("has been called a charlatan [by physicians]").
        for agent in (c for c in token.children if c.dep_ == "agent" and subjects == _SUBJECTS):
            by = [t.i for t in agent.subtree if not t.is_space and t.i != agent.i and t.i not in content]
            if by:
                return tuple(by)
        for child in token.children:
            if child.dep_ in subjects and child.i not in content and child.pos_ != "DET":
                subtree = [t.i for t in child.subtree if not t.is_space and t.i not in content]
                if subtree and child.lower_ not in ("it", "there", "this", "that"):
                    return tuple(subtree)
        if token.dep_ not in _CLIMB or token.head.i == token.i:
            break
        # A conjunct shares its first verb's subject, passive or not ("who are drawn to him and
        # feel that"), and so does an adjunct ("After saying …, [she] was whisked off").
        subjects = (*_SUBJECTS, "nsubjpass") if token.dep_ in ("conj", "advcl", "pcomp", "prep") else _SUBJECTS
        token = token.head
    return ()


def subject_in_content(view: DocView, cue: tuple[int, ...], content: Sequence[int]) -> tuple[int, ...]:
    """The cue's active subject when the tagger put it in the content, before the cue, with the
    rest of the content after ("[families of those affected] urged [the senator to apologize]"):
    a reported clause does not open with the reporter's subject, so it is the speaker."""
    head = view.doc[cue_head(view, list(cue))]
    if head.lemma_ in _RAISING or not content or max(content) < max(cue):
        return ()
    inside = set(content)
    for child in head.children:
        if child.dep_ == "nsubj" and child.i < min(cue) and child.pos_ not in ("PRON", "DET"):
            subtree = [t.i for t in child.subtree if not t.is_space]
            if set(subtree) <= inside:
                return tuple(subtree)
    return ()


# Verbs whose subject is not a speaker: "X seemed to Y" and "X is expected to Y" say that
# somebody unnamed finds or expects "X to Y". PolNeAR (train) marks 250 such bare cues with no
# source and the subject inside the content, 50 with a source, nearly all with the second verb
# in the cue ("Obama seemed to recognize").
_RAISING = frozenset({"seem", "appear"})
_PASSIVE_REPORTING = frozenset({"expect", "say", "believe", "think", "consider", "know", "rumor", "rumour",
                                "allege", "suppose", "report", "understand"})
_RAISED = frozenset({"xcomp", "acomp", "oprd", "attr"})


def raised_subject(view: DocView, cue: tuple[int, ...], roles: TaggedRoles) -> TaggedRoles:
    """A bare raising cue ("seemed", "is expected") has no source: its subject, taken for one
    by the tagger or the parse, goes back to the content ("[Mr. Clinton] does not seem [to be
    relishing the fight]")."""
    if not roles.source:
        return roles
    head = view.doc[cue_head(view, list(cue))]
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children)
    if not (head.lemma_ in _RAISING or (passive and head.lemma_ in _PASSIVE_REPORTING)):
        return roles
    if any(view.pos[i] in ("VERB", "NOUN", "ADJ") for i in cue if i != head.i):
        return roles  # "seemed to imply": the second verb makes the subject its speaker
    if not any(c.dep_ in _RAISED for c in head.children):
        return roles
    subject = {t.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "it" for t in c.subtree}
    if not subject:
        return roles
    if not set(roles.source) & {t.i for t in head.subtree}:
        # a source from another clause: "X propelled the increase, but [Sanders] seemed to reap …"
        return dataclasses.replace(roles, source=())
    if not set(roles.source) <= subject:
        return roles
    return dataclasses.replace(roles, source=(), content=tuple(sorted({*roles.source, *roles.content})))


# Verbs whose passive subject is the one spoken to; "they're convinced" and "she was pleased"
# are the subject's own mind, and keep it as the source.
_ADDRESSED = frozenset({"tell", "ask", "inform", "advise", "warn", "urge", "brief", "question", "assure", "remind",
                        "notify", "instruct", "order", "press", "reassure", "promise"})


def addressee_unsourced(view: DocView, cue: tuple[int, ...], roles: TaggedRoles) -> TaggedRoles:
    """A passive cue's subject is told or asked, not the teller: "I was told that ...", and
    "Asked why he had yet to endorse her, Sanders said ..." (the asker goes unnamed). Only an
    agent ("by X") names who spoke, and takes the addressee's place."""
    if not roles.source:
        return roles
    head = view.doc[cue_head(view, list(cue))]
    if head.lemma_ not in _ADDRESSED:
        return roles
    agent = tuple(t.i for c in head.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                  for t in p.subtree)
    source = set(roles.source)
    if any(c.dep_ == "auxpass" for c in head.children):
        subject = {t.i for c in head.children if c.dep_ == "nsubjpass" for t in c.subtree}
        # a source from another clause cannot be the asker either: only "by X" would name one
        outside = not agent and not source & {t.i for t in head.subtree}
    elif _bare_participle(head):
        if head.dep_ == "advcl":  # "Asked why ..., Sanders said"
            subject = {t.i for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
        else:  # "Ted Cruz, when asked what ..., responded"
            subject = {t.i for t in head.head.subtree} - {t.i for t in head.subtree}
        outside = False
    else:
        return roles
    if (subject and source <= subject) or outside:
        return dataclasses.replace(roles, source=agent)
    return roles


def _bare_participle(head: Token) -> bool:
    """A participle of its own, with no subject or auxiliary: "Asked why ...", "…, when asked
    about …" (the tagger often reads "asked" there as a past tense)."""
    return (head.tag_ in ("VBN", "VBD") and head.dep_ in ("advcl", "relcl", "acl")
            and not any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in head.children))


_NAME_PARTS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM", "PART"})
MAX_NAME_BEFORE = 16  # tokens: a speaker with an apposition ("Marc H. Morial, the chief executive of …,")


def name_before(view: DocView, cue: tuple[int, ...], blocked: set[int]) -> tuple[int, ...]:
    """The noun phrase just before a verb of saying, read from the surface when the parse
    hangs it elsewhere ("…,” Flynn, a top Trump surrogate, said", where the parser made Flynn
    an apposition inside the quote); used when the tagger and the parse found no source.
    Phrases before a comma belong to it only as its apposition ("Flynn, [a …]"), never as
    the sentence's opening ("With her film, DuVernay documents …")."""
    head = cue_head(view, list(cue))
    if view.pos[head] != "VERB" or view.lex[head] not in SAYING_CLASSES:
        return ()
    if "c=auxpass" in view.static[head] or "c=nsubjpass" in view.static[head]:
        return ()  # "Mr. Quiros was accused": the subject of a passive is what was said of
    i = min(cue) - 1
    while i >= 0 and view.pos[i] == "ADV":  # "Flynn also said"
        i -= 1
    taken: list[int] = []
    while i >= 0 and len(taken) < MAX_NAME_BEFORE and i not in blocked and view.quote_of[i] < 0:
        if not (view.pos[i] in _NAME_PARTS or view.lower[i] in (",", "of", "and")):
            break
        taken.append(i)
        i -= 1
    segments: list[list[int]] = [[]]  # comma-separated, nearest the cue first
    for k in taken:
        if view.lower[k] == ",":
            segments.append([])
        else:
            segments[-1].insert(0, k)
    segments = [seg for seg in segments if seg]
    if not segments:
        return ()
    name = segments[:1]
    for seg in segments[1:]:
        if view.pos[name[-1][0]] != "DET":  # the phrase after this comma is no apposition
            break
        name.append(seg)
    tokens = trimmed(view, [k for k in range(name[-1][0], name[0][-1] + 1) if not view.space[k]])
    if not any(view.pos[k] == "PROPN" for k in tokens):  # a name, not any noun ("the plan said")
        return ()
    return tokens


_OPENS_AFTER = frozenset({",", "'", '"', "’", "”"})  # what stands between a content and its postposed verb


def speaker_after(view: DocView, cue: tuple[int, ...]) -> tuple[int, ...]:
    """The speaker right after a postposed verb of saying, "…, reported Vesna news agency." or
    "…, said the report by the pro-Kremlin news agency.": the noun phrase that follows the verb
    when what was said (its clausal complement) stands before it, behind a comma or a quote.
    The parser reads such a speaker as the subject or, as often, the object; the role tagger
    sometimes takes it for the content's tail."""
    doc = view.doc
    verb = doc[cue_head(view, list(cue))]
    if verb.pos_ != "VERB" or not any(c.dep_ == "ccomp" and c.i < cue[0] for c in verb.children):
        return ()
    before = cue[0] - 1
    while before >= 0 and view.space[before]:
        before -= 1
    if before < 0 or view.lower[before] not in _OPENS_AFTER:
        return ()
    after = next((c for c in verb.rights if c.dep_ in ("nsubj", "dobj")), None)
    if after is None or any(not doc[k].is_space for k in range(cue[-1] + 1, after.left_edge.i)):
        return ()  # "…, reported on Thursday the agency": not right after the verb
    return trimmed(view, [t.i for t in after.subtree if not t.is_space])


_BARE_PHRASE = frozenset({"NOUN", "PROPN", "ADJ", "DET", "NUM"})
MAX_BARE_SPEAKER = 5  # tokens: "claims pundit", "warns top Kremlin general"


def inverted_speaker(view: DocView, cue: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(source, content) of an inverted verb of saying, as headlines write it, read from the
    surface: "Putin 'ready to deploy' 100,000 troops, claims pundit", "Russia will fall, warns
    expert". A bare noun phrase after the verb ends the line, what was said stands before the
    comma; with no subject in sight the parser reads the verb as a noun ("claims pundit") and
    the role tagger takes the clause's subject for the speaker. Empty when the cue does not
    stand so."""
    if len(cue) != 1 or view.quote_of[cue[0]] >= 0 or view.lemma[cue[0]] == "tell":  # told whom, not who
        return (), ()
    lexicon, word = cue_lexicon(), cue[0]
    if (view.lex[word] or lexicon.verb_class(view.lemma[word]) or lexicon.present_tense_class(view.lower[word])) \
            not in SAYING_CLASSES:
        return (), ()
    line = line_of(view, cue[0])
    if line is None:
        return (), ()
    after = [i for i in range(cue[0] + 1, line[1]) if not view.space[i]]
    while after and view.lower[after[-1]] in (".", "!"):
        after.pop()
    if not 0 < len(after) <= MAX_BARE_SPEAKER or any(view.pos[i] not in _BARE_PHRASE for i in after):
        return (), ()
    if view.pos[after[-1]] not in ("NOUN", "PROPN"):
        return (), ()
    comma = cue[0] - 1
    while comma >= line[0] and view.space[comma]:
        comma -= 1
    if comma <= line[0] or view.lower[comma] != ",":
        return (), ()
    verb = view.doc[word]
    subjectless = not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children)
    if not (verb.pos_ not in ("VERB", "AUX") or subjectless) or verb.tag_ in ("VBG", "VBN") \
            or any(view.ent[i] in ("DATE", "TIME") for i in after):
        return (), ()  # the parse read it (", said Batchelder"; "Butz told AFP"), or no speaker (", adding levity")
    # What was said starts where the line does, or after its last full stop: the parser may end
    # a sentence at a quote inside the headline ("Kim 'ready to send 100,000 troops' | to help
    # Putin, claims Kremlin TV pundit", which had kept "to help Putin" alone).
    start, k = line[0], line[0] - 1
    while k >= 0 and not (view.space[k] and "\n" in view.lower[k]) and view.lower[k] not in (".", "!", "?"):
        if not view.space[k]:
            start = k
        k -= 1
    content = trimmed(view, [i for i in range(start, comma) if not view.space[i]])
    if len(content) < 3 or not any(view.pos[i] in ("VERB", "AUX", "ADJ") for i in content):
        return (), ()
    return tuple(after), content


_CLOSES_BEFORE = _OPENS_AFTER | {"''"}  # also the doubled single quote some papers close with


def name_after(view: DocView, cue: tuple[int, ...], content: Sequence[int]) -> tuple[int, ...]:
    """The name right after a postposed verb of saying, read from the surface when the parse
    loses it: '"The risk," said Edward Leamer, an economist who ...,' (the parser made Leamer
    the subject of the next clause), '..., said retired neurosurgeon Ben Carson, asked about
    ...', 'Said Comey, "The thought ..."'. What was said stands before the verb, behind a comma
    or a closing mark, or the verb opens its sentence; the name runs to the next comma or stop,
    and takes the apposition after it ("an economist who ...", "who served as ...")."""
    head = cue_head(view, list(cue))
    if len(cue) != 1 or view.pos[head] != "VERB" or view.lex[head] not in SAYING_CLASSES or not content:
        return ()
    before = head - 1
    while before >= 0 and view.space[before]:
        before -= 1
    if before < 0 or view.sents[view.sent_of[head]][0] == head:
        if min(content) < head:  # "Said Comey, ..." says what follows
            return ()
    elif view.lower[before] not in _CLOSES_BEFORE or min(content) > head:
        return ()
    n = len(view.pos)
    name: list[int] = []
    i = head + 1
    while i < n and len(name) < MAX_NAME_BEFORE and view.quote_of[i] < 0:
        token = view.doc[i]
        if not (view.pos[i] in _NAME_PARTS or token.is_title or (token.tag_ == "VBN" and token.dep_ == "amod")):
            break  # "retired neurosurgeon Ben Carson"; "Skelly" read as an adverb is still a name
        name.append(i)
        i += 1
    if not name or not any(view.pos[k] == "PROPN" or view.doc[k].is_title for k in name):
        return ()
    if i < n and view.lower[i] not in (",", ".", ";", ":", "(") and not view.space[i]:
        return ()  # the name runs into something else: not a speaker standing alone
    if i + 1 < n and view.lower[i] == "," and (view.pos[i + 1] == "DET" or view.lower[i + 1] == "who"):
        end = i + 1  # the apposition, to the comma or stop that closes it
        while end < n and view.lower[end] not in (",", ".", ";") and not view.space[end] and view.quote_of[end] < 0:
            end += 1
        if end - i <= MAX_NAME_BEFORE:
            name += range(i, end)
    return trimmed(view, name)


def without_stray_punctuation(view: DocView, tokens: tuple[int, ...]) -> tuple[int, ...]:
    """Drop runs of content that are nothing but punctuation (a lone closing mark, a comma)."""
    runs: list[list[int]] = []
    for i in tokens:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    kept = [run for run in runs if any(view.pos[i] != "PUNCT" for i in run)]
    return tuple(i for run in kept for i in run) if kept else tokens


def _word_part(token: Token) -> bool:
    return token.text == "-" or any(c.isalnum() for c in token.text)


# Contractions the tokenizer splits off are words of their own ("he['s] projecting", "Let['s]
# say", where 's is the speaker), but the possessive is part of its name ("Jong-un['s]").
_CLITICS = frozenset({"'s", "'re", "'ll", "'ve", "n't", "'d", "'m"})


def _own_word(token: Token) -> bool:
    return token.lower_.replace("’", "'") in _CLITICS and token.tag_ != "POS"


def whole_words(view: DocView, tokens: Sequence[int], blocked: set[int]) -> tuple[int, ...]:
    """``tokens`` widened to whole words where they start or end inside one: the tokenizer
    splits "Jong-un's" in three, and a span starting at "un" names nobody."""
    doc = view.doc
    kept = set(tokens)
    for i in tokens:
        j = i
        while j - 1 not in kept and j - 1 >= 0 and j - 1 not in blocked and not doc[j - 1].whitespace_ \
                and _word_part(doc[j - 1]) and _word_part(doc[j]) and not _own_word(doc[j]):
            j -= 1
            kept.add(j)
        j = i
        while j + 1 not in kept and j + 1 < len(doc) and j + 1 not in blocked and not doc[j].whitespace_ \
                and _word_part(doc[j]) and _word_part(doc[j + 1]) and not _own_word(doc[j + 1]):
            j += 1
            kept.add(j)
    return tuple(sorted(kept))


def without_trailing_punctuation(view: DocView, tokens: Sequence[int], also: frozenset[str] = frozenset()
                                 ) -> tuple[int, ...]:
    """``tokens`` without the punctuation (and parts of speech in ``also``) they end on outside
    quotes: a content cut short keeps a closing quote mark, not a dangling comma or "and"."""
    end = len(tokens)
    while end and (view.pos[tokens[end - 1]] == "PUNCT" or view.pos[tokens[end - 1]] in also) \
            and view.quote_of[tokens[end - 1]] < 0:
        end -= 1
    return tuple(tokens[:end])


def whole_quotes(view: DocView, content: tuple[int, ...], blocked: set[int],
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
        if count < len(tokens) and (count >= 0.4 * len(tokens) or (anchor and beside(view, tokens, anchor))):
            extra.extend(i for i in tokens if i not in blocked)
    return tuple(sorted({*content, *extra})) if extra else content


def with_sandwiched_quote(view: DocView, content: tuple[int, ...], anchor: set[int],
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
        if tokens and beside(view, tokens, anchor, commas_only=True):
            content = tuple(sorted({*content, *tokens}))
    return content


MAX_CLAUSE = 300  # tokens: a longer "clause" is a run-on parse (no full stop in a pasted dump)


def _too_long(clause: Token) -> bool:
    return clause.right_edge.i - clause.left_edge.i > MAX_CLAUSE


def block_quote(view: DocView, content: tuple[int, ...], cue: tuple[int, ...]) -> tuple[int, ...]:
    """A cue that ends its line on a colon introduces the next paragraph whole when that
    paragraph opens with no quote mark ("The governor added:" / "It's typical of … . She knows
    nothing …"): a block quote whose markup was lost, which the tagger reads one sentence of."""
    i = cue[-1] if view.lower[cue[-1]] == ":" else cue[-1] + 1
    n = len(view.lower)
    if i >= n or view.lower[i] != ":":
        return content
    first = i + 1
    while first < n and view.space[first]:
        first += 1
    # A paragraph that opens a quote is the quote rules' (whatever its marks: the finder's call).
    if first >= n or not starts_a_line(view, first) or view.quote_of[first] >= 0 \
            or (content and not first <= content[0] < first + 3):
        return content
    last = first
    while last + 1 < n and not (view.space[last + 1] and "\n" in view.lower[last + 1]):
        last += 1
    paragraph = trimmed(view, [k for k in range(first, last + 1) if not view.space[k]])
    return paragraph if len(paragraph) > len(content) else content


def whole_complement(view: DocView, content: tuple[int, ...], cue: tuple[int, ...],
                      blocked: set[int]) -> tuple[int, ...]:
    """Reported speech runs to the end of the clause the cue governs: a content that stops
    inside the cue's clausal complement ("said [that it was too early] to tell …") takes all
    of it. Without a clause, the same holds for the object the content is about ("published
    [portions of Trump's state tax returns] from 1995 that showed …")."""
    if not content:
        return content
    head = view.doc[cue_head(view, list(cue))]
    complement = next((c for c in head.children if c.dep_ == "ccomp"), None)
    if complement is None:
        complement = next((c for i in cue for c in view.doc[i].children
                           if c.dep_ in ("dobj", "pobj") and c.i not in cue and content[0] <= c.i <= content[-1]),
                          None)
    if complement is None or _too_long(complement):
        return content
    # Another cue's words inside the content are part of what is said ("said that it was too
    # early [to tell] whether ..."); past its end they may be the speaker's next act ("..., adding").
    clause = [t.i for t in complement.subtree
              if not t.is_space and (t.i not in blocked or not _own_act(t, blocked))]
    if complement.dep_ == "dobj":  # "urged [the department] to process ...", "sees [the state] as ..."
        clause += [t.i for c in complement.head.children if _predicates_object(c, complement)
                   for t in c.subtree if not t.is_space and t.i not in blocked]
    inside = set(content) & set(clause)
    if len(inside) < 0.5 * len(content) or sum(view.quote_of[i] >= 0 for i in content) >= DIRECT_SHARE * len(content):
        return content
    aside = _aside_after(view, complement, content[-1])
    clause = without_trailing_punctuation(view, [i for i in clause if aside is None or i < aside])
    return tuple(sorted({*content, *clause}))


# What words can go through on their way from a speaker: PolNeAR marks "through a
# spokeswoman" as part of the cue ("Schilling, [through a spokeswoman, declined] …").
_CONDUITS = frozenset({"spokesman", "spokeswoman", "spokesperson", "channel", "lawyer", "attorney", "representative",
                       "intermediary", "aide", "envoy", "mediator"})


def conduit(view: DocView, cue: tuple[int, ...], source: Sequence[int]) -> tuple[int, ...]:
    """The way the words went, when the cue names it: "denied the charges [through his
    lawyer]", "has made it clear [through 'diplomatic channels']". Part of the cue, neither
    what was said nor who said it; a reader following a claim back sees where the trail goes
    unnamed."""
    for i in cue:
        for prep in view.doc[i].children:
            if prep.dep_ != "prep" or prep.lower_ not in ("through", "via"):
                continue
            way = next((o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() in _CONDUITS), None)
            if way is None:
                continue
            # not a clause the parser hung on the channel ("channels [that it is ready …]")
            clauses = {t.i for c in way.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
            # and only the words that follow "through" unbroken: the parser may hang a comma far
            # to the right on the channel ("… fighting force[,] reported Regnum")
            tokens: list[int] = []
            for t in prep.subtree:
                if t.is_space:
                    continue
                if t.i in clauses or (tokens and any(not view.space[k] for k in range(tokens[-1] + 1, t.i))):
                    break
                tokens.append(t.i)
            while tokens and view.pos[tokens[-1]] == "PUNCT" and not view.is_mark[tokens[-1]]:
                tokens.pop()
            return () if set(tokens) & set(source) else tuple(tokens)
    return ()


def without_expletive(view: DocView, content: tuple[int, ...], cue: tuple[int, ...]) -> tuple[int, ...]:
    """"It was said that …": the empty subject before a passive cue is no part of what was
    said (nor in PolNeAR's gold), when the content goes on after the cue."""
    before = [i for i in content if i < cue[0]]
    if len(before) != 1 or not any(i > cue[-1] for i in content):
        return content
    it = before[0]
    if view.lower[it] != "it" or view.head[it] != cue_head(view, list(cue)) \
            or view.dep[it] not in ("nsubjpass", "expl", "nsubj"):
        return content
    return tuple(i for i in content if i != it)


def said_before_it(view: DocView, content: tuple[int, ...], cue: tuple[int, ...]) -> tuple[int, ...]:
    """"North Korea is poised to send troops, it has been claimed.": a content that is only the
    empty "it" of a passive cue after a comma stands for the sentence before the comma."""
    head = cue_head(view, list(cue))
    it = next((c.i for c in view.doc[head].children if c.dep_ in ("nsubjpass", "nsubj") and c.lower_ == "it"),
              None)
    if it is None or any(i != it and view.pos[i] != "PUNCT" for i in content) or it not in content:
        return content
    if any(view.dep[i] not in ("aux", "auxpass") for i in range(it + 1, min(cue)) if not view.space[i]):
        return content
    comma = it - 1
    while comma >= 0 and view.space[comma]:
        comma -= 1
    line = line_of(view, it)
    if comma < 0 or view.lower[comma] != "," or line is None or comma <= line[0]:
        return content
    clause = trimmed(view, [i for i in range(line[0], comma) if not view.space[i]])
    return clause if len(clause) >= 3 else content


def without_source_clause(view: DocView, content: tuple[int, ...], source: Sequence[int],
                          cue: Sequence[int]) -> tuple[int, ...]:
    """A clause set off by commas that describes the source is not what the source said:
    "According to the Mirror, [which quoted state TV,] Kim Jong-un had approved the plan" (unless
    the cue is in it: "Clinton, who [was declared] the winner")."""
    if not source or not content:
        return content
    doc, last = view.doc, max(source)
    comma = last + 1
    while comma < len(doc) and view.space[comma]:
        comma += 1
    if comma + 1 >= len(doc) or view.lower[comma] != "," or view.lower[comma + 1] not in ("which", "who", "whose"):
        return content
    clause = next((c for k in source for c in doc[k].children if c.dep_ == "relcl" and c.left_edge.i == comma + 1),
                  None)
    if clause is None:
        return content
    end = clause.right_edge.i + 1
    if any(comma < i < end for i in cue):
        return content
    if end < len(doc) and view.lower[end] == ",":
        end += 1  # the comma that closes it
    kept = list(without_trailing_punctuation(view, [i for i in content if not comma <= i < end]))
    return tuple(kept) if any(view.pos[i] != "PUNCT" for i in kept) else content


def without_antecedent(view: DocView, content: tuple[int, ...], source: Sequence[int]) -> tuple[int, ...]:
    """What a relative pronoun stands for is not what its clause says: "[The pundit], who said:
    'There are reports …'" and "The judges who ruled [that …]" say the quote and the clause, not
    the noun the speaker "who" hangs on (PolNeAR's gold: source "who", content the clause).
    Whatever the word it hangs on ("nothing … that", "those who"), unlike the speaker's
    antecedent in ``speakers``, which must be a noun to name anyone."""
    if len(source) != 1 or not content:
        return content
    pronoun = view.doc[source[0]]
    if pronoun.tag_ not in ("WP", "WDT") or pronoun.lower_ not in ("who", "which", "that"):
        return content
    clause = pronoun.head
    if clause.dep_ != "relcl" or clause.head.i >= pronoun.i:
        return content
    start = clause.head.left_edge.i
    kept = [i for i in content if not start <= i < pronoun.i]
    if len(kept) == len(content) or not any(view.pos[i] != "PUNCT" for i in kept):
        return content
    return tuple(kept)


# What never opens a content: the comma, colon or dash left from the clause around it.
_NO_OPENING = frozenset({",", ";", ":", ")", "]", "-", "--", "—", "–", ".", "...", "…"})


def without_leading_punctuation(view: DocView, content: tuple[int, ...]) -> tuple[int, ...]:
    """A content without the punctuation before its first word (", he said, that the paper
    would …", "— they don't want to be profiled"); empty when it is punctuation alone (",”").
    An opening quote mark stays: it is what makes the content direct."""
    start = 0
    while start < len(content) and view.lower[content[start]] in _NO_OPENING and not view.is_mark[content[start]]:
        start += 1
    kept = content[start:]
    return kept if any(view.pos[i] != "PUNCT" for i in kept) else ()


# What a source asks for, not what it says: "requested anonymity to speak freely", "who asked
# not to be named". PolNeAR marks 1 of its 22 such phrases as said.
_ANONYMITY = re.compile(r"(?:for |the )?(?:anonymity|not to be (?:named|identified)|to remain anonymous)\b",
                        re.IGNORECASE)


def asks_anonymity(view: DocView, content: Sequence[int]) -> bool:
    """Is the content a request not to be named, rather than something said?"""
    if not content:
        return False
    start = view.doc[min(content)].idx
    return _ANONYMITY.match(view.text, start) is not None


_ASIDES = frozenset({"relcl", "acl"})  # clauses that hang on a noun


def without_closing_aside(view: DocView, content: tuple[int, ...], cue: tuple[int, ...]) -> tuple[int, ...]:
    """A content after its cue that ends in a relative or participle clause set off by a comma
    ("criticized [Clinton's email use], which an FBI investigation said was ...", "opposed
    [a new trade deal], known as the Trans-Pacific Partnership") ends before it: the aside is
    the writer's. Appositions stay ("Mr. Trump, the presumed Putin favorite"): often what was
    said names them (cutting them too gained nothing on 840 cross-fitted train articles)."""
    if not content or content[0] < cue[0]:
        return content
    inside, last = set(content), content[-1]
    for i in content:
        token = view.doc[i]
        comma = token.left_edge.i - 1
        if (token.dep_ in _ASIDES and view.quote_of[i] < 0 and comma > content[0] + 1 and comma in inside
                and view.lower[comma] == "," and token.right_edge.i >= last - 1):
            return without_trailing_punctuation(view, [j for j in content if j < comma]) or content
    return content


def _own_act(token: Token, blocked: set[int]) -> bool:
    """Is ``token`` part of a cue that is its speaker's next act, not said ("..., pointing to",
    "... to point out that"): an adverbial clause or conjunct, not a complement ("too early to tell")?"""
    while True:
        if token.dep_ in ("advcl", "conj"):
            return True
        if token.head.i == token.i or token.head.i not in blocked:
            return False
        token = token.head


def _predicates_object(child: Token, obj: Token) -> bool:
    """Does ``child`` of the verb say something of its object, right after it ("urged the
    department [to process ...]", "describing the plan [as a short-term buzz]")?"""
    return (child.left_edge.i == obj.right_edge.i + 1
            and (child.dep_ in ("xcomp", "oprd", "ccomp") or (child.dep_ == "prep" and child.lower_ == "as")))


def _aside_after(view: DocView, clause: Token, last: int) -> int | None:
    """Where an aside set off by a comma after token ``last`` begins ("..., who also held a
    rally", "..., throwing a wrench in ..."): the clause it hangs on is said, the aside is the
    writer's."""
    for t in clause.subtree:
        if (t.i > last + 1 and t.dep_ in ("relcl", "advcl", "acl") and t.left_edge.i > last
                and view.lower[t.left_edge.i - 1] == ","):
            return t.left_edge.i - 1
    return None


def quote_beside(view: DocView, anchor: set[int], blocked: set[int]) -> tuple[int, ...]:
    """The quote just before or after a cue and its source ("“…,” Chief Jordan said Monday.")."""
    first, last = min(anchor), max(anchor)
    for qid in sorted({view.quote_of[i] for i in range(max(0, first - 3), min(len(view.pos), last + 4))
                       if view.quote_of[i] >= 0}):
        quote = view.quotes[qid]
        tokens = tuple(i for i in token_offsets_to_tokens(view.doc, quote.start, quote.end) if i not in blocked)
        if len(tokens) >= 3 and beside(view, tokens, anchor):
            return tokens
    return ()


def syntactic_content(view: DocView, cue: tuple[int, ...], blocked: set[int]) -> tuple[int, ...]:
    """What a verb of saying says, read from the parse when the tagger found no content: its
    clausal complement ("said [the suing states were wrong]"). A clause before the cue
    ("[…], sources said") is left alone: on PolNeAR dev it found as many wrong as right."""
    head = view.doc[cue_head(view, list(cue))]
    if head.pos_ != "VERB" or view.lex[head.i] not in SAYING_CLASSES:
        return ()
    complement = next((child for child in head.children if child.dep_ == "ccomp"), None)
    if complement is None or _too_long(complement):
        return ()
    tokens = trimmed(view, [t.i for t in complement.subtree if t.i not in blocked and not t.is_space])
    return tokens if len(tokens) >= 3 else ()


MAX_BEFORE_THAT = 16  # tokens between a verb of saying and its "that": "said on CNN, where he is …, that"


def that_clause_after(view: DocView, cue: tuple[int, ...], blocked: set[int]) -> tuple[int, ...]:
    """A verb of saying's "that"-clause the parser hung on a word in between ("said on CNN, where
    he is now a paid contributor, [that Manafort should be held to account]"): from the first
    "that" opening a clause after the cue to the end of the sentence."""
    head = view.doc[cue_head(view, list(cue))]
    if head.pos_ != "VERB" or view.lex[head.i] not in SAYING_CLASSES:
        return ()
    if any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in head.children):
        return ()
    start, end = view.sents[view.sent_of[head.i]]
    for i in range(max(cue) + 1, min(end, max(cue) + 1 + MAX_BEFORE_THAT)):
        if i in blocked or view.quote_of[i] >= 0:
            return ()
        token = view.doc[i]
        if token.lower_ == "that" and token.dep_ == "mark":
            tokens = trimmed(view, [k for k in range(i, end) if k not in blocked and not view.space[k]])
            return tokens if len(tokens) >= 4 else ()
    return ()


MADE_PLAIN = frozenset({"clear", "known", "plain", "obvious"})  # "has made it [clear] that …"


def made_plain_clause(view: DocView, content: tuple[int, ...], cue: tuple[int, ...],
                      blocked: set[int]) -> tuple[int, ...]:
    """What "made it clear" made clear: the whole "that"-clause after it, to the sentence's end
    or the next cue ("…, reported Regnum news agency."). The small model hangs such a "that" on
    whatever comes before it ("through 'diplomatic channels' that, should Russia request it,
    it is ready …": a relative clause of "channels"), and the tagger's content stops with the
    parse. Only widens a content that lies after the cue and inside the clause."""
    made = next((i for i in cue if view.lemma[i] == "make"), None)
    if not content or made is None or view.lower[max(cue)] not in MADE_PLAIN:
        return content
    if view.doc[made].tag_ == "VB":  # "failing to make clear that …": wanted or missed, not done
        return content
    start, end = view.sents[view.sent_of[max(cue)]]
    that = next((i for i in range(max(cue) + 1, min(end, max(cue) + 1 + MAX_BEFORE_THAT))
                 if view.lower[i] == "that"), None)
    if that is None or min(content) <= max(cue):
        return content
    clause = []
    for i in range(that, end):
        if i in blocked:
            break
        if not view.space[i]:
            clause.append(i)
    clause = list(trimmed(view, clause))
    inside = set(content) <= {*clause, *range(max(cue) + 1, that)}  # the way the words went may lead it
    return tuple(sorted({*content, *clause})) if inside else content


def as_clause_content(view: DocView, cue: tuple[int, ...], blocked: set[int]) -> tuple[int, ...]:
    """What "as X reported" vouches for: the clause it interrupts, on both sides of it ("[Mr.
    Trump's defeat won't derail his campaign], as some have speculated"; "As POLITICO revealed,
    [most of the payments …]"). Only for a verb with no complement of its own."""
    head = view.doc[cue_head(view, list(cue))]
    if head.pos_ != "VERB" or view.lex[head.i] not in SAYING_CLASSES or head.dep_ != "advcl":
        return ()
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in head.children):
        return ()
    if any(c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and c.lower_ not in ("it", "so"))
           for c in head.children):
        return ()  # "As he considered a run, …": the verb says what it is about itself
    aside = {t.i for t in head.subtree}
    sentence = view.sent_of[head.i]
    tokens = trimmed(view, [t.i for t in head.head.subtree if t.i not in aside and t.i not in blocked
                            and not t.is_space and view.sent_of[t.i] == sentence])
    return tokens if len(tokens) >= 3 else ()


_PRO_FORMS = (("as", "much"), ("that", "much"), ("so",), ("otherwise",), ("the", "same"))


def pro_form_content(view: DocView, cue: tuple[int, ...], blocked: set[int]) -> tuple[int, ...]:
    """What a verb of saying says when it says it by a word standing for an earlier claim:
    "Mook said [as much]", "He doesn't think [so]", "26 percent said [the same of Trump]"
    (PolNeAR marks 26 of the 36 such phrases in train and dev, and no more than the words)."""
    head = cue_head(view, list(cue))
    if view.pos[head] != "VERB" or not view.lex[head]:
        return ()
    after = [i for i in range(max(cue) + 1, min(len(view.lower), max(cue) + 4)) if not view.space[i]]
    words = tuple(view.lower[i] for i in after)
    form = next((f for f in _PRO_FORMS if words[:len(f)] == f), None)
    if form is None:
        return ()
    tokens = after[:len(form)]
    if form == ("the", "same"):
        last = view.doc[tokens[-1]]
        if len(after) > 2 and view.lower[after[2]] == "thing":
            last = view.doc[after[2]]
            tokens.append(after[2])
        tokens += [t.i for c in last.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "about")
                   and c.i > last.i for t in c.subtree if not t.is_space]
    tokens = [i for i in tokens if i not in blocked]
    return tuple(sorted(tokens)) if len(tokens) >= len(form) else ()


# Verbs whose object is the one spoken to (on 840 cross-fitted train articles the object
# fallback was right 31 times in 109, most wrong ones these: "told CNN", "asked Rubio").
_TOLD = frozenset({"tell", "ask", "inform", "brief", "assure", "reassure", "remind", "notify", "email", "text",
                   "question"})


def object_content(view: DocView, cue: tuple[int, ...], blocked: set[int]) -> tuple[int, ...]:
    """The last fallback for a cue the tagger is sure of but found no content for: the verb's
    object ("has promised [a veto]", "support [the Green Party's Jill Stein]")."""
    head = view.doc[cue_head(view, list(cue))]
    if head.pos_ != "VERB":
        return ()
    obj = next((child for child in head.children if child.dep_ == "dobj" and child.i not in blocked), None)
    if obj is None:
        return ()
    if head.lemma_ in _TOLD:  # "told [CNN]" is whom it was said to: what was said comes after
        return _told_what(view, head, obj, blocked)
    if _too_long(obj):
        return ()
    return trimmed(view, [t.i for t in obj.subtree if t.i not in blocked and not t.is_space])


def _told_what(view: DocView, head: Token, addressee: Token, blocked: set[int]) -> tuple[int, ...]:
    """What follows the one spoken to: "told a meeting of island leaders [that few people …]",
    "tells his supporters at a rally [to “go to your place and vote”]", wherever the parser hung
    the clause (on the verb, or on the addressee as if a relative clause)."""
    reach = {t.i for t in head.subtree}
    for i in range(addressee.i + 1, head.right_edge.i + 1):
        if i in blocked or i not in reach:
            return ()
        token = view.doc[i]
        if (token.lower_, token.dep_) in (("that", "mark"), ("to", "aux")) and token.head.pos_ in ("VERB", "AUX"):
            tokens = [k for k in range(i, token.head.right_edge.i + 1) if k not in blocked and not view.space[k]]
            return trimmed(view, tokens) if len(tokens) >= 3 else ()
    return ()


MAX_DATELINE = 16  # tokens: "VELSTADT, March 14 (Meridian) -" opens a wire report's first sentence


def clause_before(view: DocView, cue: tuple[int, ...], source: tuple[int, ...],
                  blocked: set[int]) -> tuple[int, ...]:
    """What a postposed speaker said: the sentence before the comma that opens "…, the Meridian
    news agency reported on Thursday", read from the surface for when the parser makes the
    agency an apposition of the sentence's subject. A dateline opening the sentence is left out."""
    head = cue_head(view, list(cue))
    if view.pos[head] != "VERB" or view.lex[head] not in SAYING_CLASSES or not source:
        return ()
    if max(source) >= min(cue) or min(cue) - max(source) > 2:
        return ()
    comma = min(source) - 1
    while comma >= 0 and view.space[comma]:
        comma -= 1
    if comma < 0 or view.lower[comma] != ",":
        return ()
    start = view.sents[view.sent_of[comma]][0]
    breaks = [i for i in range(start, comma) if view.space[i] and "\n" in view.lower[i]]
    if breaks:  # the parser runs a headline into the first paragraph: a line starts the clause
        start = breaks[-1] + 1
    # A dateline opens on a place in capitals ("VELSTADT, March 14 (Meridian) -"): "Kim Jong-un
    # is ready …" had lost "Kim Jong-".
    dashes = [i for i in range(start, min(comma, start + MAX_DATELINE)) if _dateline_dash(view, i)]
    if dashes and view.doc[start].text.isupper() and len(view.doc[start]) >= 3:
        start = dashes[-1] + 1
    content = trimmed(view, [i for i in range(start, comma) if not view.space[i]])
    if len(content) < 4 or blocked.intersection(content) or any(view.quote_of[i] >= 0 for i in content):
        return ()
    # A main clause before the comma, and nothing said after the verb: otherwise the comma
    # closes a fronted phrase ("During a rally in Raleigh, Trump remarked …"), and the speaker
    # is the sentence's subject, not postposed (on 840 cross-fitted train articles 4 in 21 of
    # those the rule found were right before this check). A participle after it is the
    # speaker's next act ("…, the agency reported, citing unnamed channels").
    if not any(view.dep[i] in ("ROOT", "ccomp", "parataxis") and view.pos[i] in ("VERB", "AUX") for i in content):
        return ()
    end = view.sents[view.sent_of[max(cue)]][1]
    participles = {t.i for c in view.doc[head].children if c.dep_ == "advcl" and c.tag_ == "VBG"
                   for t in c.subtree}
    if any(view.pos[i] in ("VERB", "AUX") and i not in participles for i in range(max(*cue, *source) + 1, end)):
        return ()
    return content


def one_side_of_the_cue(view: DocView, draft: Draft) -> Draft:
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
    if beside(view, before, {*cue, *draft.roles.source}):
        kept = before
    elif view.sent_of[before[-1]] != view.sent_of[cue[0]]:
        kept = after
    else:
        return draft
    roles = dataclasses.replace(draft.roles, content=kept)
    return Draft(draft.cue, roles, draft.continued, draft.syntactic_source, draft.rule)


def _reporter_of_conjunct(view: DocView, verb: int) -> int | None:
    """The verb of saying whose complement the parser coordinated ``verb`` into: in "The group
    said [the images could point … but cautioned that …]", "cautioned" hangs on "point", yet
    it is the group's second verb, with no subject of its own."""
    if view.pos[verb] != "VERB" or view.lex[verb] not in SAYING_CLASSES or view.dep[verb] != "conj":
        return None
    if "c=nsubj" in view.static[verb] or "c=nsubjpass" in view.static[verb]:
        return None
    complement = view.head[verb]
    reporter = view.head[complement]
    if view.dep[complement] != "ccomp" or view.pos[reporter] != "VERB" or view.lex[reporter] not in SAYING_CLASSES:
        return None
    return reporter


def _participles_share_their_speaker(view: DocView, drafts: list[Draft]) -> list[Draft]:
    """"…, the agency reported on Thursday, citing unnamed diplomatic channels": a participle
    hanging on another cue has that cue's speaker, which is how chains (agency → channels) form;
    so has a conjunct with no subject of its own ("calling it “disqualifying” and asserting
    that …"), however far the first one's subject is."""
    source_of = {cue_head(view, list(d.cue.tokens)): d.roles.source for d in drafts if d.roles.source}
    out = []
    for draft in drafts:
        head = cue_head(view, list(draft.cue.tokens))
        participle = view.dep[head] == "advcl" and view.doc[head].tag_ == "VBG"
        conjunct = view.dep[head] == "conj" and not {"c=nsubj", "c=nsubjpass"} & set(view.static[head])
        shared = source_of.get(view.head[head]) if participle or conjunct else None
        if not draft.roles.source and shared and not set(shared) & set(draft.roles.content):
            draft = dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, source=shared),
                                        syntactic_source=True)
            source_of[head] = shared
        out.append(draft)
    return out


def shared_speakers(view: DocView, drafts: list[Draft]) -> list[Draft]:
    """Second verbs that share a first one's speaker. "X said A but cautioned B": the parser
    hangs "cautioned" inside A, yet it is X's; its source becomes X (the tagger takes the
    subject of A) and A's content stops before "but cautioned B". "…, X reported, citing
    channels": the participle is X's too."""
    doc = view.doc
    conjuncts: dict[int, tuple[int, ...]] = {}  # reporter -> tokens of its coordinated verb's phrase
    out = []
    for draft in drafts:
        head = cue_head(view, list(draft.cue.tokens))
        reporter = _reporter_of_conjunct(view, head)
        if reporter is not None:
            phrase = [t.i for t in doc[head].subtree]
            cc = [c.i for c in doc[view.head[head]].children if c.dep_ == "cc" and c.i < head]
            conjuncts[reporter] = tuple(sorted({*phrase, *cc[-1:]}))
            outer_subject = syntactic_source(view, (reporter,), set(phrase))
            complement = {t.i for t in doc[view.head[head]].subtree}
            if outer_subject and (not draft.roles.source or set(draft.roles.source) <= complement):
                draft = dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, source=outer_subject),
                                            syntactic_source=True)
        out.append(draft)
    out = _participles_share_their_speaker(view, out)
    if not conjuncts:
        return out
    shortened = []
    for draft in out:
        phrase = next((conjuncts[i] for i in draft.cue.tokens if i in conjuncts), None)
        if phrase is not None:
            content = tuple(i for i in draft.roles.content if i not in phrase)
            content = trimmed(view, content) if content else content
            if content:
                draft = dataclasses.replace(draft, roles=dataclasses.replace(draft.roles, content=content))
        shortened.append(draft)
    return shortened
