"""Input validation: every way a document can be unusable raises DocumentError with its kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.document import (Document, document_from_bytes, document_from_text, is_paragraph_break, parsing_copy,
                                  plain_spaces, read_document)
from sourcetrace.errors import DocumentError, SourcetraceError
from sourcetrace.settings import Settings

ENGLISH = (
    "The minister said on Tuesday that the new rules would come into force next month, "
    "and officials told reporters that the plan had been agreed by all of the parties."
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag neue Maßnahmen zur Entlastung der Bürger beschlossen. "
    "Nach Angaben des Finanzministeriums sollen die Hilfen bereits im kommenden Monat ausgezahlt "
    "werden, wie ein Sprecher in Berlin mitteilte. Kritiker bezweifeln jedoch, dass das Geld "
    "rechtzeitig ankommt."
)
SPANISH = (
    "El Gobierno aprobó el martes un nuevo paquete de medidas para aliviar a los hogares. Según el "
    "Ministerio de Hacienda, las ayudas se pagarán durante el próximo mes, informó un portavoz en "
    "Madrid. Los críticos dudan de que el dinero llegue a tiempo a las familias que más lo necesitan."
)
SMALL = Settings(max_chars=1_000)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "empty"),
        ("   \n\t  \r\n ", "empty"),
        ("\u00a0\u2003\n", "empty"),
        (ENGLISH + "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11", "binary"),
        (GERMAN, "not-english"),
        (SPANISH, "not-english"),
        (ENGLISH * 8, "too-large"),
        (ENGLISH[:40] + "\ud800" + ENGLISH[40:80], "encoding"),  # half a UTF-16 pair, as JSON can escape it
    ],
    ids=["empty", "whitespace", "unicode-whitespace", "control-chars", "german", "spanish", "too-large",
         "lone-surrogate"],
)
def test_bad_text_raises_with_kind(text: str, kind: str) -> None:
    with pytest.raises(DocumentError) as info:
        document_from_text("d1", text, SMALL)
    assert info.value.kind == kind
    assert info.value.doc_id == "d1"
    assert isinstance(info.value, SourcetraceError)
    assert str(info.value).startswith("d1: ")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"  \n  ", "empty"),
        (b"The minister said\x00\x00\x00 the plan", "binary"),
        (bytes(range(256)), "binary"),
        (ENGLISH.encode("utf-8")[:40] + b"\xff\xfe\xc3" + ENGLISH.encode("utf-8")[40:], "encoding"),
        (ENGLISH.encode("latin-1") + " Müller said".encode("latin-1"), "encoding"),
        (ENGLISH.encode("utf-8") * 8, "too-large"),
        (GERMAN.encode("utf-8"), "not-english"),
    ],
    ids=["empty", "whitespace", "nul", "all-bytes", "invalid-utf8", "latin-1", "too-large", "german"],
)
def test_bad_bytes_raise_with_kind(data: bytes, kind: str) -> None:
    with pytest.raises(DocumentError) as info:
        document_from_bytes("d2", data, Settings(max_chars=1_000))
    assert info.value.kind == kind


def test_valid_text_passes() -> None:
    doc = document_from_text("ok", ENGLISH, source="test")
    assert isinstance(doc, Document)
    assert doc.id == "ok"
    assert doc.text == ENGLISH
    assert doc.meta == {"source": "test"}


def test_short_text_is_not_language_checked() -> None:
    # Fewer than 20 words: too little evidence to refuse it as non-English.
    assert document_from_text("short", "Hola, dijo el ministro.").text == "Hola, dijo el ministro."


@pytest.mark.parametrize(("text", "script"), [
    ("Президент заявил, что план провалился.", "Cyrillic"),
    ("总统表示，该计划已经失败。部长说一切都很好。", "CJK"),
    ("قال الوزير إن الخطة فشلت", "Arabic"),
])
def test_a_short_text_in_another_script_is_not_english(text: str, script: str) -> None:
    """Too few words for the function-word ratio, but its letters say it (a text in Chinese has
    no spaces, so it is one "word" however long)."""
    with pytest.raises(DocumentError, match=f"not English \\(mostly {script} letters\\)") as info:
        document_from_text("d", text)
    assert info.value.kind == "not-english"


def test_an_english_text_quoting_another_script_is_read() -> None:
    text = "The minister said «Президент заявил» on television, and the president agreed with her."
    assert document_from_text("d", text).text == text


@pytest.mark.parametrize(("data", "kind", "reason"), [
    (b"%PDF-1.7\n1 0 obj", "binary", "not text: a PDF document (extract its text first)"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary", "not text: a ZIP archive, as .docx, .odt and .epub files are"),
    (b"{\\rtf1\\ansi The minister said", "binary", "not text: an RTF document (save it as plain text)"),
    (b"\x1f\x8b\x08\x00", "binary", "not text: gzip-compressed (decompress it first)"),
    ("\ufeffThe minister said it was fine.".encode("utf-16-le"), "encoding", "UTF-16 text, not UTF-8"),
    ("The minister said it was fine.".encode("utf-16-le"), "encoding", "UTF-16 text with no byte-order mark"),
    ("The minister said it was fine.".encode("utf-16-be"), "encoding", "UTF-16 text with no byte-order mark"),
    ("\ufeffThe minister said it was fine.".encode("utf-32"), "encoding", "UTF-32 text, not UTF-8"),
    ("Café owner José said it was fine.".encode("cp1252"), "encoding",
     "not valid UTF-8 (byte 3; perhaps Windows-1252 or Latin-1: `iconv -f cp1252 -t utf-8` converts it)"),
    (b"The minister\x00\x17\x00 said", "binary", "looks binary (NUL bytes)"),
])
def test_bytes_that_are_no_utf8_text_say_what_they_are(data: bytes, kind: str, reason: str) -> None:
    with pytest.raises(DocumentError) as info:
        document_from_bytes("d", data)
    assert info.value.kind == kind and info.value.reason.startswith(reason)


def test_offsets_are_kept_bom_and_crlf() -> None:
    text = "\ufeff" + ENGLISH.replace(", and", ",\r\nand") + "\r\n"
    doc = document_from_bytes("bom", text.encode("utf-8"))
    assert doc.text == text  # no BOM stripping, no newline translation
    assert doc.text.index("officials") == text.index("officials")


def test_the_parsing_copy_and_the_way_back() -> None:
    text = "\ufeffAnn said:\r\n\r\n“Yes.”\r\nKorot\xadchenko\nsaid\u200b\u200b no.\r\n"
    copy, dropped = parsing_copy(text)
    assert copy == "Ann said:\n\n“Yes.”\nKorotchenko\nsaid no.\n" and dropped is not None
    for word in ("Ann", "said:", "“Yes.”", "no."):                 # every word where it stood
        s = copy.index(word)
        assert text[dropped.start(s):dropped.end(s + len(word))] == word
    s = copy.index("Korotchenko")                                  # a name read whole, shown as sent
    assert text[dropped.start(s):dropped.end(s + 11)] == "Korot\xadchenko"
    s = copy.index("said no")                                      # a cue ends before what was left out
    assert text[dropped.start(s):dropped.end(s + 4)] == "said"
    assert text[dropped.end(copy.index("\n"))] == "\r"            # a line's end leaves its break out
    assert dropped.end(len(copy)) == len(text)
    assert parsing_copy("nothing unseen\n") == ("nothing unseen\n", None)
    assert parsing_copy("a lone\rreturn")[1] is None               # only "\r\n" pairs lose their "\r"


def test_a_result_found_in_the_copy_points_into_the_text() -> None:
    from sourcetrace.records import Attribution, Content, Cue, DocumentResult, Quantity, Source

    text = "Ann\u200b said: “Yes.”\r\n"
    copy, dropped = parsing_copy(text)
    assert copy == "Ann said: “Yes.”\n" and dropped is not None
    found = DocumentResult("d", (Attribution("a1", Source(((0, 3),), "Ann"), Cue(((4, 9),), "said:"),
                                             Content(((10, 16),), "“Yes.”"), "direct"),),
                           quantities=(Quantity((16, 16), "", 0.0),))
    moved = found.remapped(dropped.start, dropped.end, text)
    (a,) = moved.attributions
    assert [(p.spans, p.text) for p in (a.source, a.cue, a.content)] == [
        (((0, 3),), "Ann"), (((5, 10),), "said:"), (((11, 17),), "“Yes.”")]
    (empty,) = moved.quantities
    assert empty.span[0] == empty.span[1] and empty.text == ""      # an empty span stays empty


def test_odd_spaces_are_read_as_plain_ones_in_place() -> None:
    text = "Mr.\xa0Trump\tsaid\u2009so\u202fand\u3000more. Plain\nlines\n\nstay."
    assert plain_spaces(text) == "Mr. Trump said so and more. Plain\nlines\n\nstay."
    copy, dropped = parsing_copy(text)
    assert copy == plain_spaces(text) and dropped is not None     # nothing left out, but not the text
    assert (dropped.start(4), dropped.end(9)) == (4, 9)          # so every offset stays
    assert plain_spaces("plain") == "plain"


@pytest.mark.parametrize(("space", "blank"), [("\n\n", True), ("\r\n\r\n", True), ("\r\r", True),
                                             ("\n \n", True), ("\n", False), ("\r\n", False), ("  ", False)])
def test_a_paragraph_break_in_any_line_endings(space: str, blank: bool) -> None:
    assert is_paragraph_break(space) is blank


def test_read_document_keeps_bytes_and_uses_stem(tmp_path: Path) -> None:
    text = "\ufeff" + ENGLISH.replace(". ", ".\r\n\r\n")
    path = tmp_path / "wire-2026-03-14.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = read_document(path)
    assert doc.id == "wire-2026-03-14"
    assert doc.text == text
    assert doc.meta["path"] == str(path)


def test_read_document_errors_use_stem(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as info:
        read_document(tmp_path / "missing.txt")
    assert (info.value.doc_id, info.value.kind) == ("missing", "unreadable")

    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DocumentError) as info:
        read_document(binary)
    assert (info.value.doc_id, info.value.kind) == ("image", "binary")


def test_read_document_too_large_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ENGLISH * 50, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        read_document(path, Settings(max_chars=100))
    assert info.value.kind == "too-large"
