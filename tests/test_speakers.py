"""Speaker resolution on short fictional wire-style paragraphs, resolved in document order."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import get_args

import pytest
import spacy
from spacy.tokens import Doc

from sourcetrace.extract.entities import extract_entities
from sourcetrace.extract.speakers import Resolution, SpeakerResolver
from sourcetrace.nlp import load_nlp
from sourcetrace.records import SourceKind

KOROTCHENKO_ROLES = ("Reserve Colonel", "editor-in-chief of Russia's National Defence journal")

# (paragraph, [(source text, cue word, entity, kind), ...]) — sources found left to right.
PARAGRAPHS = [
    ('Reserve Colonel Igor Korotchenko, editor-in-chief of Russia\'s National Defence journal, told '
     'Regnum news agency that up to 100,000 troops could be sent. "They are ready," he said. '
     'The agency also quoted Vladimir Putin. The report by the pro-Kremlin news agency said Putin had '
     'agreed. The colonel added that the plan was secret.',
     [("Reserve Colonel Igor Korotchenko, editor-in-chief of Russia's National Defence journal", "told",
       "Igor Korotchenko", "person"),
      ("he", "said", "Igor Korotchenko", "person"),
      ("The agency", "quoted", "Regnum", "outlet"),
      ("The report by the pro-Kremlin news agency", "said", "Regnum", "document"),
      ("The colonel", "added", "Igor Korotchenko", "person")]),
    ("Vladimir Putin met Kim Jong-un on Tuesday. Putin said the talks went well. Kim Jung-un said he "
     "agreed. Kim said the visit was historic.",
     [("Putin", "said", "Vladimir Putin", "person"),
      ("Kim Jung-un", "said", "Kim Jong-un", "person"),
      ("Kim", "said", "Kim Jong-un", "person")]),
    ("Kremlin spokesman Dmitry Peskov declined to comment on Monday. The spokesman later said the talks "
     "were over. A Kremlin statement said the talks would resume. The Interfax news agency reported "
     "the same. It said the talks were delayed.",
     [("Kremlin spokesman Dmitry Peskov", "declined", "Dmitry Peskov", "person"),
      ("The spokesman", "said", "Dmitry Peskov", "person"),
      ("A Kremlin statement", "said", "Kremlin", "document"),
      ("The Interfax news agency", "reported", "Interfax", "outlet"),
      ("It", "said", "Interfax", "outlet")]),
    ("Military expert Viktor Litovkin told the TASS news agency that the drones were Iranian. The expert "
     "said the evidence was clear. The documents show otherwise, the newspaper said.",
     [("Military expert Viktor Litovkin", "told", "Viktor Litovkin", "person"),
      ("The expert", "said", "Viktor Litovkin", "person"),
      ("The documents", "show", None, "document"),
      ("the newspaper", "said", "TASS", "outlet")]),
    ("Officials who spoke on condition of anonymity said the talks had stalled. Analysts said the delay "
     "was expected. A source said more was coming. People familiar with the matter said the deal was "
     "close. Critics said it was a sham. Diplomatic channels said nothing.",
     [("Officials who spoke on condition of anonymity", "said", None, "anonymous"),
      ("Analysts", "said", None, "group"),
      ("A source", "said", None, "anonymous"),
      ("People familiar with the matter", "said", None, "anonymous"),
      ("Critics", "said", None, "group"),
      ("Diplomatic channels", "said", None, "anonymous")]),
    # Qualified descriptions must agree with the role; a person's campaign speaks as an organization.
    ("Republican presidential nominee Donald Trump spoke in Ohio on Monday. Hillary Clinton spoke in "
     "Iowa. The Democratic nominee said the plan was wrong. The Clinton campaign said it would respond. "
     "The Republican nominee said he disagreed. Mayor Anna Kowalski said the city was calm. Kowalski "
     "added that the roads were open.",
     [("The Democratic nominee", "said", None, "person"),
      ("The Clinton campaign", "said", "Hillary Clinton", "organization"),
      ("The Republican nominee", "said", "Donald Trump", "person"),
      ("Mayor Anna Kowalski", "said", "Anna Kowalski", "person"),
      ("Kowalski", "added", "Anna Kowalski", "person")]),
    # "they" continues an unnamed group; "its statement" belongs to the organization that spoke.
    ("Western officials said the convoy had crossed the border. They said it carried fuel. The Defence "
     "Ministry said the claims were false. Its statement said the trucks were empty. The ministry added "
     "that talks would continue. Analysts at the Carnegie Endowment said the move was expected.",
     [("Western officials", "said", None, "group"),
      ("They", "said", None, "group"),
      ("The Defence Ministry", "said", "Defence Ministry", "organization"),
      ("Its statement", "said", "Defence Ministry", "document"),
      ("The ministry", "added", "Defence Ministry", "organization"),
      ("Analysts at the Carnegie Endowment", "said", None, "group")]),
    # "he" continues one unnamed individual, but not a plural group of sources.
    ("Igor Petrov met the delegation in Minsk on Friday. A senior diplomat said the talks were tense. "
     "He said no deal was expected. Sources said the talks would resume. He said nothing more.",
     [("A senior diplomat", "said", None, "anonymous"),
      ("He", "said", None, "anonymous"),
      ("Sources", "said", None, "anonymous"),
      ("He", "said", "Igor Petrov", "person")]),
    # A description that names a medium fits no outlet of another: the journal is no broadcaster.
    ("Igor Korotchenko, editor-in-chief of Russia's National Defence journal, appeared on state TV on "
     "Sunday. The Kremlin had not responded, the broadcaster said. The journal said it would comment.",
     [("the broadcaster", "said", None, "outlet"),
      ("The journal", "said", "National Defence journal", "outlet")]),
    # Nothing to resolve to: no silent guesses.
    ('"We are ready," he said. The minister said the plan was fine. The newspaper said so.',
     [("he", "said", None, "person"),
      ("The minister", "said", None, "person"),
      ("The newspaper", "said", None, "outlet")]),
]


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load_nlp()


def _find(text: str, word: str, start: int) -> int:
    m = re.compile(r"\b" + re.escape(word) + r"\b").search(text, start)
    assert m is not None, (word, start)
    return m.start()


def _resolve_all(doc: Doc, cases: list[tuple[str, str]]) -> list[Resolution]:
    resolver = SpeakerResolver(doc, extract_entities(doc))
    text, pos, out = doc.text, 0, []
    for source, cue in cases:
        s = _find(text, source, pos)
        c = _find(text, cue, s + len(source))
        src = doc.char_span(s, s + len(source), alignment_mode="expand")
        cue_span = doc.char_span(c, c + len(cue), alignment_mode="expand")
        assert src is not None and cue_span is not None
        out.append(resolver.resolve(list(range(src.start, src.end)), cue_span.start))
        pos = s + len(source)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), PARAGRAPHS, ids=[p[0][:30] for p in PARAGRAPHS])
def test_resolve_paragraph(nlp: spacy.language.Language, text: str,
                           expected: list[tuple[str, str, str | None, str]]) -> None:
    got = _resolve_all(nlp(text), [(s, c) for s, c, _, _ in expected])
    assert [(r.entity, r.kind) for r in got] == [(e, k) for _, _, e, k in expected]
    for r in got:
        assert 0.0 <= r.confidence <= 1.0 and r.how


@pytest.mark.slow
def test_roles_and_explanations(nlp: spacy.language.Language) -> None:
    text, cases = PARAGRAPHS[0]
    got = _resolve_all(nlp(text), [(s, c) for s, c, _, _ in cases])
    named, pronoun, agency, report, colonel = got
    assert named.roles == KOROTCHENKO_ROLES
    assert pronoun.how.startswith("pronoun 'he' → Igor Korotchenko")
    assert colonel.roles == KOROTCHENKO_ROLES and "colonel" in colonel.how
    assert agency.roles == ("news agency",)
    assert report.how.startswith("document 'The report by the pro-Kremlin news agency' of Regnum")
    assert named.confidence > pronoun.confidence


@pytest.mark.slow
def test_unresolved_is_explained_and_unconfident(nlp: spacy.language.Language) -> None:
    text, cases = PARAGRAPHS[-1]
    he, minister, paper = _resolve_all(nlp(text), [(s, c) for s, c, _, _ in cases])
    assert he.how == "unresolved pronoun 'he': no person mentioned before"
    assert "minister" in minister.how and "no earlier entity" in minister.how
    assert max(he.confidence, minister.confidence, paper.confidence) <= 0.2


@pytest.mark.slow
@pytest.mark.parametrize(("text", "source", "cue", "entity", "how"), [
    # The parser heads the phrase on "Tulsa" (tagged a verb): the person its title leads to speaks.
    ("Tulsa police Chief Chuck Jordan said the officer had been placed on leave.",
     "Tulsa police Chief Chuck Jordan", "said", "Chuck Jordan", "named"),
    # An outlet's name, tagged an adjective the second time.
    ("Up to 100,000 soldiers could be sent to the region, the Meridian news agency reported on Thursday. Some "
     "12,000 troops are already stationed in the border districts, reported Meridian news agency.",
     "Meridian news agency", "reported", "Meridian", "named"),
    # A headline's description names its source only in the story below.
    ("Karvelia could send troops, agency says\n\nUp to 100,000 soldiers could be sent to the region, the "
     "Meridian news agency reported on Thursday.",
     "agency", "says", "Meridian", "description 'agency' → Meridian (introduced after, as 'agency')"),
])
def test_a_speaker_past_a_misleading_parse(nlp: spacy.language.Language, text: str, source: str, cue: str,
                                           entity: str, how: str) -> None:
    doc = nlp(text)
    resolver = SpeakerResolver(doc, extract_entities(doc))
    # The source right after its cue, else right before it.
    after = f"{cue} {source}"
    start = text.index(after) + len(cue) + 1 if after in text else text.index(f"{source} {cue}")
    span = doc.char_span(start, start + len(source))
    assert span is not None
    cue_at = next(t.i for t in doc if t.text == cue and t.i in (span.start - 1, span.end))
    res = resolver.resolve(list(range(span.start, span.end)), cue_at)
    assert res.entity == entity
    assert res.how.startswith(how)


@pytest.mark.slow
def test_a_coordinated_apposition_is_one_role_per_conjunct(nlp: spacy.language.Language) -> None:
    text = ("Igor Korotchenko, a reserve colonel and editor-in-chief of Russia's National Defence journal, told "
            "viewers the troops were ready. The editor-in-chief said the plan was secret. The colonel said more.")
    named, editor, colonel = _resolve_all(nlp(text), [("Igor Korotchenko, a reserve colonel and editor-in-chief "
                                                      "of Russia's National Defence journal", "told"),
                                                     ("The editor-in-chief", "said"), ("The colonel", "said")])
    assert named.roles == ("reserve colonel", "editor-in-chief of Russia's National Defence journal")
    assert editor.entity == colonel.entity == "Igor Korotchenko"


@pytest.mark.slow
def test_pronoun_without_recent_speaker_takes_latest_subject(nlp: spacy.language.Language) -> None:
    text = "Igor Korotchenko arrived in Minsk on Friday. He said the talks would start soon."
    (res,) = _resolve_all(nlp(text), [("He", "said")])
    assert (res.entity, res.kind) == ("Igor Korotchenko", "person")
    assert res.how == "pronoun 'he' → Igor Korotchenko"


def test_empty_source_is_unknown() -> None:
    doc = spacy.blank("en")("He said so.")
    res = SpeakerResolver(doc, []).resolve([], 1)
    assert res == Resolution(None, "unknown", (), "empty source span", 0.0)


def test_lexicon_pronouns_have_targets() -> None:
    data = json.loads(resources.files("sourcetrace.data").joinpath("speakers.json").read_text("utf-8"))
    assert set(data["pronouns"].values()) <= set(data["pronoun_targets"])
    for kinds in data["pronoun_targets"].values():
        assert set(kinds) <= set(get_args(SourceKind))


def _parsed(words: list[str], pos: list[str], heads: list[int], deps: list[str], ents: list[str]) -> Doc:
    vocab = spacy.blank("en").vocab
    return Doc(vocab, words=words, pos=pos, heads=heads, deps=deps, ents=ents)


@pytest.mark.parametrize(("source_word", "expected"), [
    # The NER missed the second mention: the capitalised name still finds its entity.
    ("Korotchenko", ("Igor Korotchenko", "person", 0.6)),
    # A capitalised name matching no entity stays unresolved, with the reason.
    ("Zarkov", (None, "unknown", 0.3)),
])
def test_capitalised_fallback(source_word: str, expected: tuple[str | None, str, float]) -> None:
    doc = _parsed(
        words=["Igor", "Korotchenko", "arrived", ".", source_word, "said", "so", "."],
        pos=["PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "ADV", "PUNCT"],
        heads=[1, 2, 2, 2, 5, 5, 5, 5],
        deps=["compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "advmod", "punct"],
        ents=["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O"],
    )
    res = SpeakerResolver(doc, extract_entities(doc)).resolve([4], 5)
    assert (res.entity, res.kind, res.confidence) == expected
    assert res.how.startswith(f"capitalised name '{source_word}'")


@pytest.mark.slow
@pytest.mark.parametrize(("text", "source", "cue", "entity", "kind"), [
    ("Donald Trump, who said the election was rigged, spoke in Ohio.", "who", "said", "Donald Trump", "person"),
    ("The deployment would be large, according to a diplomatic source in Velstadt who asked not to be named.",
     "who", "asked", None, "anonymous"),
])
def test_relative_pronoun_stands_for_its_antecedent(nlp: spacy.language.Language, text: str, source: str,
                                                     cue: str, entity: str | None, kind: str) -> None:
    (res,) = _resolve_all(nlp(text), [(source, cue)])
    assert (res.entity, res.kind) == (entity, kind)
    assert res.how.startswith(f"relative pronoun '{source}' → ")


@pytest.mark.slow
def test_she_is_never_a_man_the_text_calls_mr(nlp: spacy.language.Language) -> None:
    text = ('Jane Doe, a spokeswoman, spoke first. Mr. Brown said nothing. "It is over," she said. '
            'Mr. Brown said more. "No," he said.')
    brown, she, brown_again, he = _resolve_all(nlp(text), [("Mr. Brown", "said"), ("she", "said"),
                                                          ("Mr. Brown", "said"), ("he", "said")])
    assert brown.entity == brown_again.entity == he.entity == "Brown"
    assert she.entity == "Jane Doe"  # the last speaker is a "Mr.": she is the spokeswoman before him


@pytest.mark.slow
def test_a_persons_people_speak_as_a_group(nlp: spacy.language.Language) -> None:
    text = "Mitch McConnell spoke on Monday. McConnell aides said the vote would be delayed."
    (aides,) = _resolve_all(nlp(text), [("McConnell aides", "said")])
    assert (aides.entity, aides.kind) == ("Mitch McConnell", "group")
    assert aides.how == "named: 'McConnell aides' → people of Mitch McConnell"


@pytest.mark.slow
def test_a_capitalised_title_ending_in_a_name_is_that_person(nlp: spacy.language.Language) -> None:
    # The parser heads the phrase on "Speaker"; the name is the title's end.
    text = "Speaker of the House Rep. Paul Ryan said the bill was good. The wife of Bill Clinton said no."
    ryan, wife = _resolve_all(nlp(text), [("Speaker of the House Rep. Paul Ryan", "said"),
                                          ("The wife of Bill Clinton", "said")])
    assert (ryan.entity, ryan.kind) == ("Paul Ryan", "person")
    assert wife.entity is None  # a description of someone else, not Bill Clinton


@pytest.mark.slow
def test_descriptions_of_people_are_not_read_forward(nlp: spacy.language.Language) -> None:
    # Only a headline's organization looks forward; "the former secretary of state" is not
    # the press secretary named later, and two candidates named after their noun are not one's people.
    text = ("The former secretary of state said the plan was wrong. Her press secretary, Brian Fallon, "
            "added more. Presidential candidates Hillary Clinton and Donald Trump said little.")
    former, candidates = _resolve_all(nlp(text), [("The former secretary of state", "said"),
                                                  ("Presidential candidates Hillary Clinton and Donald Trump",
                                                   "said")])
    assert former.entity is None
    assert "people of" not in candidates.how
