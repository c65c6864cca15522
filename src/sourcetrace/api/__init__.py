"""The REST API: ``create_app(corpus)`` returns a FastAPI application whose JSON routes live under
``/api`` (OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``) and whose HTML twins
(``sourcetrace.web``) render the same response models.

    from sourcetrace.api import create_app
    from sourcetrace.corpus import Corpus

    app = create_app(Corpus("sqlite:///news.db"), token="s3cret")   # uvicorn.run(app)
"""

from __future__ import annotations

from ._app import DEFAULT_MAX_BODY, create_app
from ._service import Limits, NotFound, Service

__all__ = ["DEFAULT_MAX_BODY", "Limits", "NotFound", "Service", "create_app"]
