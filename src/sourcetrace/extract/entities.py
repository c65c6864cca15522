"""Named entities with their variants merged: "Putin" / "Vladimir Putin" / "Putin's" are one entity.

Merging is a pure rule over ``(name, label)`` pairs (``merge_names``; ``same_entity`` gives the
reason for one pair) so the corpus store can apply the same rule across articles. After
normalisation (case, hyphens, dots, a leading "the", a trailing possessive, stray quotes) two
names are one entity when they are

* identical, whatever the labels (spaCy's small model often swaps ORG/GPE/PERSON on one string);
* the same but for one middle initial ("Loretta E. Lynch"/"Loretta Lynch");
* one edit apart in a single aligned word ("Kim Jong-un"/"Kim Jung-un", "Zelensky"/"Zelenskyy"),
  with the same initial, a word long enough that one edit is a spelling (≥ 6 characters: "Iran"/
  "Iraq" and "Mark"/"Mary" stay apart), not a demonym ("Russia"/"Russian") nor a plural
  ("Clinton"/"Clintons"), and compatible labels (same label, or both among ORG/GPE/FAC/LOC);
* the shorter one the start or end of the fuller ("Putin", "Vladimir", "Kim" of "Kim Jong-un"),
  under the label most of its mentions carry, and only when exactly one fuller entity fits
  ("Kim" stays alone beside "Kim Jong-un" and "Kim Yo-jong"). For organizations the part must be
  the name's start and a single word must cover half of every name it begins ("Wells" →
  "Wells Fargo", not "House" → "White House", nor "Lindmark" → "Lindmark Institute" beside
  "Lindmark Institute for Eastern Studies"); places never absorb longer names ("Arizona" ≠
  "Arizona Republic"); a bare surname tagged ORG may join a PERSON ("Merrill" → "Nick
  Merrill"); "Jr." marks another person.

The canonical name is the fullest variant, except that a rarer person variant padded with an edge
word ("Rip Donald Trump" from a headline) loses to the plain one; all-caps datelines lose ties.

Besides spaCy's entities, a capitalised word compounded onto a news-outlet noun ("Regnum news
agency") becomes an ORG: the small model misses many wire-service names and speakers need them;
and a capitalised name with a person's role in apposition ("Igor Korotchenko, a reserve colonel")
a PERSON, which it misses in some contexts.
Mentions without a capital letter and "pro-"/"anti-" adjectives are dropped.

Out of scope: coreference of pronouns and descriptions (see ``speakers``), acronyms ("UN" vs
"United Nations"), transliteration tables, cross-lingual names, nested entities, fixing spaCy's
span errors beyond edge trimming.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import Levenshtein
from spacy.attrs import DEP
from spacy.tokens import Doc, Span

from ..records import Attribution, Entity

__all__ = ["ENTITY_LABELS", "extract_entities", "labelled_by_their_sayings", "merge_names", "normalize_name",
           "same_entity", "surface_name"]

ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)
# Labels spaCy confuses with one another on the same kind of string; spelling variants may merge
# across them, token subsets may not ("England" is not "Bank of England").
_PLACE_OR_ORG = frozenset({"ORG", "GPE", "FAC", "LOC"})
# One edit is a spelling variant only on tokens at least this long (≤ 1 edit per 6 characters).
_MIN_CHARS_PER_EDIT = 6
# Token subsets merge only within these labels: "Arizona" is not the "Arizona Republic".
_SUBSET_LABELS = frozenset({"PERSON", "ORG", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
_SURNAME_MISLABELS = frozenset({"ORG"})
_MAX_BLOCK = 200  # names sharing one token beyond this are not compared through it
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Lower-case words inside people's names: "Bashar al-Assad", "Ludwig van Beethoven".
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "van", "von", "de", "da", "di", "du", "del", "della", "der", "le", "la"})
_DEMONYM_ENDINGS = frozenset({"n", "an", "ian", "ns", "ans", "ians"})

_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SEPARATORS = re.compile(r"[-‐‑–—_/]+")
_DROPPED = re.compile(r"[.,\"“”()\[\]]")
_SPACES = re.compile(r"\s+")
# Blanks and stray quotes/dashes spaCy sometimes leaves at an entity's edges ("Donald Trump '").
_EDGE_JUNK = " \t\n\r\xa0\"'“”‘’«»-–—*•"
# "pro-Kremlin", "anti-Western": adjectives spaCy tags as entities; they name no actor.
_AFFIX_ADJECTIVE = re.compile(r"^(?:pro|anti|non|post|pre|ex)[-‐‑]", re.IGNORECASE)


@lru_cache(maxsize=1)
def _speaker_words() -> dict[str, frozenset[str]]:
    """The word lists of ``speakers.json`` the fallbacks below read (``speakers`` imports this
    module, so it cannot lend its own lexicon)."""
    data = json.loads(resources.files("sourcetrace.data").joinpath("speakers.json").read_text("utf-8"))
    return {key: frozenset(data[key])
            for key in ("outlet_nouns", "outlet_qualifiers", "outlet_qualified_nouns", "person_nouns")}


def _strip(text: str) -> tuple[int, int]:
    """(left, right) character counts to drop: a leading "the", a trailing possessive, blanks."""
    left = len(text) - len(text.lstrip(_EDGE_JUNK))
    m = _LEADING.match(text[left:])
    if m:
        left += m.end()
    core = text[left:].rstrip(_EDGE_JUNK)
    m2 = _POSSESSIVE.search(core)
    if m2 and m2.start() > 0:
        core = core[: m2.start()].rstrip(_EDGE_JUNK)
    return left, len(text) - left - len(core)


def surface_name(text: str) -> str:
    """The mention as it should be shown: no "the", no possessive, single spaces."""
    left, right = _strip(text)
    return _SPACES.sub(" ", text[left: len(text) - right]).strip()


def normalize_name(text: str) -> str:
    """Comparison key: lower case, hyphens as spaces, dots dropped ("Kim Jong-un" == "kim jong un")."""
    key = _SEPARATORS.sub(" ", surface_name(text).lower())
    return _SPACES.sub(" ", _DROPPED.sub("", key)).strip()


def _words(text: str) -> list[str]:
    """Whitespace words of the display name, lower-cased, hyphens kept."""
    return _DROPPED.sub("", surface_name(text).lower()).split()


def _demonym_pair(x: str, y: str) -> bool:
    """"Russia"/"Russian", "Korea"/"Korean": a place and its people, one suffix apart."""
    short, long_ = sorted((x, y), key=len)
    return long_.startswith(short) and long_[len(short):] in _DEMONYM_ENDINGS


def _one_token_edit(ta: Sequence[str], tb: Sequence[str]) -> int | None:
    """Edit distance when the names differ in exactly one aligned, long-enough token."""
    if len(ta) != len(tb):
        return None
    diff = [(x, y) for x, y in zip(ta, tb) if x != y]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    if x[0] != y[0] or _demonym_pair(x, y):  # a different initial is a different name ("Jong"/"Song")
        return None
    limit = min(len(x), len(y)) // _MIN_CHARS_PER_EDIT
    dist = Levenshtein.distance(x, y, score_cutoff=max(limit, 1))
    return dist if 0 < dist <= limit else None


@dataclass(frozen=True, slots=True)
class _Name:
    """A name's comparison features, computed once per distinct name."""

    key: str
    tokens: tuple[str, ...]
    words: tuple[str, ...]
    token_set: frozenset[str]
    proper: frozenset[str]  # tokens written with a capital, and name particles ("al-Assad")

    @classmethod
    def of(cls, text: str) -> _Name:
        key = normalize_name(text)
        tokens = tuple(key.split())
        proper = {t for word in surface_name(text).split() for part in _SEPARATORS.split(word)
                  if part[:1].isupper() for t in normalize_name(part).split()}
        return cls(key, tokens, tuple(_words(text)), frozenset(tokens),
                   frozenset(proper | (set(tokens) & _PARTICLES)))


