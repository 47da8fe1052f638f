"""Alembic environment: migrates the connection ``Store`` hands over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from polybius.store.schema import metadata

config = context.config


def _run_offline() -> None:
    # `alembic upgrade --sql` style: emit the DDL for a URL instead of running it.
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("polybius migrations run through polybius.store.Store, "
                           "which passes an open connection in config.attributes['connection']")
    # render_as_batch: SQLite cannot ALTER most things in place; batch mode copies the table.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
