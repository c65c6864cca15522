"""Engines for ``sqlite:///…`` (the default) and ``postgresql+psycopg://…``, migrated on open."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ..errors import SourcetraceError

__all__ = ["DEFAULT_DB", "StoreError", "normalize_url", "open_engine", "session_factory"]

DEFAULT_DB = "sqlite:///sourcetrace.db"
_MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(SourcetraceError):
    """The database cannot be opened or migrated."""

    code = "ST200"


def normalize_url(url: str | None) -> str:
    """``None`` → ``$SOURCETRACE_DB`` or ./sourcetrace.db; a bare path → SQLite file;
    ``postgresql://`` / ``postgres://`` → the psycopg 3 driver."""
    url = url or os.environ.get("SOURCETRACE_DB") or DEFAULT_DB
    if "://" not in url:
        return f"sqlite:///{url}"
    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    if scheme.startswith(("sqlite", "postgresql+psycopg")):
        return url
    raise StoreError(f"{StoreError.code} unsupported database URL scheme {scheme!r}: "
                     "use sqlite:///PATH or postgresql://…")


def sqlite_file(url: str | None) -> Path | None:
    """The file behind a SQLite ``url`` (after ``normalize_url``); None for PostgreSQL or memory."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; survives kill -9
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def open_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """An engine on ``url`` whose schema is at the newest migration."""
    url = normalize_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if (path := sqlite_file(url)) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            from sqlalchemy.pool import StaticPool

            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        kwargs.update(pool_pre_ping=True)
    try:
        engine = create_engine(url, **kwargs)
    except Exception as err:  # noqa: BLE001 - e.g. a driver that is not installed
        raise StoreError(f"{StoreError.code} cannot open {parsed.render_as_string()}: {err}") from err
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        upgrade(engine)
    return engine


def _head() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def upgrade(engine: Engine) -> None:
    """Apply any migrations not yet applied (cheap when the schema is current)."""
    cfg = _alembic_config()
    try:
        with engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == _head():
                return
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except Exception as err:  # noqa: BLE001 - wrap driver errors in our hierarchy
        raise StoreError(f"{StoreError.code} cannot migrate {engine.url.render_as_string()}: {err}") from err


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
