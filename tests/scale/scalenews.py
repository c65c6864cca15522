"""Short fictional wire stories for the scale tests (a module of its own: test modules import it
by name, and ``conftest`` is ambiguous when the whole suite runs)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_articles"]


def write_articles(folder: Path, n: int, *, start: int = 0) -> Path:
    """``n`` short fictional wire stories, each a quote by a named person."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"s{i:03d}.txt").write_text(
            f"Item {i}: the harbour board of Vellmar district {i} met on day {i}. "
            f'"We will dredge berth {i} before the autumn storms," said Captain{i} Ostrand, '
            f"and {i} ships were told to wait, according to officials of port {i}.")
    return folder
