"""`sourcetrace analyze PATH...`: attributions of articles as a Rich view, JSON or JSON lines.

PATH is a text file, a directory (its ``*.txt`` files, recursively, in sorted order) or ``-``
for standard input, read as they are (an HTML page on standard input by its main text); or an
HTML page, feed, WARC archive, JSON-lines file or ``http(s)://`` URL, whose articles are read as
``sourcetrace ingest`` reads them: their main text is analysed, and the JSON output carries it as
``text`` (the offsets count in it).
A document that cannot be analysed prints one ``error: ID: REASON`` line on
stderr and the batch goes on. Exit status: 0 all documents analysed, 1 some failed, 2 usage.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..analyzer import Analyzer, Outcome
from ..document import Document, document_from_bytes, document_from_text, read_document
from ..errors import DocumentError, SourcetraceError
from ..ingest import IngestOptions, counted, file_kind, is_url, left_out, read_inputs
from ..ingest.metadata import MetadataError, MetadataTable, read_metadata_table
from ..ingest._fetch import Fetcher, FetchPolicy
from ..ingest.dates import publication_day, resolve_published
from ..ingest.html import article_from_html, looks_like_html
from ..ingest.text import read_sidecar
from ..parallel import PooledAnalyzer, worker_count
from ..records import DocumentResult
from ..render import render_result, result_to_json
from ..settings import TAGGERS, DEFAULTS, Settings
from . import app

__all__ = ["MetadataOption", "Tagger", "TaggerOption", "OutputFormat", "WorkersOption", "analyze", "collect_inputs",
           "load_inputs", "metadata_table", "result_dict", "run"]

STDIN = "-"


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


Tagger = Enum("Tagger", {name: name for name in TAGGERS}, type=str)  # type: ignore[misc]


TaggerOption = Annotated[Tagger, typer.Option(
    "--tagger", case_sensitive=False,
    help="crf: fast (the default). encoder: fine-tuned MiniLMs for cues and roles, more accurate "
         "(+0.03 F1 on PolNeAR dev) at about 3.5 times the run time and twice the memory.")]


MetadataOption = Annotated[Path | None, typer.Option(
    "--metadata", metavar="TABLE", show_default=False,
    help="A CSV or TSV table of the text files' title, outlet, date, author and URL, one row per "
         "file named by a filename or id column (as research corpora ship metadata.tsv); a file's "
         "own NAME.json sidecar wins.")]


def metadata_table(path: Path | None) -> MetadataTable:
    """The ``--metadata`` table (empty without one); a table that cannot be read is a usage error."""
    if path is None:
        return {}
    try:
        return read_metadata_table(path)
    except MetadataError as err:
        raise typer.BadParameter(str(err), param_hint="--metadata") from None


WorkersOption = Annotated[int, typer.Option(
    "--workers", "-j", min=0,
    help="Analysis processes, each with its own model (about 600 MB each); 0: one per core. "
         "Output keeps the input order.")]


def collect_inputs(paths: Iterable[str]) -> list[str]:
    """Each PATH as given, directories expanded to their ``*.txt`` files (recursive, sorted)."""
    inputs: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and path.is_dir():
            inputs.extend(str(p) for p in sorted(path.rglob("*.txt")) if p.is_file())
        else:
            inputs.append(raw)
    return inputs


EXTRACTED = "extracted_from"  # Document.meta key: the text was read out of a page, feed or archive


def _verbatim(raw: str) -> bool:
    """Is the input's text the file itself? Text files, and files of no kind ingest knows."""
    return not is_url(raw) and file_kind(Path(raw), sniff=True) in (None, "text")


def _one_document(raw: str) -> bool:
    """Does the input hold exactly one document (stdin, a text file, an HTML file)?"""
    return raw == STDIN or (not is_url(raw) and file_kind(Path(raw), sniff=True) in (None, "text", "html"))


def _articles(raw: str, settings: Settings, fetcher: Fetcher, follow: bool) -> Iterator[Document | DocumentError]:
    """The articles in a page, feed, archive or JSON-lines file (as ``ingest`` reads them),
    each as a document of its main text. A file holding one article keeps its stem as id;
    the others are named as the readers name them (``file.warc.gz#3``, ``file.jsonl:4``, a URL)."""
    options = IngestOptions(settings=settings, fetch=fetcher.policy, follow_links=follow)
    for article in read_inputs([raw], options, fetcher=fetcher):
        if isinstance(article, DocumentError):
            yield article
            continue
        doc_id = Path(raw).stem if not is_url(raw) and article.doc_id == raw else article.doc_id
        meta = {"path": raw, EXTRACTED: raw if is_url(raw) else file_kind(Path(raw), sniff=True) or "file"}
        if article.url:
            meta["url"] = article.url
        if _accepted(article.published):
            meta["published"] = article.published
        try:
            yield document_from_text(doc_id, article.text, settings, **meta)
        except DocumentError as err:
            yield err


