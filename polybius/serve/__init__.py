"""The REST API and web page: ``create_app(store)``; ``run`` serves it with uvicorn."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from polybius.serve.app import create_app
from polybius.serve.settings import SETTINGS, ServeSettings, from_env

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["SETTINGS", "ServeSettings", "app_from_env", "create_app", "from_env", "run"]

DB_ENV = "POLYBIUS_SERVE_DB"
"""How ``run`` hands the store URL to its worker processes (``app_from_env``)."""


def app_from_env() -> FastAPI:
    """The app over the store named by ``$POLYBIUS_SERVE_DB``: uvicorn's factory in each worker."""
    from polybius.store import Store

    url = os.environ.get(DB_ENV)
    if not url:
        raise RuntimeError(f"{DB_ENV} is not set: start the server with polybius serve")
    return create_app(Store(url))


def run(db_url: str, host: str = "127.0.0.1", port: int = 8000, *,
        settings: ServeSettings | None = None, log_level: str = "warning", workers: int = 1) -> None:
    """Serve the store at ``db_url`` on host:port until interrupted.

    ``workers`` > 1 runs that many processes on one socket, each with its own store
    connections; they read their settings from the configuration (``settings`` is refused).
    """
    import uvicorn

    from polybius.store import Store

    store = Store(db_url)  # migrates and checks the store once, before any worker starts
    # canonical records missing or stale (a store from before migration 0005, reports added
    # without linking) are built now, not by the first request
    store.refresh_canonical(everything=True)
    store.analyze()
    if workers > 1:
        store.close()
        if settings is not None:
            raise ValueError("worker processes read the settings from the configuration; "
                             "pass settings=None with workers > 1")
        os.environ[DB_ENV] = db_url
        uvicorn.run("polybius.serve:app_from_env", factory=True, workers=workers, host=host,
                    port=port, log_level=log_level, server_header=False, access_log=False)
        return
    try:
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level=log_level,
                    server_header=False, access_log=False)
    finally:
        store.close()
