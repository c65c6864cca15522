"""Import spaCy without PyTorch.

thinc (spaCy's ML layer) imports torch at import time whenever it is installed, for its PyTorch
shims; sourcetrace installs torch for claim embeddings, and the spaCy pipeline never uses it.
That import costs ~250 MB of resident memory and a second of start-up in every process, so
spaCy is imported here first with torch hidden; thinc then records ``has_torch = False`` and
torch stays importable for the code that does need it (``sourcetrace.linking``).
"""

from __future__ import annotations

import sys


def import_spacy_without_torch() -> None:
    if "thinc" in sys.modules or "torch" in sys.modules:
        return  # too late or not needed: someone imported them already
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` now raises ImportError
    try:
        import spacy  # noqa: F401
        import thinc.api  # noqa: F401
    finally:
        del sys.modules["torch"]


import_spacy_without_torch()