def _accepted(published: object) -> bool:
    """Would ingest file the article under this publication time (not missing, not in the
    future, not before 1990)? Only then does it place the article's relative dates."""
    return resolve_published(published, datetime.now(UTC)).flag is None


def _text_document(path: Path, settings: Settings, table: MetadataTable | None = None) -> Document:
    """A text file as read, dated by its sidecar (``a.txt`` → ``a.json``), else by its row of
    the metadata table, as ingest dates it."""
    document = read_document(path, settings)
    if file_kind(path) != "text":
        return document
    published = read_sidecar(path).get("published") or (table or {}).get(path.stem, {}).get("published")
    if _accepted(published):
        return dataclasses.replace(document, meta={**document.meta, "published": published})
    return document


def _stdin_document(data: bytes, settings: Settings) -> Document:
    """Standard input as read, or, when it is an HTML page (``curl URL | sourcetrace analyze -``),
    its main text."""
    if not looks_like_html(data):
        return document_from_bytes("stdin", data, settings, path=STDIN)
    if len(data) > settings.max_chars * 4:
        raise DocumentError("stdin", f"document too large ({len(data):,} bytes)", "too-large")
    text = article_from_html("stdin", data).text
    return document_from_text("stdin", text, settings, path=STDIN, **{EXTRACTED: "html"})


def load_inputs(inputs: Iterable[str], settings: Settings, *, allow_private: bool = False,
                follow: bool = True, metadata: MetadataTable | None = None) -> Iterator[Document | DocumentError]:
    """Documents read lazily, in order; an input that cannot be read comes as its error."""
    fetcher: Fetcher | None = None  # opened for the first page, feed or URL
    try:
        for raw in inputs:
            if raw == STDIN or _verbatim(raw):
                try:
                    if raw == STDIN:
                        data = typer.get_binary_stream("stdin").read(settings.max_chars * 4 + 1)  # bounded
                        yield _stdin_document(data, settings)
                    else:
                        yield _text_document(Path(raw), settings, metadata)
                except DocumentError as err:
                    yield err
            else:
                if fetcher is None:
                    fetcher = Fetcher(FetchPolicy(allow_private=allow_private))
                yield from _articles(raw, settings, fetcher, follow)
    finally:
        if fetcher is not None:
            fetcher.close()


def result_dict(item: Document | DocumentError, result: DocumentResult) -> dict:
    """The contract's object; for a text read out of a page, feed or archive, with that text
    (the offsets count in it, not in the file) and the article's URL where known."""
    data = result.to_dict()
    if isinstance(item, Document) and item.meta.get(EXTRACTED):
        data["text"] = item.text
        if item.meta.get("url"):
            data["url"] = item.meta["url"]
    return data


def _error_line(err: DocumentError) -> str:
    reason = " ".join(str(err.reason).split())
    return f"error: {err.doc_id}: {reason}"


def _progress(total: int | None, fmt: OutputFormat) -> Progress | None:
    """A progress bar on stderr for long machine-readable runs, only when a person is watching.
    ``total`` None: a count not known ahead (a feed, an archive), which the bar counts up to."""
    if fmt is OutputFormat.text or (total is not None and total <= 1) or not sys.stderr.isatty():
        return None
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=Console(stderr=True), transient=True,
        redirect_stdout=False, redirect_stderr=False,  # results go to stdout untouched
    )


class _Output:
    """Writes each outcome in the chosen format; errors go to stderr, one line each."""

    def __init__(self, fmt: OutputFormat, many: bool, progress: Progress | None = None) -> None:
        self.fmt = fmt
        self.progress = progress
        self.many = many  # several documents: a JSON array, a rule over each text
        self.failed = 0
        self._collected: list[dict] = []
        self._console = Console(highlight=False)

    def add(self, item: Document | DocumentError, outcome: Outcome) -> None:
        if outcome.result is None:
            self.failed += 1
            err = outcome.error or DocumentError(outcome.doc_id, "no result", "internal")
            if self.progress is not None:  # print above the live bar, not through it
                self.progress.console.print(Text(_error_line(err)), soft_wrap=True)
            else:
                typer.echo(_error_line(err), err=True)
        elif self.fmt is OutputFormat.jsonl:
            typer.echo(result_to_json(result_dict(item, outcome.result)))
        elif self.fmt is OutputFormat.json:
            self._collected.append(result_dict(item, outcome.result))
        else:
            if self.many:
                self._console.rule(Text(" ".join(outcome.result.id.split())))
            text = item.text if isinstance(item, Document) else ""
            render_result(self._console, text, outcome.result)

    def close(self) -> None:
        if self.fmt is not OutputFormat.json:
            return
        if self.many:
            typer.echo(result_to_json(self._collected, pretty=True))
        elif self._collected:
            typer.echo(result_to_json(self._collected[0], pretty=True))


