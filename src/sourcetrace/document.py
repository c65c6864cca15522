"""Input → document model: read bytes, decode, validate. Bad input raises DocumentError."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DocumentError
from .settings import DEFAULTS, Settings

__all__ = ["Document", "Dropped", "decoded", "document_from_bytes", "document_from_text", "is_paragraph_break",
           "parsing_copy", "plain_spaces", "read_bytes", "read_document", "without_surrogates"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair: JSON's "\\ud800" decodes to one
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00aa\u00ba\u00c0-\u024f\u1e00-\u1eff]")
# Frequent English function words: a cheap, dependency-free language check.
_ENGLISH = frozenset(
    "the of and to a in that is was he she for it with as his on be at by i this had not are "
    "but from or have an they which one you were her all their there been has would will we "
    "said more who its also after than them into could about up out when over new two".split()
)


def is_paragraph_break(whitespace: str) -> bool:
    """Does this run of whitespace hold a blank line, whatever the line endings (Unix "\n",
    Windows and browser forms "\r\n", old Mac "\r")? Offsets index the text as read, so
    line endings are read where they stand, never rewritten."""
    return whitespace.count("\n") >= 2 or whitespace.count("\r") >= 2


# What a reader never sees, left out of the copy spaCy reads: the "\r" of "\r\n" (Windows files,
# and browser forms, which always send it), which shifts tags and parses; the soft hyphen,
# zero-width spaces and joiners, the word joiner, the byte-order mark and the marks that set the
# direction of text (copied tweets and names from right-to-left scripts carry them), which
# scraped and Windows copy has inside and between words ("Korot\xadchenko", "said\u200b the")
# and which glue or split spaCy's tokens, so that neither the name nor the cue was found.
_UNSEEN = re.compile("\r(?=\n)|[\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
# Spaces spaCy does not split words on (it splits on " " alone): the no-break space of HTML's
# &nbsp; ("McCrummen\xa0reports:"), tabs, thin and other typographic spaces. Each made a token of
# its own inside a name or between a speaker and a cue. Read as " ", one for one.
_ODD_SPACE = re.compile("[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")


@dataclass(frozen=True, slots=True)
class Dropped:
    """Where characters were left out of a copy of a text, to map the copy's offsets back."""

    at: tuple[int, ...]  # each left-out character's position in the copy, ascending

    def start(self, k: int) -> int:
        """A span's start in the original: after anything left out just before it."""
        return k + bisect_right(self.at, k)

    def end(self, k: int) -> int:
        """A span's end in the original: before anything left out just after it."""
        return k + bisect_left(self.at, k)


def parsing_copy(text: str) -> tuple[str, Dropped | None]:
    """The copy of ``text`` that spaCy reads (``_UNSEEN`` left out, ``_ODD_SPACE`` read as plain
    spaces) and where the characters left out stood (None when the copy is ``text`` itself).
    Results found in the copy point into ``text`` through ``DocumentResult.remapped``: offsets
    always index the text as read."""
    at: list[int] = []
    copy = text
    if _UNSEEN.search(text):
        parts: list[str] = []
        last = 0
        for m in _UNSEEN.finditer(text):
            parts.append(text[last:m.start()])
            at.append(m.start() - len(at))
            last = m.end()
        parts.append(text[last:])
        copy = "".join(parts)
    copy = plain_spaces(copy)
    return (text, None) if copy == text else (copy, Dropped(tuple(at)))


def plain_spaces(text: str) -> str:
    """``text`` with each ``_ODD_SPACE`` read as " ": the same length, so the same offsets."""
    return _ODD_SPACE.sub(" ", text) if _ODD_SPACE.search(text) else text


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


def without_surrogates(value: str) -> str:
    """``value`` with each half of a UTF-16 pair made U+FFFD, for an id or a title: no database
    or terminal takes one (in a text it is the document's error, ``_check_text``)."""
    return _SURROGATE.sub("\ufffd", value)


