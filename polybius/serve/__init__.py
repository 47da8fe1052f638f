"""The REST API and web page: ``create_app(store)``; ``run`` serves it with uvicorn."""

from __future__ import annotations

from polybius.serve.app import create_app
from polybius.serve.settings import SETTINGS, ServeSettings, from_env

__all__ = ["SETTINGS", "ServeSettings", "create_app", "from_env", "run"]


def run(db_url: str, host: str = "127.0.0.1", port: int = 8000, *,
        settings: ServeSettings | None = None, log_level: str = "warning") -> None:
    """Serve the store at ``db_url`` on host:port until interrupted."""
    import uvicorn

    from polybius.store import Store

    store = Store(db_url)
    try:
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level=log_level,
                    server_header=False)
    finally:
        store.close()
