"""One exception hierarchy. Every error carries a stable code so users and tests can match it."""

from __future__ import annotations

__all__ = ["SourcetraceError", "DocumentError", "ModelNotFoundError"]


class SourcetraceError(Exception):
    """Base class of everything sourcetrace raises on purpose."""

    code = "ST000"


class ModelNotFoundError(SourcetraceError):
    code = "ST001"


class DocumentError(SourcetraceError):
    """A document that cannot be analysed. The batch it belongs to goes on without it."""

    code = "ST100"

    def __init__(self, doc_id: str, reason: str, kind: str) -> None:
        super().__init__(f"{doc_id}: {reason}")
        self.doc_id = doc_id
        self.reason = reason
        self.kind = kind  # empty | binary | encoding | too-large | not-english | unreadable