def _plural_pair(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
    return len(ta) == len(tb) and ta[:-1] == tb[:-1] and (ta[-1] + "s" == tb[-1] or tb[-1] + "s" == ta[-1])


def _one_middle_name_apart(a: _Name, b: _Name) -> str:
    """"Loretta E. Lynch" / "Loretta Lynch", "Hillary Rodham Clinton" / "Hillary Clinton": one
    name has a single middle initial or name, the other none ("George H. W. Bush" and "George W.
    Bush" stay apart; "the GOP presidential nominee" has no middle name). Which of the two, or ""
    when neither."""
    short, long_ = sorted((a, b), key=lambda n: len(n.tokens))
    ts, tl = short.tokens, long_.tokens
    if not (len(ts) >= 2 and len(tl) == len(ts) + 1 and tl[:1] + tl[2:] == ts and all(len(t) > 1 for t in ts)
            and tl[1].isalpha() and not {tl[1], ts[-1]} & _GENERATIONS):
        return ""
    if len(tl[1]) == 1:
        return "a middle initial"
    return "a middle name" if set(tl) <= long_.proper else ""


def _compare(a: _Name, b: _Name) -> tuple[bool, str]:
    if not a.key or not b.key:
        return False, "empty name"
    if a.key == b.key:
        return True, "same name after normalisation"
    if middle := _one_middle_name_apart(a, b):
        return True, middle  # "a middle name" names people only: callers check the labels
    if _plural_pair(a.tokens, b.tokens):
        return False, "plural of a name"  # "the Clintons" are not Hillary Clinton
    # Align whole words first so a hyphenated given name counts as one long word ("Jong-un").
    dist = _one_token_edit(a.words, b.words)
    if dist is None:
        dist = _one_token_edit(a.tokens, b.tokens)
    if dist:
        return True, f"edit distance {dist}"
    if _plural_pair(a.tokens, b.tokens):
        return False, "plural of a name"
    short, long_ = sorted((a.tokens, b.tokens), key=len)
    n = len(short)
    if long_[-1] in _GENERATIONS and short[-1] not in _GENERATIONS:
        return False, "different generation"  # "Donald Trump Jr." is not "Donald Trump"
    # The shorter name must be the start or the end of the fuller one: a first name or surname
    # ("Putin", "Kim"), not a word from its middle ("Trump" in a headline mistaken for a name).
    if n < len(long_) and (long_[:n] == short or long_[-n:] == short):
        return True, "token subset"
    return False, "different names"


def same_entity(a: str, b: str) -> tuple[bool, str]:
    """Whether two names can denote one entity, with the reason (labels and ambiguity not checked)."""
    return _compare(_Name.of(a), _Name.of(b))


def _labels_fit(reason: str, la: str, lb: str) -> bool:
    if reason.startswith("same name"):
        return True
    if reason == "a middle name":  # "New York Times" is no "New Times" with a middle name
        return la == lb == "PERSON"
    if la == lb:
        return True
    return reason.startswith("edit distance") and la in _PLACE_OR_ORG and lb in _PLACE_OR_ORG


class _Clusters:
    """Union-find over indices."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _candidate_pairs(feats: dict[str, _Name]) -> list[tuple[str, str]]:
    """Key pairs that can match at all: sharing a token, or one-word names with one initial.

    Blocking keeps long documents near-linear instead of comparing every pair of names; a token
    shared by very many names ("of") is no evidence and is not used to pair them.
    """
    by_token: dict[str, list[str]] = {}
    singles: dict[str, list[str]] = {}
    for k, f in feats.items():
        for t in f.token_set:
            by_token.setdefault(t, []).append(k)
        if len(f.tokens) == 1:
            singles.setdefault(k[0], []).append(k)
    pairs: set[tuple[str, str]] = set()
    for group in (*by_token.values(), *singles.values()):
        if len(group) > _MAX_BLOCK:
            continue
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                a, b = group[x], group[y]
                pairs.add((a, b) if a < b else (b, a))
    order = {k: n for n, k in enumerate(feats)}
    return sorted(pairs, key=lambda p: (order[p[0]], order[p[1]]))


def merge_names(names: Sequence[tuple[str, str]]) -> list[list[int]]:
    """Clusters (sorted lists of indices, ordered by first index) of ``(name, label)`` pairs.

    Identical and spelling-variant names merge first; then each shorter name (taken with the
    label most of its mentions carry) joins the one cluster whose names contain all its tokens,
    and stays alone when two clusters would fit ("Trump" with "Donald Trump" and "Trump
    Foundation" both present is left alone unless its label picks one).
    """
    keys = [normalize_name(n) for n, _ in names]
    labels = [lab for _, lab in names]
    uf = _Clusters(len(names))
    # Work on distinct keys: O(keys²), not O(mentions²). Identical keys merge whatever the label.
    first_of: dict[str, int] = {}
    label_counts: dict[str, Counter[str]] = {}
    for i, k in enumerate(keys):
        uf.union(first_of.setdefault(k, i), i)
        label_counts.setdefault(k, Counter())[labels[i]] += 1
    reps = [(k, i) for k, i in first_of.items() if k]
    label_of = {k: c.most_common(1)[0][0] for k, c in label_counts.items()}
    feats = {k: _Name.of(names[i][0]) for k, i in reps}
    longer: dict[str, list[str]] = {}  # short key -> keys containing all its tokens
    first_index = dict(reps)
    for ka, kb in _candidate_pairs(feats):
        ia, ib = first_index[ka], first_index[kb]
        fa, fb = feats[ka], feats[kb]
        ok, reason = _compare(fa, fb)
        if reason == "plural of a name" and label_of[ka] == label_of[kb] == "NORP":
            uf.union(ia, ib)  # "Americans" and "American" are one group
        elif not ok:
            continue
        elif reason == "token subset":
            short, long_ = (ka, kb) if len(fa.tokens) < len(fb.tokens) else (kb, ka)
            longer.setdefault(short, []).append(long_)
        elif _labels_fit(reason, label_of[ka], label_of[kb]):
            uf.union(ia, ib)
    # A short name attaches only if all its fuller candidates are already one entity.
    for short in sorted(longer, key=lambda k: len(feats[k].tokens)):
        label = label_of[short]
        n = len(feats[short].tokens)
        # Besides people, a part must be the start of the name, and a single word must cover half
        # of it: "Wells" for "Wells Fargo", "Lindmark Institute" for "Lindmark Institute for
        # Eastern Studies", but not "Senate" for "Senate Armed Services Committee" nor "House"
        # for "White House".
        fits = [k for k in longer[short] if label_of[k] == label and label in _SUBSET_LABELS
                and (label == "PERSON" or (feats[k].tokens[:n] == feats[short].tokens
                                           and (n >= 2 or 2 * n >= len(feats[k].tokens))))]
        if n == 1 and label != "PERSON" and any(
                label_of[k] == label and len(feats[k].tokens) > 2 for k in longer[short]):
            # "Lindmark" beside "Lindmark Institute for Eastern Studies" may be the country the
            # institute is named after: a single word must cover half of every name it begins.
            fits = []
        if not fits and label in _SURNAME_MISLABELS and len(feats[short].tokens) == 1:
            # A bare surname spaCy called an ORG: "Merrill" after "Nick Merrill".
            fits = [k for k in longer[short]
                    if label_of[k] == "PERSON" and feats[k].tokens[-1] == feats[short].tokens[0]]
        roots = {uf.find(first_of[k]) for k in fits}
        if len(roots) == 1:
            uf.union(first_of[short], roots.pop())
    groups: dict[int, list[int]] = {}
    for i in range(len(names)):
        groups.setdefault(uf.find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _outlet_fallback(doc: Doc, taken: set[int]) -> list[Span]:
    """Capitalised words compounded onto an outlet noun ("Regnum news agency") as ORG spans."""
    words = _speaker_words()
    nouns, qualifiers, qualified = words["outlet_nouns"], words["outlet_qualifiers"], words["outlet_qualified_nouns"]
    spans: list[Span] = []
    for tok in doc:
        low = tok.lower_
        is_outlet = low in nouns or (
            low in qualified and any(c.lower_ in qualifiers for c in tok.children if c.i < tok.i)
        )
        if not is_outlet:
            continue
        # Capitalised compound modifiers to the left, stopping at lower-case words and hyphens.
        names = [c for c in tok.children
                 if c.i < tok.i and c.dep_ in ("compound", "nmod", "amod") and c.is_title
                 and not c.is_stop and c.i not in taken
                 and not (c.i > 0 and doc[c.i - 1].text in ("-", "‐"))
                 and c.lower_ not in qualifiers and c.lower_ not in nouns]
        if not names:
            continue
        start = min(c.i for c in names)
        end = start
        while end + 1 < tok.i and doc[end + 1].is_title and doc[end + 1].i not in taken:
            end += 1
        if any(i in taken for i in range(start, end + 1)):
            continue
        spans.append(Span(doc, start, end + 1, label="ORG"))
        taken.update(range(start, end + 1))
    return spans


def _person_fallback(doc: Doc, taken: set[int]) -> list[Span]:
    """A capitalised name with a person's role in apposition ("Igor Korotchenko, a reserve
    colonel, …") as a PERSON span where the tagger saw no entity: the small model's NER misses
    such names in some contexts, and a "he said" after them would go to the last name it did see."""
    spans: list[Span] = []
    person_nouns = _speaker_words()["person_nouns"]
    appos = doc.vocab.strings["appos"]
    for i in (doc.to_array([DEP]) == appos).nonzero()[0]:  # a few per article: no Token for the rest
        tok = doc[int(i)]
        name = tok.head
        if tok.lower_ not in person_nouns or name.i > tok.i:
            continue
        if name.pos_ != "PROPN" or not name.is_title or name.i in taken or name.lower_ in person_nouns:
            continue  # a title is no name: "Vice President (then-Senator) Joseph R. Biden"
        if tok.left_edge.i == 0 or doc[tok.left_edge.i - 1].text != ",":
            continue  # set off by a comma, as an apposition is
        start = name.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title \
                and doc[start - 1].head.i == name.i and doc[start - 1].i not in taken:
            start -= 1
        if start > 0 and doc[start - 1].pos_ in ("DET", "ADJ", "NUM"):
            continue  # "the 5th Street Gym": a place, not a person
        if not all(any(ch.islower() for ch in doc[i].text) for i in range(start, name.i + 1)):
            continue  # "Gowdy, R-S.C., fired …": an abbreviation, not a name
        spans.append(Span(doc, start, name.i + 1, label="PERSON"))
        taken.update(range(start, name.i + 1))
    return spans


def _mentions(doc: Doc) -> list[tuple[int, int, str, str]]:
    """(start_char, end_char, surface, label) of every usable mention, trimmed."""
    spans = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    spans += _outlet_fallback(doc, taken)
    spans += _person_fallback(doc, taken)
    out = []
    for span in spans:
        # A headline's verb is no part of a name: "Obama Says" → "Obama"; nor is an inverted
        # verb of saying that opens a sentence: "Said Comey, ..." → "Comey".
        while len(span) > 1 and span[-1].tag_ in ("VBZ", "VBD") and span.label_ == "PERSON":
            span = Span(doc, span.start, span.end - 1, label=span.label_)
        while len(span) > 1 and span[0].tag_ in ("VBZ", "VBD") and span.label_ == "PERSON":
            span = Span(doc, span.start + 1, span.end, label=span.label_)
        text = span.text
        left, right = _strip(text)
        surface = surface_name(text)
        # Names have a capital letter: a lower-case "state" tagged ORG is noise.
        if not any(ch.isupper() for ch in surface) or _AFFIX_ADJECTIVE.match(surface):
            continue
        out.append((span.start_char + left, span.end_char - right, surface, span.label_))
    out.sort()
    return out


def _padded(name: str, counts: Counter[str]) -> bool:
    """A rarer person variant that is a more frequent multi-word variant plus an edge word: "Rip
    Donald Trump" (a headline verb) or "Crooked Hillary Clinton" (an epithet)."""
    tokens = _words(name)
    for other, count in counts.items():
        inner = _words(other)
        if 2 <= len(inner) < len(tokens) and count > counts[name] and (
                tokens[:len(inner)] == inner or tokens[-len(inner):] == inner):
            return True
    return False


def _fullness(name: str) -> tuple[int, int]:
    key = normalize_name(name)
    return len(key.split()), len(key)


def _unshouted(name: str, surfaces: Sequence[str]) -> str:
    """``name`` with each word it shouts in capitals ("KIM Jong-un": a tabloid sets a story's
    first words so) written as the article writes it elsewhere ("Kim"); a word the article only
    ever writes in capitals (an acronym, a dateline's place) stays as it is."""
    words = name.split(" ")
    if len(words) < 2 or all(w.isupper() for w in words):
        return name
    written = {w.lower(): w for s in surfaces for w in s.split(" ") if not w.isupper()}
    return " ".join(written.get(w.lower(), w) if w.isupper() and len(w) > 1 else w for w in words)


def extract_entities(doc: Doc) -> list[Entity]:
    """Entities of the document, variants merged, ids ``e1, e2, …`` by first mention."""
    mentions = _mentions(doc)
    clusters = merge_names([(surface, label) for _, _, surface, label in mentions])
    entities: list[Entity] = []
    for n, cluster in enumerate(clusters, start=1):
        surfaces = [mentions[i][2] for i in cluster]
        counts = Counter(surfaces)
        # Fullest variant; ties go to normal case, the most frequent, then the first seen.
        order = {s: k for k, s in reversed(list(enumerate(surfaces)))}
        person = {mentions[i][2] for i in cluster if mentions[i][3] == "PERSON"}
        eligible = [s for s in counts if s not in person or not _padded(s, counts)] or list(counts)
        # Datelines shout ("WASHINGTON"): prefer the normally written form of an equal name.
        chosen = max(eligible, key=lambda s: (*_fullness(s), not s.isupper(), counts[s], -order[s]))
        # The canonical variant's own label: the fullest name is the one spaCy labels best.
        label = Counter(mentions[i][3] for i in cluster if mentions[i][2] == chosen).most_common(1)[0][0]
        name = _unshouted(chosen, surfaces)
        aliases = tuple(dict.fromkeys(s for s in surfaces if s != name))
        spans = tuple(sorted((mentions[i][0], mentions[i][1]) for i in cluster))
        entities.append(Entity(id=f"e{n}", name=name, label=label, aliases=aliases, mentions=spans))
    return entities


_ORGANIZATION_KINDS = frozenset({"outlet", "organization"})
_KEPT_LABELS = frozenset({"ORG", "GPE", "LOC"})  # a government speaks for its country


def labelled_by_their_sayings(entities: Sequence[Entity], attributions: Sequence[Attribution]) -> list[Entity]:
    """Entities the tagger called anything but an organization or a place (PERSON, NORP,
    PRODUCT, …) that speak only as an outlet or organization ("…, reported Regnum news agency":
    the speaker resolver read "news agency") are labelled ORG, so the entity list agrees with
    the sources, and the store files "Meridian" under one label whichever way the tagger read it
    in each article (a name and its label make one entity). A name that also speaks as a person
    keeps its label, and a country that speaks ("Karvelia denied") stays a place."""
    kinds: dict[str, set[str]] = {}
    for a in attributions:
        if a.source is not None and a.source.entity is not None:
            kinds.setdefault(a.source.entity, set()).add(a.source.kind)
    return [dataclasses.replace(e, label="ORG")
            if e.label not in _KEPT_LABELS and kinds.get(e.name) and kinds[e.name] <= _ORGANIZATION_KINDS else e
            for e in entities]