def _check_text(doc_id: str, text: str, settings: Settings) -> None:
    if not text.strip():
        raise DocumentError(doc_id, "empty document", "empty")
    if len(text) > settings.max_chars:
        raise DocumentError(
            doc_id, f"document too large ({len(text):,} characters > {settings.max_chars:,})", "too-large"
        )
    if surrogate := _SURROGATE.search(text):
        raise DocumentError(doc_id, f"not valid Unicode (a lone surrogate at character {surrogate.start()})",
                            "encoding")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > max(8, len(text[:100_000]) // 100):
        raise DocumentError(doc_id, f"looks binary ({controls} control characters)", "binary")
    words = _WORD.findall(text[:50_000].lower())
    if len(words) >= 20:
        ratio = sum(w in _ENGLISH for w in words) / len(words)
        if ratio < settings.min_english_ratio:
            raise DocumentError(doc_id, f"not English (function-word ratio {ratio:.2f})", "not-english")
    # Too short for the ratio to say, a text may still be in another script: "Президент заявил …".
    head = text[:50_000]
    letters = _LETTER.findall(head)
    if len(letters) >= 10 and len(_LATIN.findall(head)) < len(letters) / 2:
        foreign = [c for c in letters if not _LATIN.match(c)]
        script = Counter(unicodedata.name(c, "OTHER").split()[0] for c in foreign).most_common(1)[0][0]
        raise DocumentError(doc_id, f"not English (mostly {script if script == 'CJK' else script.title()} letters)",
                            "not-english")


def document_from_text(doc_id: str, text: str, settings: Settings = DEFAULTS, **meta: Any) -> Document:
    _check_text(doc_id, text, settings)
    return Document(doc_id, text, dict(meta))


# Files that are no text, by their first bytes, and what to do with each: the reason a user reads.
_FORMATS = (
    (b"%PDF-", "a PDF document (extract its text first)"),
    (b"{\\rtf", "an RTF document (save it as plain text)"),
    (b"PK\x03\x04", "a ZIP archive, as .docx, .odt and .epub files are (extract its text first)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (save it as plain text)"),
    (b"\x1f\x8b", "gzip-compressed (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed (decompress it first)"),
    (b"(\xb5/\xfd", "zstd-compressed (decompress it first)"),
    (b"7z\xbc\xaf'\x1c", "a 7-Zip archive (extract it first)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))


def decoded(doc_id: str, data: bytes, *, keep_bom: bool = True) -> str:
    """A file's bytes as UTF-8 text, or the DocumentError that says what they are instead: a
    PDF, an archive, UTF-16 text (Windows Notepad's "Unicode"), Windows-1252 text. ``keep_bom``:
    a byte-order mark stays the text's first character (offsets index the text as read)."""
    for magic, what in _FORMATS:
        if data.startswith(magic):
            raise DocumentError(doc_id, f"not text: {what}", "binary")
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            raise DocumentError(doc_id, f"{encoding} text, not UTF-8 (save it as UTF-8)", "encoding")
    head = data[:8192]
    if b"\x00" in head:
        if _utf16_without_bom(head):
            raise DocumentError(doc_id, "UTF-16 text with no byte-order mark, not UTF-8 (save it as UTF-8)",
                                "encoding")
        raise DocumentError(doc_id, "looks binary (NUL bytes)", "binary")
    try:
        return data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as err:
        hint = ""
        try:
            data.decode("cp1252")
            hint = "; perhaps Windows-1252 or Latin-1: `iconv -f cp1252 -t utf-8` converts it"
        except UnicodeDecodeError:
            pass
        raise DocumentError(doc_id, f"not valid UTF-8 (byte {err.start}{hint})", "encoding") from None


def _utf16_without_bom(head: bytes) -> bool:
    """ASCII in UTF-16: a NUL in every other byte, and nowhere else."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 8 and (even.count(0) >= 0.9 * len(even) and not odd.count(0)
                               or odd.count(0) >= 0.9 * len(odd) and not even.count(0))


def document_from_bytes(doc_id: str, data: bytes, settings: Settings = DEFAULTS, **meta: Any) -> Document:
    if len(data) > settings.max_chars * 4:
        raise DocumentError(doc_id, f"document too large ({len(data):,} bytes)", "too-large")
    return document_from_text(doc_id, decoded(doc_id, data), settings, **meta)


def read_bytes(path: Path, settings: Settings = DEFAULTS) -> bytes:
    """A file's bytes, refused (DocumentError, named by the file's stem) when too large to be a
    document or unreadable."""
    try:
        size = path.stat().st_size
        if size > settings.max_chars * 4:
            raise DocumentError(path.stem, f"document too large ({size:,} bytes)", "too-large")
        return path.read_bytes()
    except OSError as err:
        raise DocumentError(path.stem, f"cannot read: {err.strerror}", "unreadable") from None


def read_document(path: Path, settings: Settings = DEFAULTS) -> Document:
    """A text file as a document whose id is the file's stem."""
    return document_from_bytes(path.stem, read_bytes(path, settings), settings, path=str(path))
