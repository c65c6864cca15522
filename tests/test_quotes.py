"""Quote spans from marks alone: a table of (text, expected quoted stretches)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcetrace.extract.quotes import find_quotes, mark_offsets

CASES = [
    ('He said: "We are ready," and left.', ['"We are ready,"']),
    ("Curly “marks” work.", ["“marks”"]),
    ('Mixed "open then curly” close.', ['"open then curly”']),
    ("“One.” Then “two.”", ["“One.”", "“two.”"]),
    ("“Over two sentences. Still quoted,” she said.", ["“Over two sentences. Still quoted,”"]),
    # Newspaper convention: no closing mark, next paragraph reopens.
    ("“First paragraph runs on\n\n“and closes here,” he said.", ["“First paragraph runs on\n\n“and closes here,”"]),
    ("“Three\n“paragraphs\n“long.” Done.", ["“Three\n“paragraphs\n“long.”"]),
    # An unclosed mark ends at its paragraph when the next does not reopen.
    ("“Never closed\nA plain paragraph.", ["“Never closed"]),
    ("No quotes at all.", []),
    ("A stray closer” here.", []),
    # Scraped copy that lost its spaces: a straight mark after a comma opens, after a word closes.
    ('The envoy said,"Talks will resume."', ['"Talks will resume."']),
    ('He said "yes,"Trump added.', ['"yes,"']),
    ("‘They are ready to fight,’Korotchenko said. ‘Within weeks.’", ["‘They are ready to fight,’", "‘Within weeks.’"]),
    ("Guillemets «like this» too.", ["«like this»"]),
    ("", []),
    # Two apostrophes as a straight double mark (archive copy), also run on over paragraphs.
    ("''This isn't reform,'' he said. ''It's a tax increase.''", ["''This isn't reform,''", "''It's a tax increase.''"]),
    ("''Runs on\n\n''and ends,'' she said.", ["''Runs on\n\n''and ends,''"]),
    # Two backticks open one in text typed for TeX or the Penn Treebank.
    ("``Not reform,'' he said: ``a tax.''", ["``Not reform,''", "``a tax.''"]),
    ("He said: ``Runs on\n\n``and ends,'' and left.", ["``Runs on\n\n``and ends,''"]),
    ("The players' union's deal stands.", []),
    # Single marks, British style: quotes where the document quotes with them.
    ("He said: 'We are ready,' and left. 'Soon,' she said.", ["'We are ready,'", "'Soon,'"]),
    ("Kim’s aide said: ‘They are coming’. ‘Soon.’", ["‘They are coming’", "‘Soon.’"]),
    # ... never inside a word, in an elision, or after a plural before its noun ...
    ("In the '90s they'd rock 'n' roll, he said. 'Yes,' she said. 'No,' he said.", ["'Yes,'", "'No,'"]),
    ("He said: 'The soldiers' families are ready,' and left. 'Soon,' she said.",
     ["'The soldiers' families are ready,'", "'Soon,'"]),
    # ... unless no surer closer follows: then "channels' that" closes the quote.
    ("It spoke through 'diplomatic channels' that were not named. 'Yes,' he said.",
     ["'diplomatic channels'", "'Yes,'"]),
    # ... and they run on over paragraphs like double marks.
    ("He said: 'There are reports of volunteers.\n\n'They are motivated.' Then 'no,' she said.",
     ["'There are reports of volunteers.\n\n'They are motivated.'", "'no,'"]),
    # ... and close before a signature's dash or an ellipsis, vox-pop style.
    ("‘We live in fear.’― Ana Ruiz\n‘I’m ashamed of it.’― Jo Park\n‘Wait for it…’…",
     ["‘We live in fear.’", "‘I’m ashamed of it.’", "‘Wait for it…’"]),
    # As many single-mark quotes as double ones: both are read.
    ("A pundit who said: 'There are reports of volunteers.' He added they were \"ready to act\".",
     ["'There are reports of volunteers.'", '"ready to act"']),
    # A document quoting with single marks keeps its double ones, nested or not ...
    ("'He told me \"no\",' she said. 'Yes,' he said. 'Go.' \"We deny it,\" said the ministry.",
     ["'He told me \"no\",'", "'Yes,'", "'Go.'", '"We deny it,"']),
    # ... and one quoting with double marks reads single ones as apostrophes or nested quotes.
    ('"Double \'nested\' here," he said. "Again," she said.', ['"Double \'nested\' here,"', '"Again,"']),
    ("The 'scare quotes' of a headline.\n\n\"We are ready,\" he said. \"Now,\" she said.",
     ['"We are ready,"', '"Now,"']),
    # ... except after a colon, where tabloid copy quotes with single marks whatever it does elsewhere.
    ("He said: 'There are reports of volunteers.' \"Yes,\" he said. \"No,\" she said. \"Go,\" they said.",
     ["'There are reports of volunteers.'", '"Yes,"', '"No,"', '"Go,"']),
    ("\"Yes,\" he said: 'They are ready to come.\n\n'Truly.' \"No,\" she said. \"Go,\" they said.",
     ['"Yes,"', '"No,"', '"Go,"']),  # closed within its paragraph: a run-on is the document's style
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_quotes(text: str, expected: list[str]) -> None:
    assert [text[q.start : q.end] for q in find_quotes(text)] == expected


def test_run_on_quote_counts_paragraphs_and_unclosed_flag() -> None:
    run_on, dangling = find_quotes("“One\n“two\n“three.”\n“Dangling")
    assert run_on.paragraphs == 3 and run_on.closed
    assert not dangling.closed
    (unclosed,) = find_quotes("Text “dangling")
    assert not unclosed.closed and unclosed.inner == (6, 14)


@pytest.mark.parametrize("blank", ["\n\n", "\r\n\r\n", "\r\r", "\n \n", "\n\t\xa0\n"])
def test_a_run_on_quote_crosses_any_blank_line(blank: str) -> None:
    """Windows and browser-form line endings, old Mac ones, and the spaces scraped copy leaves on
    a blank line: the next paragraph's opening mark still carries the quote on."""
    text = f"He said: “If the talks fail, we will not wait.{blank}“It is a timetable,” he told viewers."
    (quote,) = find_quotes(text)
    assert (text[quote.start], text[quote.end - 1], quote.paragraphs, quote.closed) == ("“", "”", 2, True)


@pytest.mark.parametrize("text", ['"' * 50, "“" * 30 + "”" * 7, '"\n"\n"\n', "”“" * 40, "'" * 50,
                                  "'a cats' b" + " cats' b" * 20_000, " " * 300_000 + "\n“a", ('"a" ' + "'b' " * 3) * 50_000])
def test_pathological_marks_stay_in_bounds(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)


def test_mark_offsets_are_the_marks_that_open_reopen_and_close() -> None:
    text = "He said: 'One\n\n'two.' Then 'no,' she said."
    offsets = mark_offsets(text, find_quotes(text))
    assert sorted(text[i] for i in offsets) == ["'"] * 5
    assert offsets == {text.index("'One"), text.index("'two"), text.index(".'") + 1, text.index("'no"),
                       text.index(",'") + 1}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 1\n'‘’\"“”.,:", max_size=200))
def test_quotes_are_in_order_disjoint_and_in_bounds(text: str) -> None:
    quotes = find_quotes(text)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
    assert all(a.end <= b.start for a, b in zip(quotes, quotes[1:]))
