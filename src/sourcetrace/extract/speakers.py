"""Who a source really is: names, pronouns, descriptions, anonymous sources and documents.

``SpeakerResolver(doc, entities)`` reads the entities once (their mentions, their roles from
appositions and titles, whether they look like news outlets) and then ``resolve(source, cue)`` is
called for each attribution in document order, remembering the speakers it has resolved so that
"he said" can go back to the last quoted person. The rules, tried in this order:

1. pronoun ("he", "it", "they") → the last compatible speaker within two sentences, else the
   last compatible entity in subject position, else any last compatible entity mentioned before,
   never a person the text genders otherwise ("Mr.", "spokeswoman", an earlier he or she);
   a relative pronoun ("who", "which") → whatever the noun phrase its clause hangs on resolves to;
2. anonymous ("sources", "officials who spoke on condition of anonymity", "a senior official");
3. document ("the report", "a statement by the ministry") → its owner, when stated;
4. named: an entity on the source's head, or tied to it by compound/apposition (a place at the
   head of a title that leads to a person is the parser's slip: "Tulsa police Chief Chuck Jordan");
   a person's plural people speak as a group of theirs ("McConnell aides");
5. plural groups ("officials", "analysts") and descriptions ("the colonel", "the agency") → the
   entity earlier introduced with that role, or for outlet/organization words the latest one
   (of the same medium, when the word names one: "the broadcaster" is not the journal named
   last); failing those, a headline's singular organization or outlet → the one the article
   introduces with that role later ("…, agency says" above "the Meridian news agency reported");
6. a capitalised name the NER missed → matched against the entities by name, or a capitalised
   title ending in a person's name → that person ("Speaker of the House Rep. Paul Ryan"), else
   unresolved.

Nothing is guessed silently: when no rule fits, ``entity`` is None, the confidence is low and
``how`` says why. Out of scope: gender from first names, number agreement beyond he/she vs it
vs they, first-person sources ("I", "we"), pronoun cataphora ("In his speech, Putin said"),
nested reporting chains (the attribution stage links those), and roles stated only as
predicates ("X is a colonel").
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from spacy.tokens import Doc, Span, Token

from ..records import Entity, SourceKind
from .entities import normalize_name, same_entity
from .quotes import Quote

__all__ = ["Resolution", "SpeakerResolver"]

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_TITLE_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "punct"})
_ATTACH_DEPS = frozenset({"compound", "appos", "nmod", "npadvmod", "poss"})
_HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
_GENDERED_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m",
                      "she": "f", "her": "f", "hers": "f", "herself": "f"}
_MAX_ROLE_TOKENS = 14
_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP"})
_SPEAKER_SENTENCE_WINDOW = 2
_MAX_SPEAKER_LOOKBACK = 50


def _role_gender(word: str) -> str | None:
    """"spokeswoman" → f, "congressman" → m; "man" alone or "human" say nothing."""
    if word.endswith(("woman", "women")) and len(word) > 5:
        return "f"
    if word.endswith(("man", "men")) and len(word) > 4 and not word.endswith(("human", "humen")):
        return "m"
    return None


def _antecedent(pronoun: Token) -> Span | None:
    """What a relative pronoun stands for: "a diplomatic source in Velstadt [who asked not to be
    named]" → "a diplomatic source in Velstadt", the noun phrase the clause hangs on, without it."""
    if pronoun.tag_ not in ("WP", "WDT") or pronoun.lower_ not in ("who", "which", "that"):
        return None
    clause = pronoun.head
    if clause.dep_ != "relcl" or clause.head.pos_ not in ("NOUN", "PROPN"):
        return None
    noun = clause.head
    end = min(clause.left_edge.i, pronoun.i)
    start = noun.left_edge.i
    if start >= end:
        return None
    span = noun.doc[start:end]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    return span


@dataclass(frozen=True, slots=True)
class Resolution:
    entity: str | None
    kind: SourceKind
    roles: tuple[str, ...] = ()
    how: str = ""
    confidence: float = 0.0


