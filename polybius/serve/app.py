"""The FastAPI application: read endpoints, token-protected writes, exports and the web page."""

from __future__ import annotations

import hmac
import io
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from polybius.errors import InputError
from polybius.serve import errors
from polybius.serve.direct import DirectReader, direct_path
from polybius.serve.errors import ApiError
from polybius.serve.evidence import event_json, mentions, quotes
from polybius.serve.fastpath import FastEvents
from polybius.serve.limits import BodyLimit
from polybius.serve.models import (
    ArticleIn,
    ArticleStored,
    DocumentOut,
    EventDetail,
    EventPageOut,
    NameCountOut,
    StatsOut,
)
from polybius.serve.pages import event_page
from polybius.serve.params import EventListParams, ExportParams, NameListParams, StatsParams
from polybius.serve.settings import ServeSettings
from polybius.store import Store

STATIC = Path(__file__).parent / "static"
_MEDIA = {"plover-json": ("application/json", "events.plover.json"),
          "acled-csv": ("text/csv; charset=utf-8", "events.acled.csv"),
          "geojson": ("application/geo+json", "events.geojson"),
          "parquet": ("application/vnd.apache.parquet", "events.parquet")}
# The page runs only its own scripts: article text that slipped into markup still cannot run.
_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class Server:
    """What the routes share: the store, the settings and the (lazily loaded) pipeline."""

    def __init__(self, store: Store, settings: ServeSettings) -> None:
        self.store = store
        self.settings = settings
        self._pipeline: Any = None
        # spaCy pipelines are not safe to call from two threads at once
        self.pipeline_lock = threading.Lock()

    def pipeline(self) -> Any:
        from polybius.pipeline import Pipeline

        if self._pipeline is None:
            self._pipeline = Pipeline()
        return self._pipeline


