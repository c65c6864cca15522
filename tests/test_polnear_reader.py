"""Reading PolNeAR-format gold: a hand-built split (invented sentences), then the real dev split."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from sourcetrace.analyzer import Outcome
from sourcetrace.document import Document
from sourcetrace.errors import DocumentError
from sourcetrace.eval import british_marks, evaluate_polnear, load_polnear
from sourcetrace.eval.polnear import GoldAttribution, GoldDocument, parse_ann, parse_text_bounds, publication_dates
from sourcetrace.records import Attribution, Content, Cue, DocumentResult, Source
from sourcetrace.settings import DEFAULTS

# Invented text. Offsets:  0         1         2         3         4         5         6
#                          0123456789012345678901234567890123456789012345678901234567890123456789
ALPHA = ('The ferry company said the boats would run late. "We are sorry," a spokesman added, '
         '"and we will fix it."\nIt was reported that fares may rise.\n')
# The second annotator's file must be ignored: it is not the alphabetically first.
ALPHA_A1 = """\
T1\tSource 0 17\tThe ferry company
T2\tCue 18 22\tsaid
T3\tContent 23 48\tthe boats would run late.
T4\tAttribution 18 22\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 49 64;84 105\t"We are sorry," "and we will fix it."
T6\tSource 65 76\ta spokesman
T7\tCue 77 82\tadded
T8\tAttribution 77 82\tadded
E2\tAttribution:T8 Source:T6 Cue:T7 Content:T5
T9\tCue 113 121\treported
T10\tContent 122 142\tthat fares may rise.
T11\tAttribution-no-source 113 121\treported
E3\tAttribution-no-source:T11 Content:T10 Cue:T9
T12\tDiscard 0 3\tThe
T13\tDiscuss 23 26\tthe
#1\tAnnotatorNotes T12\tnot sure about this one
"""
ALPHA_B2 = """\
T1\tSource 0 17\tThe ferry company
T2\tCue 18 22\tsaid
T3\tContent 23 48\tthe boats would run late.
T4\tAttribution 18 22\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
"""

# Invented text exercising the oddities of real files.
BETA = ('Officials said on Monday\nthat the bridge is safe. Critics disagree, one engineer told us. '
        'Nobody knows.')
BETA_ANN = """\
T1\tSource 0 9\tOfficials
T2\tCue 10 14\tsaid
T3\tContent 15 40\ton Monday
that the bridge
T4\tAttribution 10 14\tsaid
T5\tContent 41 49\tis safe.
E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3 Content2:T5
T6\tContent 50 66\tCritics disagree
T7\tSource 68 80\tone engineer
T8\tAttribution 81 85\ttold
E2\tAttribution:T8 Content:T6 Source:T7
T9\tCue 97 102\tknows
T10\tAttribution-no-source 97 102\tknows
E3\tAttribution-no-source:T10 Cue:T9
E4\tAttribution:T4 Content:T99 Cue:T2
T11\tContent 500 520\tbeyond the text
E5\tAttribution:T4 Content:T11 Cue:T2
T12\tCue 10 x\tbroken
"""

GAMMA = "A plain article that nobody annotated, said nobody.\n"


def write_split(root: Path) -> Path:
    split = root / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    files = {
        "text/alpha_news_2020.txt": ALPHA,
        "attributions/alpha_news_2020_b2.ann": ALPHA_B2,
        "attributions/alpha_news_2020_a1.ann": ALPHA_A1,
        "text/beta.txt": BETA,
        "attributions/beta_c3.ann": BETA_ANN,
        "text/gamma.txt": GAMMA,
    }
    for name, content in files.items():
        (split / name).write_bytes(content.encode("utf-8"))
    return split


@pytest.fixture
def split(tmp_path: Path) -> Path:
    return write_split(tmp_path)


def test_documents_sorted_with_texts_kept_exactly(split: Path) -> None:
    docs = load_polnear(split)
    assert [d.id for d in docs] == ["alpha_news_2020", "beta", "gamma"]
    assert [d.text for d in docs] == [ALPHA, BETA, GAMMA]


def test_first_annotator_discontinuous_and_no_source(split: Path) -> None:
    alpha = load_polnear(split)[0]
    assert alpha.attributions == (
        GoldAttribution(source=((0, 17),), cue=((18, 22),), content=((23, 48),)),
        GoldAttribution(source=((65, 76),), cue=((77, 82),), content=((49, 64), (84, 105))),
        GoldAttribution(source=None, cue=((113, 121),), content=((122, 142),)),
    )
    assert [alpha.text[s:e] for s, e in alpha.attributions[1].content] == ['"We are sorry,"', '"and we will fix it."']


def test_oddities_are_read_or_skipped_with_a_warning(split: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sourcetrace.eval.polnear"):
        beta = load_polnear(split)[1]
    assert beta.attributions == (
        # Content and Content2 merge into one span list.
        GoldAttribution(source=((0, 9),), cue=((10, 14),), content=((15, 40), (41, 49))),
        # No Cue role: the trigger's span stands in for it.
        GoldAttribution(source=((68, 80),), cue=((81, 85),), content=((50, 66),)),
    )
    warning = " ".join(r.getMessage() for r in caplog.records)
    for expected in ("E3: no content", "E4: role Content points at unknown T99", "E5: offsets reversed or outside the text",
                     "T12: unreadable offsets", "gamma: no annotation file"):
        assert expected in warning


def test_text_column_continues_over_newlines() -> None:
    bounds = parse_text_bounds(BETA_ANN)
    assert bounds["T3"].text == "on Monday\nthat the bridge"
    assert BETA[15:40] == bounds["T3"].text
    assert bounds["T4"].text == "said"
    assert "T12" not in bounds  # unreadable offsets


def test_unannotated_article_and_limit(split: Path) -> None:
    assert load_polnear(split)[2] == GoldDocument("gamma", GAMMA, ())
    assert [d.id for d in load_polnear(split, limit=2)] == ["alpha_news_2020", "beta"]
    assert load_polnear(split, limit=0) == []


def test_publication_dates_come_from_the_metadata_beside_the_split(split: Path) -> None:
    assert {d.published for d in load_polnear(split)} == {None}      # no metadata.tsv: undated
    (split.parent / "metadata.tsv").write_text(
        "compartment\tfilename\tlevel\tpublication_date\ttitle\n"
        "dev\talpha_news_2020\t4\t2016-09-12\tAlpha\n"
        "dev\tbeta\t2\tNone\tBeta\n"
        "dev\tshort-row\n", encoding="utf-8")
    assert publication_dates(split.parent / "metadata.tsv") == {"alpha_news_2020": "2016-09-12"}
    assert [d.published for d in load_polnear(split)] == ["2016-09-12", None, None]
    (split.parent / "metadata.tsv").write_text("filename\tdate\nalpha_news_2020\t2016-09-12\n", encoding="utf-8")
    assert publication_dates(split.parent / "metadata.tsv") == {}    # not PolNeAR's columns: ignored


def test_missing_split_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_polnear(tmp_path / "nowhere")


def test_a_file_that_is_not_utf8_is_named(split: Path) -> None:
    from typer.testing import CliRunner

    from sourcetrace.cli import app
    from sourcetrace.eval.polnear import GoldFormatError

    ann = split / "attributions" / "beta_c3.ann"
    ann.write_bytes(ann.read_bytes() + b"\n#1\tAnnotatorNotes T1\tcaf\xe9\n")  # Latin-1, not UTF-8
    with pytest.raises(GoldFormatError, match="beta_c3.ann: not valid UTF-8"):
        load_polnear(split)
    # The command says so in a line and exits 2, as for a missing split (both were tracebacks).
    for directory in (split, split / "nowhere"):
        result = CliRunner().invoke(app, ["eval", "polnear", str(directory)])
        assert result.exit_code == 2 and result.output.startswith("error: "), result.output


def test_parse_ann_never_raises_on_garbage() -> None:
    assert parse_ann("E1\tAttribution\nT1\tSource\n\n\x00\tjunk\nE2\tnot-a-role\n", "some text") == ()


# --------------------------------------------------------------------------- evaluate_polnear wiring


class EchoAnalyzer:
    """Predicts the gold of the first article exactly, fails on the second, nothing on the third."""

    settings = DEFAULTS

    def __init__(self, gold: dict[str, GoldDocument]) -> None:
        self.gold = gold

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        for item in documents:
            if isinstance(item, DocumentError):
                yield Outcome(item.doc_id, error=item)
            elif item.id == "beta":
                yield Outcome(item.id, error=DocumentError(item.id, "extraction failed", "internal"))
            else:
                yield Outcome(item.id, result=DocumentResult(item.id, tuple(
                    Attribution(f"a{n}", Source(a.source, "") if a.source else None, Cue(a.cue, ""),
                                Content(a.content, ""), "indirect")
                    for n, a in enumerate(self.gold[item.id].attributions))))


def test_evaluate_polnear_scores_engine_outcomes(split: Path) -> None:
    gold = {d.id: d for d in load_polnear(split)}
    report = evaluate_polnear(split, EchoAnalyzer(gold))
    by_id = {d.id: d for d in report.documents}
    assert (by_id["alpha_news_2020"].end_to_end.tp, by_id["alpha_news_2020"].error) == (3, None)
    assert (by_id["beta"].predicted, by_id["beta"].error) == (0, "extraction failed")
    assert report.content_matched.precision == 1.0
    assert report.content_matched.recall == pytest.approx(3 / 5)
    assert report.direct_quotes.gold == 1 and report.direct_quotes.recall == 1.0
    assert len(evaluate_polnear(split, EchoAnalyzer(gold), limit=1).documents) == 1


class SeenTexts(EchoAnalyzer):
    """The echo analyzer that keeps the texts it was given."""

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        documents = list(documents)
        self.seen = [d.text for d in documents if not isinstance(d, DocumentError)]
        yield from super().analyze_documents(documents)


def test_restyled_texts_are_analysed_and_scored_against_the_gold_as_annotated(split: Path) -> None:
    gold = {d.id: d for d in load_polnear(split)}
    plain, british = SeenTexts(gold), SeenTexts(gold)
    expected = evaluate_polnear(split, plain).to_dict()
    assert evaluate_polnear(split, british, restyle=british_marks).to_dict() == expected
    assert british.seen == [british_marks(t) for t in plain.seen] != plain.seen
    with pytest.raises(ValueError, match="offset"):
        evaluate_polnear(split, SeenTexts(gold), restyle=lambda text: text + "!")


def test_british_marks_make_double_marks_single_and_leave_wire_apostrophes() -> None:
    assert british_marks('He said "no" and \u201cyes\u201d. \'\'Wire,\'\' it said.') == \
        "He said 'no' and \u2018yes\u2019. ''Wire,'' it said."


def test_british_marks_print_a_quote_within_a_quote_double() -> None:
    american = "\u201cThey heard him saying, \u2018Hey, go vote\u2019 on Monday. It\u2019s not enough,\u201d she said."
    assert british_marks(american) == \
        "\u2018They heard him saying, \u201cHey, go vote\u201d on Monday. It\u2019s not enough,\u2019 she said."
    straight = "\"People say, 'It doesn't matter,'\" Obama said. The soldiers' families 'wait'."
    assert british_marks(straight) == "'People say, \"It doesn't matter,\"' Obama said. The soldiers' families 'wait'."


def test_article_the_engine_refuses_counts_as_failed(split: Path) -> None:
    (split / "text" / "delta.txt").write_text("   \n", encoding="utf-8")
    gold = {d.id: d for d in load_polnear(split)}
    delta = {d.id: d for d in evaluate_polnear(split, EchoAnalyzer(gold)).documents}["delta"]
    assert (delta.gold, delta.predicted, delta.error) == (0, 0, "empty document")


def test_second_annotations_pair_with_the_first(split: Path) -> None:
    from sourcetrace.eval.polnear import load_second_annotations

    pairs = load_second_annotations(split)
    assert [gold.id for gold, _ in pairs] == ["alpha_news_2020"]  # beta and gamma have one or none
    gold, second = pairs[0]
    assert gold == {d.id: d for d in load_polnear(split)}["alpha_news_2020"]
    assert [(a.cue, a.content) for a in second] == [(((18, 22),), ((23, 48),))]


def test_annotator_agreement_scores_the_second_against_the_first(split: Path) -> None:
    from sourcetrace.eval import annotator_agreement

    report = annotator_agreement([split])
    assert [d.id for d in report.documents] == ["alpha_news_2020"]
    assert (report.end_to_end.tp, report.end_to_end.predicted, report.end_to_end.gold) == (1, 1, 3)
    assert report.end_to_end.precision == 1.0 and report.end_to_end.recall == pytest.approx(1 / 3)
    with pytest.raises(FileNotFoundError):
        annotator_agreement([split.parent / "nowhere"])


def test_cli_agreement(split: Path) -> None:
    import json

    from typer.testing import CliRunner

    from sourcetrace.cli import app

    result = CliRunner().invoke(app, ["eval", "agreement", str(split), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["metrics"]["end_to_end_f1"] == pytest.approx(0.5)
    (split / "attributions" / "alpha_news_2020_b2.ann").unlink()
    assert CliRunner().invoke(app, ["eval", "agreement", str(split)]).exit_code == 1


@pytest.mark.polnear
def test_people_agree_below_perfection_on_the_real_splits(polnear_dir: Path) -> None:
    from sourcetrace.eval import annotator_agreement

    report = annotator_agreement([polnear_dir / "train", polnear_dir / "dev"])
    assert len(report.documents) >= 10
    assert 0.5 < report.headline()["end_to_end_f1"] < 0.95  # the ceiling the engine is read against


# --------------------------------------------------------------------------- the real dev split


@pytest.mark.polnear
def test_real_dev_offsets_agree_with_annotated_text(polnear_dir: Path) -> None:
    split = polnear_dir / "dev"
    docs = load_polnear(split)
    assert len(docs) > 50
    checked = 0
    for doc in docs:
        ann_path = min(p for p in (split / "attributions").glob(f"{doc.id}_*.ann")
                       if p.stem.rpartition("_")[0] == doc.id)
        bounds = parse_text_bounds(ann_path.read_text(encoding="utf-8"))
        for tag, bound in bounds.items():
            if bound.label in {"Source", "Cue", "Content"}:
                assert " ".join(doc.text[s:e] for s, e in bound.spans) == bound.text, (doc.id, tag)
                checked += 1
        for a in doc.attributions:
            for spans in (a.source or (), a.cue, a.content):
                assert all(0 <= s < e <= len(doc.text) for s, e in spans), doc.id
    assert checked > 1000


@pytest.mark.slow
def test_eval_with_workers_scores_as_one_process_does(split: Path) -> None:
    from typer.testing import CliRunner

    from sourcetrace.cli import app

    alone, shared = (CliRunner().invoke(app, ["eval", "polnear", str(split), "--format", "json", "--workers", n])
                     for n in ("1", "2"))
    assert alone.exit_code == shared.exit_code == 0, shared.output
    assert json.loads(shared.stdout) == json.loads(alone.stdout)
    assert json.loads(alone.stdout)["documents"] == 3
