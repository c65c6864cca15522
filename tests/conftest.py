"""Shared fixtures. PolNeAR data lives outside the repository and is never committed."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
POLNEAR_DIR = REPO_ROOT.parent / "shared" / "data" / "polnear"


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    """``../shared/data/polnear`` (holding ``dev/`` and ``train/``); skips the test where absent."""
    if not POLNEAR_DIR.is_dir():
        pytest.skip(f"PolNeAR data not found at {POLNEAR_DIR}")
    return POLNEAR_DIR
