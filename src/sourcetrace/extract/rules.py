"""Attributions the taggers missed, found by named rules (the name shows in ``evidence``).

Quotes signed with a dash and a name, lines opening with a speaker and a colon, "according to X",
a poll's finding ("… in the latest poll"), verbs of naming ("called the citation a ploy"), a
quote followed by its speaker and a verb of saying, and verbs of saying with a clause, inside
another attribution's content (chains) or anywhere outside quotes.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from .features import DocView, cue_head, lines
from .learned import TaggedCue, TaggedRoles
from .lexicon import cue_lexicon
from .shaping import (MADE_PLAIN, SAYING_CLASSES, Draft, name_before, quote_type, syntactic_source,
                      token_offsets_to_tokens, trimmed)

__all__ = [
    "ACCORDING", "LABELLED", "MAX_QUOTE_TO_CUE", "POLL", "POSTPOSED", "REPORTEDLY", "SIGNED", "according_source",
    "according_to", "in_a_poll", "labelled_lines", "made_plain", "missed_cues", "naming", "nested_cues",
    "postposed_speaker", "quoted_then_cue", "reportedly", "sibling_cues", "signed_quotes", "within_according_to",
]


SIGNED = "quote signed with a dash and a name"

# Matched on the rest of the quote's line only, and only when that is short: a signature is a
# dash and a name, and an unbounded pattern here backtracks quadratically on hostile whitespace.
_SIGNATURE = re.compile(r"[^\S\n]*(―|—|–|--)[^\S\n]*(\S[^\n]{1,79}?)\.?[^\S\n]*")
MAX_SIGNATURE = 120  # characters from a quote's end to the end of its line


def signed_quotes(view: DocView, taken: set[int]) -> list[Draft]:
    """Quotes signed with a dash and a name at the end of their paragraph ("…” ― Jane Doe),
    the vox-pop and tweet convention: the dash is the cue, the name the source."""
    doc, drafts = view.doc, []
    text = view.text
    for quote in view.quotes:
        line_end = text.find("\n", quote.end, quote.end + MAX_SIGNATURE + 1)
        if line_end < 0:
            line_end = len(text) if len(text) - quote.end <= MAX_SIGNATURE else -1
        m = _SIGNATURE.fullmatch(text, quote.end, line_end) if line_end >= 0 else None
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
            drafts.append(Draft(TaggedCue(cue, 0.9), roles, rule=SIGNED))
    return drafts


LABELLED = "speaker's name and a colon before the words"

# Greedy to the line's end (trailing spaces are dropped with the space tokens): a lazy match
# anchored on "$" backtracks quadratically on a line of whitespace. A label may be one letter:
# an interview's "Q:" and "A:" (PolNeAR marks them, with the letter as the source).
_LABEL = re.compile(r"^[^\S\n]*[\"“]?(?P<name>[^\n:\"“]{1,40}?)(?P<colon>:)[^\S\n]+(?P<words>\S[^\n]*)",
                    re.MULTILINE)


# A headline's label that is no speaker: the kind of story, or a shout ("The Latest: …",
# "Breaking: …", "Wow: …"). Read from the headlines of PolNeAR train.
_HEADLINE_KICKERS = frozenset({
    "the latest", "latest", "breaking", "breaking news", "just in", "update", "updated", "live",
    "exclusive", "revealed", "just leaked", "watch", "video", "photos", "look", "wow", "boom",
    "busted", "bombshell", "opinion", "analysis", "editorial", "explainer", "review", "fact check",
    "byline", "paid notice", "correction"})


def _headline_label(label: str) -> bool:
    """A headline's "Poll: …", "Rush Limbaugh: …": one to four capitalised words, not all in
    capitals (BREAKING, EXCLUSIVE), and no kicker."""
    words = label.split()
    return (1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not label.isupper()
            and label.lower() not in _HEADLINE_KICKERS)


def labelled_lines(view: DocView, taken: set[int]) -> list[Draft]:
    """Lines that open with a speaker and a colon: headlines ("Pence: Flowers Won't Be at
    Debate", "Poll: Wealthy Voters Abandon …") and transcripts ("PENCE: Well, look, …"). The
    name must be a person or organisation the NER found, a capitalised label that opens two or
    more lines, or, in the headline (the first line), a capitalised label that is no kicker."""
    doc, drafts = view.doc, []
    matches = list(_LABEL.finditer(view.text))
    if not matches:
        return drafts
    headline_end = view.text.find("\n", len(view.text) - len(view.text.lstrip()))  # the first line with words
    if headline_end < 0:
        headline_end = len(view.text)  # the text is its headline
    labels = [m.group("name").strip() for m in matches]
    openings = Counter(labels)
    # Words of the people and organisations the NER found anywhere: "Pence" in a headline is
    # known from "Mike Pence" further down even when the NER misses it there.
    known = {t.lower_ for e in doc.ents if e.label_ in ("PERSON", "ORG") for t in e}
    for m, label in zip(matches, labels, strict=True):
        name = token_offsets_to_tokens(doc, m.start("name"), m.end("name"))
        if not name or len(name) > 4 or taken.intersection(name):
            continue
        entity = all(doc[i].text[:1].isupper() for i in name) and doc[name[-1]].lower_ in known
        transcript = label.isupper() and openings[label] >= 2
        headline = m.start() < headline_end and _headline_label(label)
        if not (entity or transcript or headline):
            continue
        cue = token_offsets_to_tokens(doc, m.start("colon"), m.end("colon"))
        # The whole line is what the label's speaker said, the attributions inside it included
        # (they nest under it): "TAPPER: And obviously, you're supporting Donald Trump, I think …".
        content = token_offsets_to_tokens(doc, m.start("words"), m.end("words"))
        if cue and len(content) >= 3:
            drafts.append(Draft(TaggedCue(cue, 0.8), TaggedRoles(name, content, 0.8, 0.8), rule=LABELLED))
    return drafts


ACCORDING = "'according to' and its sentence"


def according_source(view: DocView, according: int) -> tuple[int, ...]:
    """X in "according to X" when the phrase starts at token ``according`` (else none): the
    words after "to" up to a punctuation mark, a line break or the sentence's end ("according
    to reports", "according to the defence ministry, …")."""
    if view.lower[according:according + 2] != ["according", "to"]:
        return ()
    end = view.sents[view.sent_of[according]][1]
    j = according + 2
    while j < end and view.lower[j] not in (",", ".", ";", "!", "?") and not view.space[j]:
        j += 1
    return tuple(range(according + 2, j))


def within_according_to(view: DocView, cue: tuple[int, ...], roles: TaggedRoles) -> TaggedRoles:
    """The tagger's roles for an "according to" cue, its source cut at the phrase's end: run on
    past the comma, a source takes the start of what it says ("According to the group Border
    Watch, [satellite images taken last week] show …"), which goes back to the content."""
    named = according_source(view, cue[0]) if len(cue) == 2 else ()
    if not named or not roles.source or not set(named).intersection(roles.source):
        return roles
    # Past the comma only what the parse holds in X's phrase: "Craig Bryan, head of …".
    objects = [t.right_edge.i for t in view.doc[cue[1]].children if t.dep_ == "pobj"]
    end = max([named[-1], *objects])
    if max(roles.source) <= end:
        return roles
    source = tuple(i for i in roles.source if i <= end)
    content = roles.content
    if content and min(content) > end:
        gap = trimmed(view, [i for i in range(end + 1, min(content)) if not view.space[i]])
        content = (*gap, *content)
    return dataclasses.replace(roles, source=source, content=content)


def according_to(view: DocView, taken: set[int]) -> list[Draft]:
    """"According to X" the tagger missed: X is the source, the rest of the sentence what X
    says, whether the phrase opens the sentence or trails it (read from the surface, since
    the parser often makes "According" the root)."""
    drafts = []
    for i in range(len(view.lower) - 2):
        source = according_source(view, i)
        if not source or i in taken:
            continue
        start, end = view.sents[view.sent_of[i]]
        j = source[-1] + 1
        # The rest of the sentence, attributions the tagger found in it included: X's account
        # holds them ("Clinton plans to visit, according to an aide" is the aide's).
        content = trimmed(view, [k for k in range(start, end) if not (i <= k < j) and not view.space[k]])
        if source and len(content) >= 3 and not taken.intersection(source):
            roles = TaggedRoles(source, content, 0.7, 0.7)
            drafts.append(Draft(TaggedCue((i, i + 1), 0.7), roles, rule=ACCORDING))
            taken.update((*content, *source, i, i + 1))
    return drafts


POLL = "a poll's finding ('… in the latest poll')"
# One poll or survey: on 840 cross-fitted train articles the rule was right 30 times in 39 above
# the cut with one ("in the latest Des Moines Register poll"), 9 in 36 with many ("has led in the
# polls", "in national surveys", "in Iowa polling"), which PolNeAR mostly leaves unmarked.
_POLLS = frozenset({"poll", "survey"})
_POLL_ASIDES = frozenset({"advcl", "conj", "cc", "mark"})


def in_a_poll(view: DocView, taken: set[int]) -> list[Draft]:
    """"Trump leads by 57 percent to 33 percent in the 50-state poll": the poll says what the
    clause it hangs on says. PolNeAR marks "in" as the cue and the poll as the source (a poll
    or survey is the source of 60 of its 67 "in" cues in train), and the tagger, which reads
    prepositions as cues almost only in "according to", misses most of them."""
    drafts = []
    doc = view.doc
    for i, word in enumerate(view.lower):
        if word != "in" or i in taken or view.dep[i] != "prep" or view.quote_of[i] >= 0:
            continue
        poll = next((c for c in doc[i].children if c.dep_ == "pobj" and c.lemma_.lower() in _POLLS), None)
        if poll is None or poll.tag_ != "NN":
            continue  # "leads in the polls": a standing, not one poll's finding (see _POLLS)
        clause = doc[view.head[i]]
        for _ in range(3):  # "by 57 percent to 33 percent [in the poll]": up to the verb, not from its subject
            if clause.pos_ in ("VERB", "AUX") or clause.dep_ not in ("pobj", "prep", "dobj", "npadvmod", "attr"):
                break
            clause = clause.head
        if clause.pos_ not in ("VERB", "AUX") or not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
            continue
        source = trimmed(view, [t.i for t in poll.subtree if not t.is_space])
        # The poll's finding is the clause's core: not its asides ("…, while Kasich was at 18
        # percent", "Since announcing …,") nor a conjunct clause with findings of its own.
        phrase = {t.i for t in doc[i].subtree}
        phrase |= {t.i for c in clause.children if c.dep_ in _POLL_ASIDES for t in c.subtree}
        start, end = view.sents[view.sent_of[i]]
        content = trimmed(view, [t.i for t in clause.subtree
                                 if t.i not in phrase and start <= t.i < end and not t.is_space])
        if len(content) >= 3 and not taken.intersection(source):
            drafts.append(Draft(TaggedCue((i,), 0.7), TaggedRoles(source, content, 0.7, 0.7), rule=POLL))
            taken.update((*source, i))
    return drafts


_NAMING_VERBS = frozenset({"call", "label", "dub", "brand", "term"})


def naming(view: DocView, taken: set[int]) -> list[Draft]:
    """"X called Y a ploy": a verb of naming with an object and its predicate says something."""
    doc, drafts = view.doc, []
    for i, lemma in enumerate(view.lemma):  # lists, not Tokens: most words are not verbs of naming
        if lemma not in _NAMING_VERBS or view.pos[i] != "VERB" or i in taken:
            continue
        token = doc[i]
        objects = [c for c in token.children if c.dep_ in ("dobj", "oprd")]
        if len(objects) < 2 or not any(c.dep_ == "oprd" for c in objects):
            continue
        content = tuple(sorted(t.i for c in objects for t in c.subtree if not t.is_space))
        source = syntactic_source(view, (token.i,), set(content))
        if source and not taken.intersection((*content, *source)):
            roles = TaggedRoles(source, content, 0.6, 0.6)
            drafts.append(Draft(TaggedCue((token.i,), 0.6), roles, syntactic_source=True,
                                 rule="a verb of naming with its object and predicate"))
            taken.update((*content, *source, token.i))
    return drafts


REPORTEDLY = "'reportedly': what is reported, by no one named"
# PolNeAR marks a bare "reportedly" as a cue with no source in 14 of its 22 train occurrences
# outside other cues; "allegedly" in 2 of 12 and "apparently" almost never: those stay hedges.
_REPORTEDLY = frozenset({"reportedly"})
# Right end to end in 6 of the 10 it adds on the 840 cross-fitted train articles (the cut is 0.3):
# stated so, the fitted confidence reads about 0.47.
REPORTEDLY_P = 0.9


def reportedly(view: DocView, taken: set[int]) -> list[Draft]:
    """"Kim Jong-un has reportedly met Russian officials": the clause is a report whose source
    the writer does not name. The cue is the adverb, the content the clause it modifies (its
    subject and predicate, the adverb left out), the source none."""
    drafts = []
    for i, word in enumerate(view.lower):
        if word not in _REPORTEDLY or i in taken or view.quote_of[i] >= 0 or view.dep[i] != "advmod":
            continue
        verb = view.doc[view.head[i]]
        if verb.pos_ not in ("VERB", "AUX") or verb.i in taken:
            continue
        sentence = view.sent_of[i]
        clause = [t.i for t in verb.subtree if t.i != i and not t.is_space and view.sent_of[t.i] == sentence]
        content = trimmed(view, clause)
        if len(content) < 3 or taken.intersection(content):
            continue
        drafts.append(Draft(TaggedCue((i,), REPORTEDLY_P), TaggedRoles((), content, 1.0, REPORTEDLY_P),
                            rule=REPORTEDLY))
        taken.update((*content, i))
    return drafts


MAX_QUOTE_TO_CUE = 8  # tokens from a quote's end to the verb that attributes it


def quoted_then_cue(view: DocView, taken: set[int]) -> list[Draft]:
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
            if view.pos[k] == "VERB" and view.lex[k] in SAYING_CLASSES:
                # The parse can hang the verb inside the quote ("…,” Tulsa police Chief Chuck
                # Jordan said", Tulsa read as a verb): then the name before the verb speaks.
                source = syntactic_source(view, (k,), set(content)) or name_before(view, (k,), set(content))
                if source and not taken.intersection(source):
                    roles = TaggedRoles(source, content, 0.6, 0.6)
                    drafts.append(Draft(TaggedCue((k,), 0.6), roles, syntactic_source=True,
                                         rule="quote followed by a verb of saying"))
                    taken.update((*content, k))
                break
    return drafts


_NESTING_CLASSES = frozenset({"assert", "claim", "report", "deny", "confirm"})
_MISSED_CLASSES = _NESTING_CLASSES | {"believe"}  # "until she believed [she could raise rates]"
_SIBLING_CLASSES = _MISSED_CLASSES - {"report"}


def nested_cues(view: DocView, drafts: list[Draft], taken: set[int]) -> list[TaggedCue]:
    """Reporting verbs inside another attribution's content that the tagger left out
    ("Regnum reported that officials had told aides that ...", "…, North Korea has made it
    clear that …, reported Regnum"): chains need them."""
    found = []
    for draft in drafts:
        content = draft.roles.content
        if quote_type(view, content) == "direct":
            continue  # "I said" inside a quote is the speaker's own telling, not a new source
        for i in range(min(content), max(content) + 1):
            if i in taken:
                continue
            if view.pos[i] == "VERB" and view.lex[i] in _NESTING_CLASSES and _reports_a_clause(view, i):
                found.append(TaggedCue((i,), 0.5))
                taken.add(i)
            elif (plain := made_plain(view, i)) and not taken.intersection(plain):
                found.append(TaggedCue(plain, MADE_PLAIN_P))
                taken.update(plain)
    return found


# Outside quotes, PolNeAR (train and dev) marks 12 of 17 "made (it) clear that" as cues; the
# tagger, which reads "made" as any verb, rarely finds them inside another attribution.
MADE_PLAIN_P = 0.7
MAX_MADE_PLAIN = 6  # tokens from the auxiliary to the adjective: "has made it very clear"


def made_plain(view: DocView, i: int) -> tuple[int, ...]:
    """The tokens of "(has) made it clear that …" when ``i`` is its verb: a light verb and an
    adjective that together say what a verb of saying would; () for any other token."""
    if view.lemma[i] != "make" or view.pos[i] not in ("VERB", "AUX"):
        return ()  # asked of every token: the view's arrays first, spaCy's tokens only for "make"
    token = view.doc[i]
    plain = next((c for c in token.children if c.lower_ in MADE_PLAIN and c.i > i), None)
    if plain is None:
        return ()
    # the "that" opening what was made clear, wherever the parser hung its clause
    # (the small model often reads it as a relative pronoun of the word before: "channels that")
    says_that = any(t.lower_ == "that" and t.i > plain.i for t in token.subtree)
    first = min((c.i for c in token.children if c.dep_ == "aux" and c.i < i), default=i)
    if not says_that or plain.i - first >= MAX_MADE_PLAIN:
        return ()
    return tuple(k for k in range(first, plain.i + 1) if not view.space[k])


def sibling_cues(view: DocView, drafts: list[Draft], taken: set[int]) -> list[TaggedCue]:
    """Verbs of saying that go on from a cue as its participle or conjunct, inside the content
    the tagger gave that cue ("criticized the plan on Tuesday, [saying] that it would cost too
    much", "acknowledged the problem and [called] the venture a failure"): they say their own part."""
    found = []
    for draft in drafts:
        head = cue_head(view, list(draft.cue.tokens))
        content = set(draft.roles.content)
        for i in sorted(content):
            if (i not in taken and i > head and view.head[i] == head and view.dep[i] in ("advcl", "conj")
                    and view.pos[i] == "VERB" and view.lex[i] in _SIBLING_CLASSES
                    and view.quote_of[i] < 0):
                found.append(TaggedCue((i,), 0.5))
                taken.add(i)
    return found


def _reports_a_clause(view: DocView, i: int) -> bool:
    """The verb has a clausal complement and a subject, its own or, as a conjunct, the first
    verb's: someone says (or "said A but cautioned") that something."""
    below = view.children[i]
    return "ccomp" in below and ("nsubj" in below or "nsubjpass" in below or view.dep[i] == "conj")


def missed_cues(view: DocView, taken: set[int]) -> list[TaggedCue]:
    found = []
    for i in range(len(view.lower)):
        if i in taken:
            continue
        if view.quote_of[i] >= 0:
            continue  # "to say it's not just …" inside a quote is the speaker's wording, not a source
        if view.pos[i] == "VERB" and view.lex[i] in _MISSED_CLASSES and _reports_a_clause(view, i):
            found.append(TaggedCue((i,), 0.5))
        elif (plain := made_plain(view, i)) and not taken.intersection(plain):
            found.append(TaggedCue(plain, MADE_PLAIN_P))
    return found


POSTPOSED = "speaker and verb of saying closing the line"
MAX_POSTPOSED_SPEAKER = 8  # tokens between the comma and the verb ("Former White House Doctor")
_LINE_END = frozenset({".", "!", "?", "'", '"', "’", "”"})


def postposed_speaker(view: DocView, taken: set[int]) -> list[Draft]:
    """"Y, X says." with the speaker and the verb closing the line, the headline form
    ("North Korea Could Send 100,000 Troops, Russian Pundit Claims."), where Title Case
    leaves the parser and the tagger without a verb."""
    lexicon, drafts = cue_lexicon(), []
    for n, (start, end) in enumerate(lines(view)):
        words = [i for i in range(start, end) if not view.space[i]]
        while words and view.lower[words[-1]] in _LINE_END:
            words.pop()  # the line's closing stop or mark, not the quote marks inside it
        if len(words) < 5:
            continue
        verb = words[-1]
        cls = view.lex[verb] if view.pos[verb] == "VERB" else lexicon.present_tense_class(view.doc[verb].text)
        if cls not in SAYING_CLASSES or verb in taken:
            continue
        comma = max((k for k, i in enumerate(words[:-1]) if view.lower[i] == ","), default=-1)
        if comma < 3:
            continue
        rest = words[comma + 1:-1]
        closing = [i for i in rest[:1] if view.lower[i] in _LINE_END]  # "Citizen,’ Board Finds": the quote's
        content = trimmed(view, words[:comma]) + ((words[comma], *closing) if closing else ())
        source = tuple(rest[len(closing):])
        if not 1 <= len(source) <= MAX_POSTPOSED_SPEAKER or len(content) < 3:
            continue
        if taken.intersection((*source, *content)) or not view.doc[source[0]].text[:1].isupper():
            continue
        if any(view.pos[i] in ("VERB", "AUX", "PRON") and not view.doc[i].is_title for i in source):
            continue  # a clause, not a speaker ("…, but what do you expect")
        # Sure in a headline, its home (right in both of PolNeAR train's); less so in a story's
        # body ("…, Ms. Gilson and Mr. Rosenthal said", where the tagger usually has it anyway).
        p = 0.9 if n == 0 else 0.6
        drafts.append(Draft(TaggedCue((verb,), p), TaggedRoles(source, content, p, p), rule=POSTPOSED))
        taken.update((*source, *content, verb))
    return drafts
