"""The public surfaces of ``sourcetrace.linking`` and ``sourcetrace.provenance``: what ``__all__`` says."""

from __future__ import annotations

import pytest

from sourcetrace import linking, provenance


@pytest.mark.parametrize("module", [linking, provenance])
def test_all_names_exist_and_star_import_gives_only_them(module: object) -> None:
    names = module.__all__  # type: ignore[attr-defined]
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(module, name), name
    namespace: dict[str, object] = {}
    exec(f"from {module.__name__} import *", namespace)  # type: ignore[attr-defined]  # noqa: S102
    assert set(namespace) - {"__builtins__"} == set(names)


def test_embedding_errors_are_coded() -> None:
    assert linking.EmbeddingError.code == "ST400"
    assert issubclass(linking.EmbeddingError, __import__("sourcetrace").SourcetraceError)
