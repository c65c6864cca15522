"""Every linking setting, command and export format is described in docs/claims.md."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sourcetrace.linking import DEFAULT_LINK_SETTINGS, LinkSettings
from sourcetrace.provenance import EDGE_KINDS, FORMATS, NODE_KINDS

DOC = (Path(__file__).parents[2] / "docs" / "claims.md").read_text()

NAMES = ([f.name for f in dataclasses.fields(LinkSettings)] + list(FORMATS) + list(EDGE_KINDS)
         + ["link", "claims", "trace", "export", "--no-link", "--claim", "--query"])


@pytest.mark.parametrize("name", NAMES)
def test_documented(name: str) -> None:
    assert f"`{name}`" in DOC or f"{name} " in DOC, f"{name} is not described in docs/claims.md"


@pytest.mark.parametrize("kind", NODE_KINDS)
def test_node_kinds_documented(kind: str) -> None:
    assert f"`{kind}:" in DOC


def test_documented_defaults_match_code() -> None:
    for field in dataclasses.fields(LinkSettings):
        value = getattr(DEFAULT_LINK_SETTINGS, field.name)
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        assert f"| `{field.name}` | {shown} |" in DOC, field.name
