"""Defaults in one place, read by the Python API and the CLI alike."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Settings", "DEFAULTS", "TAGGERS"]

# The learned taggers that find cues and their sources and contents. "crf": fast, the default.
# "encoder": fine-tuned MiniLM, more accurate (+0.03 F1 on PolNeAR dev) at about a quarter of the speed.
TAGGERS = ("crf", "encoder")


@dataclass(frozen=True, slots=True)
class Settings:
    max_chars: int = 1_000_000          # spaCy's own limit; larger documents are refused, not truncated
    min_english_ratio: float = 0.08     # share of tokens that are common English function words
    batch_size: int = 16                # spaCy nlp.pipe batch size
    spacy_model: str | None = None      # None: first installed of the known English models
    # Attributions less sure than this are left out. None: the F1-optimal threshold fitted by
    # for the tagger on held-out articles (models/confidence*.json); 0.0 keeps every attribution.
    min_confidence: float | None = None
    tagger: str = "crf"                 # one of TAGGERS

    def __post_init__(self) -> None:
        if self.tagger not in TAGGERS:
            raise ValueError(f"tagger must be one of {', '.join(TAGGERS)}, not {self.tagger!r}")


DEFAULTS = Settings()
