"""Hand-built, deterministic analysis for store tests: no spaCy model, exact records.

``RuleAnalyzer`` finds two patterns with regular expressions, enough to exercise the store:
``"…," said Name.`` (a named person, direct) and ``…, according to officials.`` (anonymous)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from sourcetrace.analyzer import Outcome
from sourcetrace.document import Document
from sourcetrace.errors import DocumentError
from sourcetrace.records import Attribution, Content, Cue, DocumentResult, Entity, Quantity, Source

_SAID = re.compile(r'"(?P<content>[^"]+?),?" (?P<cue>said) (?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)*)')
_ACCORDING = re.compile(r"(?P<content>[A-Z][^.]*?), (?P<cue>according to) (?P<src>officials|sources|a source)")
_NUMBER = re.compile(r"\b(\d+) (percent|people|ships)\b")


def analyze_text(doc_id: str, text: str) -> DocumentResult:
    if "EXPLODE" in text:
        raise RuntimeError("boom")
    atts: list[Attribution] = []
    ents: dict[str, list[tuple[int, int]]] = {}
    for match in _SAID.finditer(text):
        s, e = match.span("name")
        ents.setdefault(match["name"], []).append((s, e))
        atts.append(Attribution(
            id=f"A{len(atts) + 1}",
            source=Source(((s, e),), match["name"], entity=None, kind="person"),
            cue=Cue((match.span("cue"),), match["cue"]),
            content=Content((match.span("content"),), match["content"]),
            type="direct", confidence=0.9, evidence="rule: quote said NAME"))
    for match in _ACCORDING.finditer(text):
        atts.append(Attribution(
            id=f"A{len(atts) + 1}",
            source=Source((match.span("src"),), match["src"], kind="anonymous"),
            cue=Cue((match.span("cue"),), match["cue"]),
            content=Content((match.span("content"),), match["content"]),
            type="indirect", confidence=0.7))
    entities = []
    for n, (name, spans) in enumerate(ents.items(), 1):
        entities.append(Entity(f"E{n}", name, "PERSON", (), tuple(spans)))
    id_of = {e.name: e.id for e in entities}
    atts = [Attribution(a.id, Source(a.source.spans, a.source.text, id_of.get(a.source.text), a.source.kind)
                        if a.source else None, a.cue, a.content, a.type, a.parent, a.stance, a.confidence,
                        a.evidence) for a in atts]
    quantities = tuple(Quantity(m.span(), m.group(0), float(m.group(1)), m.group(2))
                       for m in _NUMBER.finditer(text))
    return DocumentResult(doc_id, tuple(atts), tuple(entities), quantities)


class RuleAnalyzer:
    """Stands in for ``Analyzer``: same interface, errors per document, never aborts."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        for item in documents:
            if isinstance(item, DocumentError):
                yield Outcome(item.doc_id, error=item)
                continue
            self.seen.append(item.id)
            try:
                yield Outcome(item.id, result=analyze_text(item.id, item.text))
            except Exception as err:  # noqa: BLE001
                yield Outcome(item.id, error=DocumentError(item.id, f"extraction failed: {err}", "internal"))


class SlowRuleAnalyzer(RuleAnalyzer):
    """A RuleAnalyzer that takes ``delay`` seconds per document (module level: picklable for spawn)."""

    def __init__(self, delay: float = 0.05) -> None:
        super().__init__()
        self.delay = delay

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        import time

        for outcome in super().analyze_documents(documents):
            time.sleep(self.delay)
            yield outcome


class CrashingRuleAnalyzer(RuleAnalyzer):
    """Kills its own process on a document containing ``SEGFAULT``, as a crashing parser would."""

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        import os

        for item in documents:
            if isinstance(item, Document) and "SEGFAULT" in item.text:
                os._exit(139)
            yield from super().analyze_documents([item])


class EnvReportingAnalyzer:
    """Reports, as each document's error reason, the worker's ``OMP_NUM_THREADS`` (picklable)."""

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        import os

        for item in documents:
            yield Outcome(item.doc_id if isinstance(item, DocumentError) else item.id,
                          error=DocumentError("env", os.environ.get("OMP_NUM_THREADS", "unset"), "internal"))
