"""The taggers' features on parsed sentences: what a cue's clause tells the role tagger, and the
conjunctions the cue tagger reads. The parse is the real model's, so each sentence is plain."""

from __future__ import annotations

import pytest

from sourcetrace.analyzer import Analyzer
from sourcetrace.extract.features import doc_view, role_features, role_window

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def features_of(analyzer: Analyzer, text: str, cue: str, token: str) -> list[str]:
    """The role features of ``token`` relative to the cue word ``cue``."""
    view = doc_view(analyzer.parse(text))
    c = view.lower.index(cue)
    window = role_window(view, [c])
    return role_features(view, [c], window, set())[view.lower.index(token) - window[0]]


def test_role_features_carry_the_cue_clause_voice_and_subject(analyzer: Analyzer) -> None:
    active = features_of(analyzer, "Ivan Petrov said the troops would arrive.", "said", "troops")
    passive = features_of(analyzer, "It was reported by the agency that the troops would arrive.", "reported",
                          "troops")
    bare = features_of(analyzer, "Troops will come, according to the agency.", "according", "troops")
    assert any(f.startswith("cv=act|PERSON|R|") for f in active)
    assert any(f.startswith("cs=subj|nq|R|") for f in active)
    assert any(f.startswith("cv=pass|") for f in passive)
    assert any(f.startswith("cs=nosubj|") for f in bare)


def test_role_features_count_the_quotes_in_the_window(analyzer: Analyzer) -> None:
    none = features_of(analyzer, "Ivan Petrov said the troops would arrive.", "said", "troops")
    one = features_of(analyzer, '"The troops will arrive," Ivan Petrov said.', "said", "troops")
    two = features_of(analyzer, '"The troops will arrive," Ivan Petrov said, "within weeks."', "said", "troops")
    assert "cq=0|R|out" in none
    assert "cq=1|L|in" in one
    assert "cq=2|L|in" in two


def test_cue_candidates_conjoin_their_lemma_with_their_dependents(analyzer: Analyzer) -> None:
    view = doc_view(analyzer.parse("The minister wants to send troops, officials said."))
    wants, said, troops = (view.lower.index(w) for w in ("wants", "said", "troops"))
    assert "lsig=want|SX" in view.static[wants]  # a subject and a to-clause
    assert "lsub=want|NOUN" in view.static[wants]
    assert "lsub=say|NOUN" in view.static[said]
    assert not any(f.startswith("lsig=") for f in view.static[view.lower.index("to")])  # a particle is no cue
    assert any(f.startswith("ldep=troop|") for f in view.static[troops])


def test_a_short_tail_reaches_back_one_sentence_but_not_over_a_line_break(analyzer: Analyzer) -> None:
    for text, reaches in (('"Troops are coming. They will arrive soon." He said so.', True),
                          ("Troops are coming, a pundit claims.\nHe said so.", False)):
        view = doc_view(analyzer.parse(text))
        said = view.lower.index("said")
        lo, _ = role_window(view, [said])
        assert (view.lower.index("troops") >= lo) is reaches, text


def test_a_cue_over_a_sentence_break_lies_whole_in_its_window(analyzer: Analyzer) -> None:
    # A gold cue the parser split ("… Apologizes | To Ben Carson For …") once crashed `make train`.
    view = doc_view(analyzer.parse("The minister spoke. Then he apologized. To the farmers he said sorry."))
    cue = [view.lower.index("apologized"), view.lower.index("to")]
    assert view.sent_of[cue[0]] != view.sent_of[cue[1]]
    lo, hi = role_window(view, cue)
    assert lo <= cue[0] and cue[1] < hi
    role_features(view, cue, (lo, hi), set(cue))


def test_a_short_sentence_after_a_full_stop_is_no_tail(analyzer: Analyzer) -> None:
    # '"...," Obama said after the meeting. He didn't suggest retaliation.' once gave the quote to
    # "didn't suggest", whose window reached back over it, and dropped "said" as its duplicate.
    text = '"Troops are coming," the minister said after the meeting. He did not suggest retaliation.'
    view = doc_view(analyzer.parse(text))
    lo, _ = role_window(view, [view.lower.index("suggest")])
    assert view.lower.index("meeting") < lo


