"""Input → document model: read bytes, decode, validate. Bad input raises DocumentError."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DocumentError
from .settings import DEFAULTS, Settings

__all__ = ["Document", "Dropped", "document_from_bytes", "document_from_text", "is_paragraph_break",
           "parsing_copy", "plain_spaces", "read_bytes", "read_document", "without_surrogates"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair: JSON's "\\ud800" decodes to one
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
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


def document_from_text(doc_id: str, text: str, settings: Settings = DEFAULTS, **meta: Any) -> Document:
    _check_text(doc_id, text, settings)
    return Document(doc_id, text, dict(meta))


def document_from_bytes(doc_id: str, data: bytes, settings: Settings = DEFAULTS, **meta: Any) -> Document:
    if len(data) > settings.max_chars * 4:
        raise DocumentError(doc_id, f"document too large ({len(data):,} bytes)", "too-large")
    if b"\x00" in data[:8192]:
        raise DocumentError(doc_id, "looks binary (NUL bytes)", "binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(doc_id, f"not valid UTF-8 (byte {err.start})", "encoding") from None
    return document_from_text(doc_id, text, settings, **meta)


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