@dataclass(frozen=True)
class _Lexicon:
    pronouns: dict[str, str]
    pronoun_targets: dict[str, frozenset[str]]
    outlet_names: frozenset[str]
    outlet_name_words: frozenset[str]
    outlet_nouns: frozenset[str]
    outlet_qualifiers: frozenset[str]
    outlet_qualified: frozenset[str]
    organization_nouns: frozenset[str]
    person_nouns: frozenset[str]
    anonymous_heads: frozenset[str]
    anonymous_phrases: tuple[str, ...]
    indefinite: frozenset[str]
    group_heads: frozenset[str]
    document_heads: frozenset[str]
    outlet_media: dict[str, str]  # outlet noun → its medium (broadcast, or text: print, wire, web)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    d: dict[str, Any] = json.loads(
        resources.files("sourcetrace.data").joinpath("speakers.json").read_text("utf-8"))
    f = frozenset
    return _Lexicon(
        pronouns=d["pronouns"],
        pronoun_targets={k: f(v) for k, v in d["pronoun_targets"].items()},
        outlet_names=f(d["outlet_names"]),
        outlet_name_words=f(d["outlet_name_words"]),
        outlet_nouns=f(d["outlet_nouns"]),
        outlet_qualifiers=f(d["outlet_qualifiers"]),
        outlet_qualified=f(d["outlet_qualified_nouns"]),
        organization_nouns=f(d["organization_nouns"]),
        person_nouns=f(d["person_nouns"]),
        anonymous_heads=f(d["anonymous_heads"]),
        anonymous_phrases=tuple(d["anonymous_phrases"]),
        indefinite=f(d["indefinite_determiners"]),
        group_heads=f(d["group_heads"]),
        outlet_media={word: medium for medium, words in d["outlet_media"].items() if medium != "_doc"
                      for word in words},
        document_heads=f(d["document_heads"]),
    )


def _low(tok: Token) -> str:
    return tok.lemma_.lower() if tok.pos_ in ("NOUN", "PROPN") else tok.lower_


def _is_outlet_phrase(words: Sequence[str]) -> bool:
    """Lower-case words ending in their head: "newspaper", "news agency", but not "agency" alone."""
    lex = _lexicon()
    if not words:
        return False
    head = words[-1]
    if head in lex.outlet_nouns:
        return True
    return head in lex.outlet_qualified and any(w in lex.outlet_qualifiers for w in words[:-1])


@dataclass
class _Info:
    """What the resolver knows about one entity."""

    entity: Entity
    kind: SourceKind
    starts: list[int]  # token index of each mention, sorted
    roots: list[int]  # syntactic root token of each mention
    roles: list[str]
    role_heads: set[str]
    outlet_role: bool  # introduced as "news agency", "newspaper", …


@dataclass(frozen=True)
class _Said:
    """A resolved speaker, remembered for pronouns."""

    pos: int
    sent: int
    resolution: Resolution
    info: int | None  # index into the resolver's entity infos
    text: str
    plural: bool


