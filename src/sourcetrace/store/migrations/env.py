"""Alembic environment: migrations run on the connection that ``store.open_engine`` hands over."""

from __future__ import annotations

from alembic import context

from sourcetrace.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the package always passes a connection
    raise RuntimeError("sourcetrace migrations run through sourcetrace.store.open_engine")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