def test_a_source_tagged_across_a_quote_mark_keeps_the_cues_side(analyzer: Analyzer) -> None:
    from sourcetrace.extract.shaping import on_the_cues_side

    view = doc_view(analyzer.parse("“Troops are coming to help our military,” Flynn, a top Trump surrogate, said."))
    said, military, comma = view.lower.index("said"), view.lower.index("military"), view.lower.index("said") - 1
    source = on_the_cues_side(view, range(military, comma + 1), [said])
    assert " ".join(view.lower[i] for i in source) == "flynn , a top trump surrogate"
    inside = on_the_cues_side(view, [military], [military + 1])  # a cue in the quote keeps its own side
    assert inside == (military,)


def test_an_opening_mark_left_at_a_sentence_end_opens_the_next_sentence(analyzer: Analyzer) -> None:
    # The parser ends "... overhaul. ''" and starts "It's more ...": the quote then touched the
    # sentence before, whose cues' windows took it in.
    view = doc_view(analyzer.parse("The minister shied away from an overhaul. ''It's more tinkering,'' said Alan Cole."))
    mark = view.lower.index("''")
    assert view.sents[view.sent_of[mark]][0] == mark
    assert view.sent_of[view.lower.index("overhaul")] != view.sent_of[mark]


def test_a_single_mark_is_a_quote_mark_only_where_it_opens_or_closes_a_quote(analyzer: Analyzer) -> None:
    british = doc_view(analyzer.parse("He said: 'We are ready,' and left. 'The soldiers' families wait,' "
                                      "Kim's aide said. 'Soon.'"))
    marks = [i for i, f in enumerate(british.static) if "qmark" in f]
    assert [british.doc[i].text for i in marks] == ["'"] * 6
    assert [british.lower[i] for i in marks] == ['"'] * 6  # read as the double marks the taggers learnt
    apostrophes = [i for i in range(len(british.lower)) if british.doc[i].text == "'" and i not in marks]
    assert [british.lower[i] for i in apostrophes] == ["'"]  # the soldiers' families
    assert all(british.quote_of[i] >= 0 for i, f in enumerate(british.static) if "qmark" in f)
    american = doc_view(analyzer.parse('"We are ready," he said of the soldiers\' \'plan\'. "Soon," she said.'))
    assert [american.lower[i] for i, f in enumerate(american.static) if "qmark" in f] == ['"'] * 4


def _path_by_walking(view, t: int, h: int) -> str:
    """The path feature the slow way: walk ``t``'s chain up to the first ancestor of the head."""
    h_anc = {a: k for k, a in enumerate(view.ancestors(h))}
    if t == h:
        return "self"
    chain = view.ancestors(t)
    for k, a in enumerate(chain):
        if a == h:
            return "sub:" + view.dep[chain[k - 1]] + ("" if k == 1 else ">")
        if a in h_anc:
            return "lca:" + (view.dep[chain[k - 1]] if k else "self") + "|" + str(min(h_anc[a], 3))
    return "none"


def test_the_path_features_of_a_window_match_walking_each_tokens_chain(analyzer: Analyzer) -> None:
    text = ("Up to 100,000 soldiers could be sent, the Meridian agency reported on Thursday, citing "
            "unnamed diplomatic channels.\n\n\"There are reports that volunteers are prepared,\" "
            "Igor Korotchenko, who edits a defence journal, told viewers. He said the offer stood.")
    view = doc_view(analyzer.parse(text))
    kinds = set()
    for h in range(len(view.lower)):
        lo, hi = role_window(view, [h])
        paths = [f.removeprefix("path=") for feats in role_features(view, [h], (lo, hi), set())
                 for f in feats if f.startswith("path=")]
        assert paths == [_path_by_walking(view, t, h) for t in range(lo, hi)], view.lower[h]
        kinds |= {p.split(":")[0] for p in paths}
    assert kinds >= {"self", "sub", "lca"}  # every kind was exercised


def test_the_views_strings_are_the_tokens_own(analyzer: Analyzer) -> None:
    doc = analyzer.parse("Kim Jong-un's envoy DENIED it, Reuters reported from Seoul.")
    view = doc_view(doc)
    assert view.lower == [t.lower_ for t in doc]
    assert view.lemma == [t.lemma_.lower() for t in doc]
    assert view.pos == [t.pos_ for t in doc] and view.dep == [t.dep_ for t in doc]
    assert view.ent == [t.ent_type_ for t in doc] and view.head == [t.head.i for t in doc]
    assert view.is_mark == ["qmark" in feats for feats in view.static]