def _coordinated_roles(appos: Token) -> list[tuple[list[Token], Token]]:
    """An apposition's roles, one per conjunct: "a reserve colonel and editor-in-chief of Russia's
    National Defence journal" is two, cut at the conjunction (the parser hangs "of …" on the
    first head; it reads with the last), so "the editor-in-chief" finds him as "the colonel" does."""
    conjuncts = [c for c in appos.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    tokens = list(appos.subtree)
    cuts = sorted(c.i for c in appos.children if c.dep_ == "cc"
                  or (c.text == "," and any(k.i > c.i for k in conjuncts)))
    if not conjuncts or not cuts:
        return [(tokens, appos)]
    parts: list[tuple[list[Token], Token]] = []
    for head in [appos, *conjuncts]:
        lo = max((i for i in cuts if i < head.i), default=-1)
        hi = min((i for i in cuts if i > head.i), default=tokens[-1].i + 1)
        part = [t for t in tokens if lo < t.i < hi]
        if part:
            parts.append((part, head))
    return parts


def _sentence_numbers(doc: Doc) -> list[int]:
    numbers = [0] * len(doc)
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        for k, sent in enumerate(doc.sents):
            numbers[sent.start:sent.end] = [k] * len(sent)
    return numbers


class SpeakerResolver:
    """Resolves sources of one document; call ``resolve`` in document order."""

    def __init__(self, doc: Doc, entities: Sequence[Entity], quotes: Sequence[Quote] = (),
                 sent_of: Sequence[int] | None = None) -> None:
        """``sent_of``: each token's sentence number, when the caller has it (``DocView.sent_of``;
        reading ``doc.sents`` again costs a few milliseconds per article)."""
        self.doc = doc
        # Names inside a quotation are what was said, not who is speaking: pronouns skip them.
        self._quotes = sorted((q.start, q.end) for q in quotes)
        self._quote_starts = [q[0] for q in self._quotes]
        self._sent_of = list(sent_of) if sent_of is not None else _sentence_numbers(doc)
        # Two passes: every entity's tokens are known before roles are read, so a role never
        # swallows another entity's name.
        self._tok2info: dict[int, int] = {}
        spans = [self._spans_of(k, entity) for k, entity in enumerate(entities)]
        self._infos: list[_Info] = [self._info_of(e, sp) for e, sp in zip(entities, spans)]
        # Every mention in text order, for "most recent before" look-ups: (start, info, root).
        self._mentions = sorted(
            (s, k, r) for k, info in enumerate(self._infos) for s, r in zip(info.starts, info.roots))
        self._mention_starts = [m[0] for m in self._mentions]
        self._said: list[_Said] = []
        # What the text says of each person's gender: an honorific or a gendered role, then the
        # he/she that resolved to them. "She said" never goes to a "Mr." or a "he".
        self._gender: dict[int, str] = {k: g for k, info in enumerate(self._infos)
                                        if (g := self._stated_gender(info))}

    # -- reading the entities ------------------------------------------------------------------

    def _spans_of(self, k: int, entity: Entity) -> list[Span]:
        spans = []
        for s, e in entity.mentions:
            span = self.doc.char_span(s, e, alignment_mode="expand")
            if span is None or not len(span):
                continue
            for i in range(span.start, span.end):
                self._tok2info.setdefault(i, k)
            spans.append(span)
        return sorted(spans, key=lambda sp: sp.start)

    def _info_of(self, entity: Entity, spans: list[Span]) -> _Info:
        roles: dict[str, None] = {}
        heads: set[str] = set()
        outlet_role = False
        for span in spans:
            for role, head, is_outlet in self._roles_of(span, entity.label):
                roles.setdefault(role, None)
                heads.update(head)
                outlet_role = outlet_role or is_outlet
        info = _Info(entity, "unknown", [sp.start for sp in spans], [sp.root.i for sp in spans],
                     list(roles), heads, outlet_role)
        info.kind = self._kind_of(info)
        return info

    def _roles_of(self, span: Span, label: str) -> list[tuple[str, set[str], bool]]:
        """Titles and appositions of one mention: [(role text, {head words}, is an outlet role)]."""
        doc, root = self.doc, span.root
        out: list[tuple[str, set[str], bool]] = []

        def add(tokens: list[Token], head: Token) -> None:
            tokens = [t for t in tokens if t.dep_ != "det" and not (t.is_punct and t.text != "-")]
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            if not tokens or len(tokens) > _MAX_ROLE_TOKENS:
                return
            text = doc[tokens[0].i: tokens[-1].i + 1].text
            words = {head.lower_, head.lemma_.lower()}
            # "editor-in-chief": the hyphenated head word as written.
            hy = head.i
            while hy + 2 < len(doc) and doc[hy + 1].text == "-" and not doc[hy + 1].whitespace_:
                hy += 2
            if hy != head.i:
                words.add(doc[head.i: hy + 1].text.lower())
            is_outlet = _is_outlet_phrase([t.lower_ for t in tokens if t.i <= head.i])
            out.append((text, words, is_outlet))

        # Title words before the name: "Reserve Colonel Igor Korotchenko", "Kremlin spokesman X".
        title: list[Token] = []
        j = span.start - 1
        allowed = set(range(span.start, span.end))
        while j >= 0:
            t = doc[j]
            if t.dep_ in _TITLE_DEPS and t.head.i in allowed and t.pos_ not in ("DET", "PRON") \
                    and not t.is_punct and t.ent_type_ != "PERSON":
                title.insert(0, t)
                allowed.add(j)
                j -= 1
            elif t.text == "-" and title and j > 0 and not t.whitespace_:
                title.insert(0, t)
                allowed.add(j)
                j -= 1
            else:
                break
        title = [t for t in title if t.pos_ in ("NOUN", "PROPN", "ADJ") or t.text == "-"]
        while title and title[-1].pos_ not in ("NOUN", "PROPN"):
            title.pop()  # a title ends in its head noun, never in "-" or an adjective
        if title and any(t.pos_ == "NOUN" or t.lower_ in _lexicon().person_nouns
                         or t.lower_ in _lexicon().outlet_nouns for t in title):
            add(title, title[-1])
        # Appositions: "Igor Korotchenko, editor-in-chief of …"
        for child in root.children:
            # "Roanoke, Va." or "X, Lawrence Cummings" are no roles.
            if child.dep_ == "appos" and child.i > root.i and child.i not in self._tok2info \
                    and child.pos_ == "NOUN" and self._next_to(span, child) \
                    and not self._names_another(child, span):
                for part, head in _coordinated_roles(child):
                    add(part, head)
        # Reverse apposition: "the editor, Igor Korotchenko" / "news agency Regnum".
        if root.dep_ in ("appos", "compound") and root.head.i not in self._tok2info \
                and root.head.pos_ == "NOUN" and root.head.i < span.start:
            head = root.head
            before_name = [t for t in head.subtree
                           if t.i < span.start and (t.i <= head.i or t.i not in self._tok2info)]
            add(before_name, head)
        # Name compounded onto an outlet/organization noun: "Regnum news agency" (but a "Kremlin
        # spokesman" or a "Kremlin statement" is not the Kremlin).
        lex = _lexicon()
        if root.dep_ == "compound" and root.head.i >= span.end and root.head.pos_ == "NOUN" \
                and root.head.i not in self._tok2info and (
                    root.head.lower_ in lex.outlet_nouns or root.head.lower_ in lex.outlet_qualified
                    or (root.head.lemma_.lower() in lex.organization_nouns
                        and label != "PERSON")):
            head = root.head
            add([doc[i] for i in range(span.end, head.i + 1)], head)
        return out

    def _next_to(self, span: Span, apposition: Token) -> bool:
        """Does the apposition start right after the name, past punctuation only? The parser
        sometimes hangs a phrase from the other end of the sentence on a dateline's name."""
        return all(t.is_punct or t.is_space for t in self.doc[span.end: apposition.left_edge.i])

    def _names_another(self, noun: Token, span: Span) -> bool:
        """Is ``noun`` an outlet or organization with another entity's name on it ("the Meridian
        news agency")? The phrase is then that entity, not a role of the name in ``span``."""
        lex = _lexicon()
        word = noun.lemma_.lower()
        if word not in lex.outlet_nouns and word not in lex.outlet_qualified and word not in lex.organization_nouns:
            return False
        return any(t.i < noun.i and t.i not in range(span.start, span.end) and t.i in self._tok2info
                   for t in noun.subtree if t.dep_ in ("compound", "amod"))

    def _stated_gender(self, info: _Info) -> str | None:
        """"m" or "f" when an honorific before a mention or a role says so, and nothing contradicts it."""
        if info.kind != "person":
            return None
        said = {_HONORIFICS.get(self.doc[start - 1].lower_.rstrip(".")) for start in info.starts if start > 0}
        said |= {_role_gender(word) for word in info.role_heads}
        said.discard(None)
        return said.pop() if len(said) == 1 else None

    def _kind_of(self, info: _Info) -> SourceKind:
        lex = _lexicon()
        key = normalize_name(info.entity.name)
        label = info.entity.label
        keys = {key, *(normalize_name(a) for a in info.entity.aliases)}
        if keys & lex.outlet_names:
            return "outlet"
        if label != "PERSON" and set(key.split()) & lex.outlet_name_words:
            return "outlet"
        if info.outlet_role:
            return "outlet"
        if label == "PERSON" and info.role_heads & lex.organization_nouns \
                and not info.role_heads & lex.person_nouns:
            return "organization"  # "the monitoring group Border Watch", tagged PERSON
        if label == "PERSON":
            return "person"
        if label == "ORG" and info.role_heads & lex.person_nouns \
                and not info.role_heads & lex.organization_nouns:  # a person spaCy called an ORG
            return "person"
        if label == "NORP":
            return "group"
        if label in ("WORK_OF_ART", "LAW"):
            return "document"
        return "organization"

    # -- look-ups ------------------------------------------------------------------------------

    def _info_at(self, i: int) -> int | None:
        return self._tok2info.get(i)

    def _resolution(self, k: int, how: str, confidence: float, kind: SourceKind | None = None
                    ) -> Resolution:
        info = self._infos[k]
        return Resolution(info.entity.name, kind or info.kind, tuple(info.roles), how, confidence)

    def _recent_mentions(self, before: int) -> Iterator[tuple[int, int, int]]:
        """Mentions starting before token ``before``, most recent first (lazily: callers stop early)."""
        for j in range(bisect_left(self._mention_starts, before) - 1, -1, -1):
            yield self._mentions[j]

    def _quote_at(self, token: int) -> int:
        """The index of the quote holding token ``token``, or -1."""
        char = self.doc[token].idx
        q = bisect_left(self._quote_starts, char + 1) - 1
        return q if q >= 0 and char < self._quotes[q][1] else -1

    def _recent_entity(self, before: int, kinds: frozenset[str], subject_only: bool = False,
                       where: set[int] | None = None, outside_quotes: bool = False,
                       gender: str | None = None) -> int | None:
        own_quote = self._quote_at(before) if outside_quotes and before < len(self.doc) else -1
        for start, k, root in self._recent_mentions(before):
            if self._infos[k].kind not in kinds or (where is not None and k not in where):
                continue
            if gender is not None and self._gender.get(k, gender) != gender:
                continue
            if outside_quotes and self._quotes and self._quote_at(start) not in (-1, own_quote):
                continue
            if subject_only:
                r = self.doc[root]
                if r.dep_ not in _SUBJECT_DEPS or r.head.dep_ != "ROOT":
                    continue
            return k
        return None

    def _fitting_role(self, word: str, qualifiers: Sequence[str] = ()) -> set[int]:
        """The entities introduced with this role word whose role or name holds the qualifiers."""
        return {k for k, info in enumerate(self._infos) if word in info.role_heads
                and all(any(q in r.lower() for r in (*info.roles, info.entity.name)) for q in qualifiers)}

    def _by_role(self, word: str, before: int, qualifiers: Sequence[str] = ()) -> int | None:
        """The entity introduced with this role word, most recently mentioned before ``before``.

        Capitalised qualifiers of the description must appear in the role or the name: "the
        Democratic nominee" is not the entity introduced as "Republican nominee".
        """
        fits = self._fitting_role(word, qualifiers)
        if not fits:
            return None
        for _, k, _ in self._recent_mentions(before):
            if k in fits:
                return k
        return None

    # -- the rules -----------------------------------------------------------------------------

    def resolve(self, source: Sequence[int], cue: int) -> Resolution:
        """Who the source tokens ``source`` denote, for the cue at token ``cue``."""
        span = self._span_of(source)
        if span is None:
            return Resolution(None, "unknown", (), "empty source span", 0.0)
        before = min(span.start, cue)
        result, k = self._resolve(span, before)
        text = span.text
        plural = span.root.tag_ in ("NNS", "NNPS")
        self._said.append(_Said(before, self._sent_of[before], result, k, text, plural))
        return result

    def describe(self, tokens: Sequence[int], cue: int) -> Resolution:
        """Who the tokens denote, as ``resolve`` says, without counting them as a speaker that a
        later pronoun may stand for: a cited source ("citing unnamed channels") said nothing here."""
        span = self._span_of(tokens)
        if span is None:
            return Resolution(None, "unknown", (), "empty source span", 0.0)
        resolution = self._resolve(span, min(span.start, cue))[0]
        # A bare plural ("citing local news outlets") is some of a kind, not the one named before.
        if (resolution.entity and span.root.tag_ in ("NNS", "NNPS") and span.root.ent_type_ == ""
                and not any(t.dep_ == "det" for t in span.root.children)):
            return replace(resolution, entity=None, how=f"{span.text!r}: some of a kind, not one")
        return resolution

    def _span_of(self, tokens: Sequence[int]) -> Span | None:
        """The tokens from the first to the last, None when there are none."""
        return self.doc[min(tokens): max(tokens) + 1] if tokens else None

    def _resolve(self, span: Span, before: int) -> tuple[Resolution, int | None]:
        lex = _lexicon()
        head = span.root
        word = head.lower_
        text = span.text
        lower = text.lower()
        if word in lex.pronouns:
            return self._pronoun(head, before)
        antecedent = _antecedent(head)
        if antecedent is not None:
            result, k = self._resolve(antecedent, before)
            how = f"relative pronoun '{text}' → '{antecedent.text}': {result.how}"
            return replace(result, how=how, confidence=result.confidence * 0.9), k
        if head.pos_ == "PRON" or head.tag_ in ("WDT", "WP"):
            # "I", "we": first person is out of scope here.
            return Resolution(None, "unknown", (), f"pronoun '{text}' not resolved (not he/she/it/they)",
                              0.1), None
        if _low(head) in lex.anonymous_heads or word in lex.anonymous_heads \
                or any(p in lower for p in lex.anonymous_phrases):
            return Resolution(None, "anonymous", (), f"anonymous source '{text}'", 0.85), None
        is_document = word in lex.document_heads or _low(head) in lex.document_heads
        if head.pos_ in ("NOUN", "PROPN") and is_document and self._info_at(head.i) is None:
            return self._document(span, head)
        named = self._named(span, head)
        if named is not None:
            k = named
            name = self._infos[k].entity.name
            if self._infos[k].kind == "person" and _low(head) in lex.organization_nouns \
                    and self._info_at(head.i) is None:
                # "The Clinton campaign": the person's organization speaks.
                return self._resolution(k, f"named: '{text}' → organization of {name}", 0.8,
                                        kind="organization"), k
            if self._infos[k].kind == "person" and head.tag_ in ("NNS", "NNPS") and self._info_at(head.i) is None \
                    and (_low(head) in lex.person_nouns or _low(head) in lex.group_heads) \
                    and any(self._info_at(t.i) == k for t in head.lefts):  # not "candidates X and Y"
                # "McConnell aides": the person's people speak, as a group.
                return self._resolution(k, f"named: '{text}' → people of {name}", 0.7, kind="group"), k
            return self._resolution(k, f"named: '{text}' → {name}", 0.95), k
        # Common nouns (and lower-case words the tagger called proper) are descriptions.
        if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and head.is_lower):
            return self._description(span, head, before)
        if head.pos_ == "PROPN" or head.is_title:
            return self._capitalised(span, head)
        return Resolution(None, "unknown", (), f"no rule fits source '{text}'", 0.1), None

    def _named(self, span: Span, head: Token) -> int | None:
        lex = _lexicon()
        k = self._info_at(head.i)
        if k is not None:
            return self._person_named_after(span, head) if self._infos[k].entity.label in _PLACE_LABELS else k
        person_head = _low(head) in lex.person_nouns
        # A name tied to the head noun: "Regnum news agency", "spokesman Dmitry Peskov".
        for tok in span:
            k = self._info_at(tok.i)
            if k is None:
                continue
            tied = self._hangs_on(tok, head, k) or (head.dep_ == "appos" and head.head.i == tok.i)
            if not tied:
                continue
            # "Kremlin spokesman": an organization is the speaker's employer, not the speaker;
            # "the New York businessman" is not New York.
            if person_head and self._infos[k].kind != "person":
                continue
            if not (tok.dep_ == "appos" or head.dep_ == "appos" or person_head
                    or self._infos[k].kind == "person" or _low(head) in lex.organization_nouns
                    or _is_outlet_phrase([t.lower_ for t in head.lefts] + [head.lower_])
                    or head.pos_ == "PROPN"):
                continue
            return k
        return None

    def _person_named_after(self, span: Span, head: Token) -> int:
        """The place at a source's head, or the person its title leads to: "Tulsa police Chief
        Chuck Jordan", which the parser can head on "Tulsa", or a dateline's "WASHINGTON --
        President Obama". English noun phrases end in their head, so a person's name further
        on, past nothing but title words, is the speaker."""
        place = self._tok2info[head.i]
        for tok in span[head.i - span.start + 1:]:
            k = self._info_at(tok.i)
            if k is not None and k != place and self._infos[k].kind == "person":
                return k
            if tok.pos_ not in ("NOUN", "PROPN", "ADJ") and tok.text not in (".", "-", "--", "—", "–"):
                break
        return place

    def _person_ending_a_title(self, span: Span) -> int | None:
        """The person whose name ends a capitalised title the parser headed elsewhere:
        "Speaker of the House Rep. Paul Ryan (R-WI)" (headed on "Speaker"). Only words in
        capitals and "of"/"the" before the name, and no determiner: "the wife of Bill Clinton"
        is not Bill Clinton."""
        end = min((t.i for t in span if t.text == "("), default=span.end)  # "(R-WI)" says no more
        named = [t for t in span if t.i < end and not t.is_punct and not t.is_space]
        if not named or named[0].dep_ == "det" or named[0].lower_ in ("a", "an", "the"):
            return None
        k = self._info_at(named[-1].i)
        if k is None or self._infos[k].kind != "person":
            return None
        if not all(t.is_title or t.is_upper or t.lower_ in ("of", "the") or self._info_at(t.i) == k
                   for t in named):
            return None
        return k

    def _hangs_on(self, tok: Token, head: Token, k: int) -> bool:
        """Does the name token ``tok`` modify ``head``, directly or down a chain of compounds
        ("Meridian → news → agency")? An outlet's name may be tagged an adjective ("reported
        Meridian news agency")."""
        deps = _ATTACH_DEPS - {"poss"} | ({"amod"} if self._infos[k].kind == "outlet" else set())
        for _ in range(4):
            if tok.dep_ not in deps:
                return False
            if tok.head.i == head.i:
                return True
            tok, deps = tok.head, {"compound"}
        return False

    def _pronoun(self, head: Token, before: int) -> tuple[Resolution, int | None]:
        lex = _lexicon()
        word = head.lower_
        want = lex.pronouns[word]
        kinds = lex.pronoun_targets[want]
        sent = self._sent_of[before]
        gender = _GENDERED_PRONOUNS.get(word)

        def clashes(k: int | None) -> bool:
            return gender is not None and k is not None and self._gender.get(k, gender) != gender

        def found(resolution: Resolution, k: int | None) -> tuple[Resolution, int | None]:
            if gender is not None and k is not None:
                self._gender.setdefault(k, gender)
            return resolution, k

        # 1. The last speaker, if recent: "…, Korotchenko said. 'They are ready,' he said."
        for said in reversed(self._said):
            if said.pos >= before:
                continue
            if sent - said.sent > _SPEAKER_SENTENCE_WINDOW:
                break
            # he/she may continue a named person or one unnamed individual ("a senior diplomat").
            fits = said.resolution.kind in kinds and (
                want != "person" or said.resolution.entity is not None
                or (said.resolution.kind == "anonymous" and not said.plural))
            if fits and clashes(said.info):
                continue  # "Mr. Smith said … She said": an earlier speaker may still be her
            if fits:
                r = said.resolution
                target = r.entity or f"earlier '{said.text}'"
                return found(Resolution(r.entity, r.kind, r.roles, f"pronoun '{word}' → {target} (last speaker)",
                                        0.75), said.info)
            break
        # 2. The last compatible entity that was a sentence subject, 3. any compatible entity.
        for subject_only, conf in ((True, 0.6), (False, 0.45)):
            k = self._recent_entity(before, kinds, subject_only=subject_only, outside_quotes=True, gender=gender)
            if k is not None:
                how = f"pronoun '{word}' → {self._infos[k].entity.name}"
                return found(self._resolution(k, how, conf), k)
        # 4. An older speaker (a bounded look-back keeps long documents linear).
        for said in reversed(self._said[-_MAX_SPEAKER_LOOKBACK:]):
            if said.pos < before and said.resolution.kind in kinds and said.resolution.entity \
                    and not clashes(said.info):
                r = said.resolution
                return found(Resolution(r.entity, r.kind, r.roles,
                                        f"pronoun '{word}' → {r.entity} (earlier speaker)", 0.4), said.info)
        what = {"person": "person", "organization": "organization or outlet",
                "group": "group or organization"}[want]
        kind = cast(SourceKind, "person" if want == "person" else "unknown")
        return Resolution(None, kind, (), f"unresolved pronoun '{word}': no {what} mentioned before",
                          0.1), None

    def _document(self, span: Span, head: Token) -> tuple[Resolution, int | None]:
        """A document source and, when stated, whose it is: "the report by the … news agency"."""
        lex = _lexicon()
        owner: int | None = None
        how = ""
        for tok in span:
            if tok.i == head.i:
                continue
            k = self._info_at(tok.i)
            if k is not None:
                owner, how = k, f"named owner '{self._infos[k].entity.name}'"
                break
        if owner is None:
            for tok in span:
                if tok.i == head.i:
                    continue
                if tok.lower_ in lex.pronouns and tok.dep_ == "poss":
                    res, k = self._pronoun(tok, span.start)
                    if k is not None:
                        owner, how = k, res.how
                        break
                elif tok.pos_ == "NOUN" and tok.head.i != tok.i and tok.dep_ in ("pobj", "compound", "poss"):
                    res, k = self._description(self.doc[tok.left_edge.i: tok.i + 1], tok, span.start)
                    if k is not None:
                        owner, how = k, res.how
                        break
        text = span.text
        if owner is None:
            return Resolution(None, "document", (), f"document '{text}' with no stated owner", 0.6), None
        name = self._infos[owner].entity.name
        return Resolution(name, "document", tuple(self._infos[owner].roles),
                          f"document '{text}' of {name} ({how})", 0.7), owner

    def _role_words(self, head: Token) -> tuple[list[str], list[str]]:
        """The words a description's head may match a role by ("editor-in-chief", "editor"),
        and its capitalised qualifiers ("Democratic", "Russian"; not sentence-initial, not
        "pro-Kremlin")."""
        words = [_low(head), head.lower_]
        hy = head.i
        while hy + 2 < len(self.doc) and self.doc[hy + 1].text == "-" and not self.doc[hy + 1].whitespace_:
            hy += 2
        if hy != head.i:
            words.insert(0, self.doc[head.i: hy + 1].text.lower())
        qualifiers = [t.lower_ for t in head.lefts
                      if t.is_title and not t.is_sent_start and t.dep_ != "det"
                      and not (t.i > 0 and self.doc[t.i - 1].text == "-")
                      and not (t.i + 1 < len(self.doc) and self.doc[t.i + 1].text == "-")]
        return words, qualifiers

    def _description(self, span: Span, head: Token, before: int) -> tuple[Resolution, int | None]:
        result, k = self._described_before(span, head, before)
        if k is not None or result.kind not in ("outlet", "organization") or self._sent_of[before] > 0 \
                or head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children):
            return result, k  # "Companies and individuals" name no one in particular
        # Nothing before fits. A headline ("Karvelia could send troops, agency says") names its
        # source only in the story below: the one organization introduced with the role. Not
        # people, and not past the headline: "The former secretary of state" is rarely the press
        # secretary named later.
        words, qualifiers = self._role_words(head)
        for w in words:
            fits = {k for k in self._fitting_role(w, qualifiers) if self._infos[k].starts[0] > before}
            if len(fits) == 1:
                k = fits.pop()
                how = f"description '{span.text}' → {self._infos[k].entity.name} (introduced after, as '{w}')"
                return self._resolution(k, how, 0.5), k
        return result, None

    def _media(self, k: int) -> set[str]:
        """The media an entity's name and roles say it is: "Strategic Review journal" text,
        "KTV-1 broadcaster" broadcast; empty when they say none."""
        info, media = self._infos[k], _lexicon().outlet_media
        words = set(normalize_name(info.entity.name).split()) | info.role_heads
        return {media[w] for w in words if w in media}

    def _described_before(self, span: Span, head: Token, before: int) -> tuple[Resolution, int | None]:
        lex = _lexicon()
        text = span.text
        word = _low(head)
        dets = {t.lower_ for t in head.children if t.dep_ in ("det", "nummod", "amod")}
        plural = head.tag_ in ("NNS", "NNPS")
        personish = word in lex.person_nouns or word in lex.group_heads
        if plural and personish and not (dets & {"the", "these", "those"} and self._by_role(word, before)):
            return Resolution(None, "group", (), f"unnamed group '{text}'", 0.7), None
        if dets & lex.indefinite and personish:
            return Resolution(None, "anonymous", (), f"unnamed individual '{text}'", 0.6), None
        # The entity introduced with this role: "the colonel" after "Reserve Colonel X".
        words, qualifiers = self._role_words(head)
        for w in words:
            k = self._by_role(w, before, qualifiers)
            if k is not None:
                how = f"description '{text}' → {self._infos[k].entity.name} (introduced as '{w}')"
                return self._resolution(k, how, 0.75), k
        if _is_outlet_phrase([t.lower_ for t in head.lefts] + [head.lower_]) or word in lex.outlet_nouns or (
                word in lex.outlet_qualified and word in lex.organization_nouns):
            # "the broadcaster" is not the journal named last: an outlet whose name or role says
            # another medium does not fit a description that says one
            medium = lex.outlet_media.get(word)
            fitting = None if medium is None else {k for k in range(len(self._infos))
                                                   if not (said := self._media(k)) or medium in said}
            k = self._recent_entity(before, frozenset({"outlet"}), where=fitting)
            if k is not None:
                how = f"description '{text}' → {self._infos[k].entity.name} (latest outlet)"
                return self._resolution(k, how, 0.6), k
            if word not in lex.organization_nouns:
                return Resolution(None, "outlet", (), f"description '{text}': no outlet named before",
                                  0.2), None
        if word in lex.organization_nouns:
            named = {k for k, info in enumerate(self._infos)
                     if word in normalize_name(info.entity.name).split()}
            k = self._recent_entity(before, frozenset({"organization", "outlet"}), where=named)
            if k is not None:
                how = f"description '{text}' → {self._infos[k].entity.name} (name contains '{word}')"
                return self._resolution(k, how, 0.6), k
            # A guess, so only an ORG-labelled entity that was a sentence subject: not a place,
            # not the object of "troops sent to Osterra".
            orgs = {k for k, info in enumerate(self._infos) if info.entity.label == "ORG"}
            k = self._recent_entity(before, frozenset({"organization"}), subject_only=True, where=orgs)
            if k is not None:
                how = f"description '{text}' → {self._infos[k].entity.name} (latest organization)"
                return self._resolution(k, how, 0.4), k
            return Resolution(None, "organization", (),
                              f"description '{text}': no organization named before", 0.2), None
        if personish:
            near = self._by_role(word, before) if qualifiers else None
            why = (f"earlier '{word}' {self._infos[near].entity.name} is not '{' '.join(qualifiers)}'"
                   if near is not None else f"no earlier entity introduced as '{word}'")
            return Resolution(None, "person", (), f"description '{text}': {why}", 0.2), None
        if head.is_title:  # a name the tagger took for a common noun ("Pence: …" in a headline)
            return self._capitalised(span, head)
        return Resolution(None, "unknown", (), f"no rule fits source '{text}'", 0.1), None

    def _capitalised(self, span: Span, head: Token) -> tuple[Resolution, int | None]:
        """A name the NER missed: match it to an entity by name, else keep it as plain text."""
        name_tokens = [t for t in span if t.is_title and (t.pos_ == "PROPN" or t.i in (head.i,))
                       and t.i <= head.i]
        name = " ".join(t.text for t in name_tokens) or head.text
        # The entity must hold the name's head: "Former White House Doctor" is no White House.
        matches = [k for k, info in enumerate(self._infos)
                   if same_entity(name, info.entity.name)[0]
                   and head.lower_ in info.entity.name.lower().replace("-", " ").split()]
        if len(matches) == 1:
            k = matches[0]
            reason = same_entity(name, self._infos[k].entity.name)[1]
            return self._resolution(k, f"capitalised name '{name}' → {self._infos[k].entity.name} "
                                       f"({reason})", 0.6), k
        k = self._person_ending_a_title(span)
        if k is not None:
            return self._resolution(k, f"named: '{span.text}' → {self._infos[k].entity.name} (a title "
                                       "ending in the name)", 0.8), k
        # Entity stays None: the name is in the source text already, and an entity field that
        # names no extracted entity would mislead the store's linking.
        why = "matches several entities" if matches else "is not among the entities"
        return Resolution(None, "unknown", (), f"capitalised name '{name}' {why}", 0.3), None