def run(inputs: list[str], settings: Settings, fmt: OutputFormat, *, allow_private: bool = False,
        follow: bool = True, published: date | None = None, workers: int = 1,
        metadata: MetadataTable | None = None) -> int:
    """Analyse the inputs in order and write the outcomes; returns how many failed.
    ``published`` dates the documents whose source gives no date of its own; ``workers``
    processes share the analysis (1: all in this one)."""
    # Outcomes arrive in input order, one per item, so each text waits in a queue to be shown
    # beside its result without the whole batch being held in memory.
    queued: deque[Document | DocumentError] = deque()

    def remember(items: Iterable[Document | DocumentError]) -> Iterator[Document | DocumentError]:
        for item in items:
            if published is not None and isinstance(item, Document) and item.meta.get("published") is None:
                item = dataclasses.replace(item, meta={**item.meta, "published": published})
            queued.append(item)
            yield item

    # A feed, archive or URL may hold any number of articles: their count is not known ahead.
    countable = all(_one_document(raw) for raw in inputs)
    total = len(inputs) if countable else None
    progress = _progress(total, fmt)
    output = _Output(fmt, not countable or len(inputs) > 1, progress)
    task = progress.add_task("analysing", total=total) if progress is not None else None
    if progress is not None:
        progress.start()
    try:
        documents = load_inputs(inputs, settings, allow_private=allow_private, follow=follow, metadata=metadata)
        outcomes = PooledAnalyzer(Analyzer(settings), workers).analyze_documents(remember(documents))
        for outcome in outcomes:
            output.add(queued.popleft(), outcome)
            if progress is not None and task is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()
    output.close()
    return output.failed


@app.command("analyze")
def analyze(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", show_default=False,
        help="Text files, directories of *.txt files, - for standard input; also HTML pages, feeds, "
             "WARC archives, JSON-lines files (plain or .gz) and http(s) URLs, whose articles' main text is analysed "
             "(and carried in the JSON as \"text\").")],
    fmt: Annotated[OutputFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="text: highlighted article and table; json: one object (an array for several "
             "documents); jsonl: one compact object per line.")] = OutputFormat.text,
    max_chars: Annotated[int | None, typer.Option(
        "--max-chars", min=1, show_default=False,
        help=f"Refuse documents longer than this many characters (default {DEFAULTS.max_chars:,}).")] = None,
    min_confidence: Annotated[float | None, typer.Option(
        "--min-confidence", min=0.0, max=1.0, show_default=False,
        help="Leave out attributions less sure than this (default: the threshold fitted on held-out "
             "articles for the tagger; 0 shows every attribution).")] = None,
    tagger: TaggerOption = Tagger.crf,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Permit fetching private or loopback addresses.")] = False,
    follow: Annotated[bool, typer.Option(
        "--follow/--no-follow", help="Fetch each feed entry's page (else analyse the entry's own text).")] = True,
    published: Annotated[str | None, typer.Option(
        "--published", metavar="DATE", show_default=False,
        help="The day the articles appeared (ISO 8601, e.g. 2016-10-03), which relative dates such as "
             "\"yesterday\" and \"on Tuesday\" count from; a page's, feed entry's or sidecar's own date "
             "comes first. Without one, relative dates are listed unplaced.")] = None,
    workers: WorkersOption = 1,
    metadata: MetadataOption = None,
) -> None:
    """Who said what, citing whom, how sure: the attributions of each article."""
    day = publication_day(published) if published else None
    if published and day is None:
        raise typer.BadParameter(f"not a date: {published!r} (try 2016-10-03)", param_hint="--published")
    settings = dataclasses.replace(DEFAULTS, max_chars=max_chars or DEFAULTS.max_chars,
                                   min_confidence=min_confidence, tagger=tagger.value)
    table = metadata_table(metadata)
    inputs = collect_inputs(paths)
    # A directory gives its *.txt files (the contract's ids are their stems): say what else it held.
    readable = left_out(paths, kinds=("html", "jsonl", "warc", "feed"))
    others = f"{readable.total()} page(s), feed(s) or archive(s) ({counted(readable)})" if readable else ""
    if not inputs:
        typer.echo(f"warning: no *.txt files found{'; left out ' + others if others else ''} "
                   "(name pages, feeds and archives one by one)", err=True)
        return
    if others:
        typer.echo(f"note: a directory gives its *.txt files; left out {others}: name them one by one", err=True)
    try:
        failed = run(inputs, settings, fmt, allow_private=allow_private, follow=follow, published=day,
                     workers=worker_count(workers), metadata=table)
    except SourcetraceError as err:  # e.g. no spaCy model installed: nothing can be analysed
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    if failed:
        raise typer.Exit(1)
