"""Quote spans from marks alone: a table of (text, expected quoted stretches)."""

import pytest

from sourcetrace.extract.quotes import find_quotes

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
    ("Guillemets «like this» too.", ["«like this»"]),
    ("", []),
    # Two apostrophes as a straight double mark (archive copy), also run on over paragraphs.
    ("''This isn't reform,'' he said. ''It's a tax increase.''", ["''This isn't reform,''", "''It's a tax increase.''"]),
    ("''Runs on\n\n''and ends,'' she said.", ["''Runs on\n\n''and ends,''"]),
    ("The players' union's deal stands.", []),
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


@pytest.mark.parametrize("text", ['"' * 50, "“" * 30 + "”" * 7, '"\n"\n"\n', "”“" * 40])
def test_pathological_marks_stay_in_bounds(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