def _check_token(request: Request, token: str | None, action: str) -> None:
    if token is None:
        raise ApiError(403, f"{action} are disabled on this server: start it with POLYBIUS_TOKEN set",
                       "disabled")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if not header:
        raise ApiError(401, f"{action} need a bearer token: send 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(403, "wrong bearer token")


def create_app(store: Store, settings: ServeSettings | None = None) -> FastAPI:
    """The API and page over ``store``; ``settings`` default to ``settings.from_env()``."""
    from polybius.serve.settings import from_env

    server = Server(store, settings or from_env())
    app = FastAPI(title="Polybius", version="1", docs_url=None, redoc_url=None,
                  description="Source-attributed PLOVER events: filter, inspect evidence, export.")
    errors.install(app)
    app.add_middleware(BodyLimit, max_body=server.settings.max_body)
    # added last, so it runs first: plainly valid GET /events skip FastAPI's routing (fastpath)
    path = direct_path(store.url)
    direct = DirectReader(path) if path is not None and server.settings.direct_reads else None
    app.add_middleware(FastEvents,
                       page=lambda p: event_page(server.store, p, server.settings.page_max, direct),
                       open_reads=lambda: not server.settings.private_reads)
    app.state.server = server

    def reader(request: Request) -> None:
        if server.settings.private_reads:
            _check_token(request, server.settings.token, "reads")

    def writer(request: Request) -> None:
        _check_token(request, server.settings.token, "writes")

    read = [Depends(reader)]
    _add_read_routes(app, server, read)
    _add_write_routes(app, server, [Depends(writer)])
    _add_page_routes(app)
    return app


def _add_read_routes(app: FastAPI, server: Server, deps: list[Any]) -> None:
    @app.get("/events", response_model=EventPageOut, dependencies=deps, tags=["events"])
    def list_events(params: Annotated[EventListParams, Query()]) -> Response:
        """Events matching every filter, by date (undated last), one page at a time.

        By default canonical events (one per real-world happening, merged across articles and
        outlets, each listing its member reports); ``level=report`` lists every article's report.
        """
        return Response(event_page(server.store, params, server.settings.page_max),
                        media_type="application/json")

    @app.get("/events/{article_id}/{event_id}", response_model=EventDetail, dependencies=deps,
             tags=["events"])
    def get_event(article_id: str, event_id: str) -> dict[str, Any]:
        """One event (key = article_id/event_id) with its article text, highlighted spans and quotes."""
        row = server.store.event(article_id, event_id)
        doc = server.store.article(article_id) if row else None
        if row is None or doc is None:
            raise ApiError(404, f"no event {article_id}/{event_id}")
        art = doc.article
        return {"event": event_json(row),
                "article": {"id": art.id, "url": art.url, "title": art.title,
                            "published": art.published, "source": row.source, "text": art.text},
                "mentions": mentions(row, doc), "quotes": quotes(row, doc)}

    @app.get("/articles/{article_id}", response_model=DocumentOut, dependencies=deps,
             response_model_by_alias=True, tags=["articles"])
    def get_article(article_id: str) -> dict[str, Any]:
        """A stored article as its polybius/1 document: clean text and every mention."""
        doc = server.store.article(article_id)
        if doc is None:
            raise ApiError(404, f"no article {article_id}")
        return doc.to_json()

    @app.get("/actors", response_model=list[NameCountOut], dependencies=deps, tags=["names"])
    def list_actors(params: Annotated[NameListParams, Query()]) -> list[Any]:
        """Actor and recipient names of matching events, most frequent first."""
        return server.store.name_counts("actors", params.query(), contains=params.contains,
                                        limit=params.limit)

    @app.get("/places", response_model=list[NameCountOut], dependencies=deps, tags=["names"])
    def list_places(params: Annotated[NameListParams, Query()]) -> list[Any]:
        """Places of matching events with their counts and mean coordinates."""
        return server.store.name_counts("places", params.query(), contains=params.contains,
                                        limit=params.limit)

    @app.get("/stats", response_model=StatsOut, dependencies=deps, tags=["events"])
    def stats(params: Annotated[StatsParams, Query()]) -> dict[str, Any]:
        """Counts of matching events per type, country, factuality status and day (for charts).

        Canonical events by default (as GET /events lists them); ``level=report`` counts reports.
        """
        s = server.store.stats(params.query(), canonical=params.level == "canonical")
        return {"total": s.total, "by_type": s.by_type, "by_country": s.by_country,
                "by_status": s.by_status,
                "by_day": [{"day": date.fromisoformat(d), "type": t, "events": n}
                           for d, t, n in s.by_day]}

    @app.get("/export", dependencies=deps, tags=["export"],
             responses={200: {"content": {m: {} for m, _ in _MEDIA.values()}}})
    def export(params: Annotated[ExportParams, Query()]) -> Response:
        """Matching events as PLOVER JSON, ACLED-style CSV, GeoJSON or Parquet (a download)."""
        from polybius.export import export_rows

        rows = server.store.find_events(params.query(), limit=params.limit).rows
        media, name = _MEDIA[params.format]
        # the export module names the per-report level "reports", as the CLI's --reports flag
        level = "canonical" if params.level == "canonical" else "reports"
        if params.format == "parquet":
            raw = io.BytesIO()
            export_rows(server.store, rows, "parquet", raw, level=level)
            body = raw.getvalue()
        else:
            text = io.StringIO(newline="")
            export_rows(server.store, rows, params.format, text, level=level)
            body = text.getvalue().encode("utf-8")
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _add_write_routes(app: FastAPI, server: Server, deps: list[Any]) -> None:
    @app.post("/articles", response_model=ArticleStored, status_code=201, dependencies=deps,
              tags=["articles"])
    def post_article(body: ArticleIn) -> dict[str, Any]:
        """Extract an article (text or HTML) with the same Pipeline as the CLI and store it."""
        from polybius.ingest.html import article_from_html
        from polybius.ingest.text import article_from_text

        if (body.text is None) == (body.html is None):
            raise ApiError(422, "send exactly one of 'text' and 'html'", "invalid_request")
        try:
            if body.html is not None:
                article = article_from_html(body.html, source="request body", url=body.url,
                                            published=body.published)
                if body.title:
                    article.title = body.title
            else:
                article = article_from_text(body.text or "", source="request body",
                                            title=body.title, published=body.published,
                                            url=body.url)
        except InputError as err:
            raise ApiError(422, str(err), "invalid_input") from err
        with server.pipeline_lock:
            doc = server.pipeline().process(article)
        result = server.store.add([doc])
        server.store.refresh_canonical()  # the few clusters it joined, built before the next read
        rows = [server.store.event(doc.article.id, e.id) for e in doc.events]
        return {"article_id": doc.article.id, "added": result.added == 1,
                "events": [event_json(r) for r in rows if r is not None]}


def _add_page_routes(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": _PAGE_CSP})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Swagger UI from the bundled assets (web/ build), so /docs works with no network
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Polybius API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")
