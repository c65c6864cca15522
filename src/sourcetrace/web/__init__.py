"""Server-rendered pages. Each page renders the response model of a JSON route in
``sourcetrace.api`` (its twin, linked from the page) built by the same ``Service`` call.
Templates autoescape everything; article text is highlighted from offsets, piece by piece."""

from __future__ import annotations

from ._pages import install

__all__ = ["install"]
