"""The ``polybius`` command line. Each command opens the store or pipeline and calls the library.

Exit codes: 0 ok, 1 error (bad input, store or evaluation problem), 2 bad usage.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from polybius.errors import InputError, PolybiusError
from polybius.model import Article

DEFAULT_DB = "sqlite:///polybius.db"
SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"
F = TypeVar("F", bound=Callable[..., Any])

err_console = Console(stderr=True)
# Tables go to files and pipes too: there a wide fixed width keeps every column readable.
out_console = Console(width=None if sys.stdout.isatty() else 200)


def db_option(func: F) -> F:
    """``--db URL`` shared by every command that opens the store."""
    return click.option("--db", "db_url", default=lambda: os.environ.get("POLYBIUS_DB", DEFAULT_DB),
                        show_default="sqlite:///polybius.db or $POLYBIUS_DB",
                        help="Store URL: sqlite:///file.db or postgresql://…")(func)


def parse_date(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` option value as a date; an impossible date is a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a valid date (YYYY-MM-DD)") from None


def fail(message: str) -> None:
    """Print one clear error line to stderr."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


class PolybiusGroup(click.Group):
    """Turns PolybiusError into a one-line message and exit code 1 instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolybiusError as err:
            fail(str(err))
            ctx.exit(1)


@click.group(cls=PolybiusGroup)
@click.version_option(package_name="polybius")
def main() -> None:
    """Polybius: news articles in, verifiable, source-attributed PLOVER events out."""


def _pipeline() -> Any:
    from polybius.pipeline import Pipeline

    ensure_gazetteer()
    return Pipeline()


def ensure_gazetteer() -> None:
    """Build the place index on first use with a progress bar (~20 s once per machine)."""
    from polybius.resources.gazetteer import Gazetteer, default_path

    if default_path().exists():
        return
    with _progress() as progress:
        task = progress.add_task("building the gazetteer index (once)", total=100)
        Gazetteer.open(on_progress=lambda done, total: progress.update(task, completed=done, total=total)).close()


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--published", callback=parse_date, help="Publication date YYYY-MM-DD (when the file does not say).")
@click.option("--url", help="The article's URL.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
def extract(file: Path, published: date | None, url: str | None, fmt: str) -> None:
    """Extract one article and print it in the polybius/1 contract.

    Example: polybius extract article.html --published 2018-08-23 --format json
    """
    from polybius.contract import validate
    from polybius.ingest import read_file
    from polybius.ingest.text import article_from_text

    if str(file) == "-":
        from polybius.ingest.decode import decode

        data = sys.stdin.buffer.read()
        if not data.strip():
            raise InputError("<stdin>", "input is empty")
        articles = [article_from_text(decode(data, "<stdin>"), source="<stdin>", published=published, url=url)]
    else:
        articles = read_file(file, published=published, url=url)
    pipeline = _pipeline()
    for article in articles:
        doc = pipeline.process(article).to_json()
        validate(doc)
        if fmt == "json":
            click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            _print_events([_event_view(doc, e) for e in doc["events"]])


def _event_view(doc: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """A flat view of one event of a document for the table printer."""
    actors = {a["id"]: a["name"] for a in doc["actors"]}
    places = {p["id"]: p["name"] for p in doc["places"]}
    return {"id": event["id"], "date": event["date"]["start"], "basis": event["date"]["basis"],
            "type": event["type"], "mode": ",".join(event["mode"]),
            "actors": "; ".join(actors[a] for a in event["actors"]),
            "recipients": "; ".join(actors[a] for a in event["recipients"]),
            "place": places.get(event["location"]["place"] or "", ""),
            "killed": event["size"]["killed"], "factuality": event["factuality"]["status"],
            "source": doc["article"]["url"] or ""}


def _row_view(row: Any) -> dict[str, Any]:
    """A flat view of one stored event (``store.EventRow``) for tables and CSV."""
    return {"id": row.key, "date": row.date.start, "basis": row.date.basis, "type": row.type,
            "mode": ",".join(row.mode), "actors": "; ".join(row.actor_names),
            "recipients": "; ".join(p.name for p in row.recipient_parties),
            "place": row.place_name or "", "country": row.place_country or "",
            "killed": row.size.killed, "factuality": row.factuality.status,
            "source": row.source or "", "cluster": row.cluster_id or ""}


def _print_events(rows: Iterable[dict[str, Any]]) -> None:
    table = Table(show_lines=False)
    columns = ["id", "date", "basis", "type", "mode", "actors", "recipients", "place", "killed",
               "factuality", "source"]
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    out_console.print(table)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=False)


def ingest_paths(paths: Iterable[Path], db_url: str, published: date | None = None) -> tuple[int, int, int]:
    """Read, extract and store every article under ``paths``; returns (added, skipped, failed inputs)."""
    from polybius.ingest import iter_files, read_file
    from polybius.store import Store

    store = Store(db_url)
    articles: list[Article] = []
    failed = 0
    for path in iter_files(paths):
        try:
            articles.extend(read_file(path, published=published))
        except InputError as err:
            fail(str(err))
            failed += 1
    new = [a for a in dict((a.id, a) for a in articles).values() if not store.has_article(a.id)]
    skipped = len(articles) - len(new)
    pipeline = _pipeline()
    added = 0
    batch_size = pipeline.config.batch_size
    with _progress() as progress:
        task = progress.add_task("extracting", total=len(new))
        for start in range(0, len(new), batch_size):
            docs = list(pipeline.process_many(new[start:start + batch_size]))
            result = store.add(docs)  # one transaction per batch
            added += result.added
            skipped += result.skipped
            progress.advance(task, len(docs))
    return added, skipped, failed


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--published", callback=parse_date, help="Publication date for files that do not say.")
def ingest(paths: tuple[Path, ...], db_url: str, published: date | None) -> None:
    """Ingest text, HTML and JSONL files or directories into the store.

    Example: polybius ingest samples/articles --db sqlite:///polybius.db
    """
    added, skipped, failed = ingest_paths(paths, db_url, published)
    click.echo(f"{added} articles added, {skipped} already stored, {failed} inputs failed")
    if failed:
        sys.exit(1)


FORMATS = ["table", "json", "csv"]


@main.command()
@db_option
@click.option("--type", "type_", help="PLOVER event type, e.g. ASSAULT.")
@click.option("--country", help="ISO 3166 alpha-2 country code of the event's place, e.g. FR.")
@click.option("--since", callback=parse_date, help="Events on or after YYYY-MM-DD.")
@click.option("--until", callback=parse_date, help="Events on or before YYYY-MM-DD.")
@click.option("--actor", help="Actor or recipient name contains this text.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def events(db_url: str, type_: str | None, country: str | None, since: date | None,
           until: date | None, actor: str | None, fmt: str) -> None:
    """List stored events, filtered.

    Example: polybius events --type ASSAULT --country FR --since 2018-01-01 --format csv
    """
    from polybius.store import Store

    rows = Store(db_url).events(type=type_.upper() if type_ else None, country=country,
                                since=since, until=until, actor=actor)
    views = [_row_view(r) for r in rows]
    if fmt == "json":
        click.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(views[0]) if views else ["id"])
        writer.writeheader()
        writer.writerows(views)
    else:
        _print_events(views)


@main.command()
@db_option
@click.option("--format", "fmt", required=True,
              type=click.Choice(["plover-json", "csv", "acled-csv", "geojson", "parquet"]),
              help="csv and acled-csv are the same ACLED-style CSV (docs/EXPORTS.md).")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
def export(db_url: str, fmt: str, out: Path) -> None:
    """Export every stored event as PLOVER JSON, ACLED-style CSV, GeoJSON or Parquet.

    Example: polybius export --format parquet events.parquet
    """
    from polybius.export import write_export
    from polybius.store import Store

    n = write_export(Store(db_url).events(), fmt, out)
    click.echo(f"{n} events written to {out}")


def print_summary(db_url: str) -> None:
    """Print the store's summary tables: events per type, per country, top actors."""
    from polybius.store import Store

    store = Store(db_url)
    s = store.summary()
    out_console.print(f"[bold]{s.articles}[/] articles, [bold]{s.events}[/] events, "
                      f"{len(store.canonical_events())} canonical events after merging reports, "
                      f"{s.unlocated} events with no place")
    for title, counts in (("events per type", s.by_type), ("events per country", s.by_country),
                          ("top actors", dict(s.top_actors)), ("events by factuality", s.by_factuality)):
        table = Table(title=title, title_justify="left")
        table.add_column(title.split()[-1])
        table.add_column("events", justify="right")
        for key, n in list(counts.items())[:12]:
            table.add_row(str(key or "(none)"), str(n))
        out_console.print(table)


@main.command()
@db_option
def summary(db_url: str) -> None:
    """Print counts of stored events per type, per country, and the top actors.

    Example: polybius summary --db sqlite:///polybius.db
    """
    print_summary(db_url)


@main.command()
@db_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("exports"),
              show_default=True, help="Folder for the exports.")
def demo(db_url: str, out_dir: Path) -> None:
    """Ingest the bundled sample corpus, print a summary and write the exports.

    Example: polybius demo
    """
    from polybius.export import write_export
    from polybius.store import Store

    added, skipped, failed = ingest_paths([SAMPLES], db_url)
    click.echo(f"{added} articles added, {skipped} already stored, {failed} inputs failed")
    print_summary(db_url)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = Store(db_url).events()
    for fmt, name in (("plover-json", "events.plover.json"), ("csv", "events.csv"),
                      ("geojson", "events.geojson")):
        n = write_export(rows, fmt, out_dir / name)
        click.echo(f"wrote {n} events to {out_dir / name}")


@main.command(name="eval")
@click.argument("name")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Gold data folder laid out like ../shared/data (default: $POLYBIUS_DATA or ../shared/data).")
@click.option("--limit", type=int, help="Score only the first N items (quick check).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def evaluate(name: str, data_dir: Path | None, limit: int | None, fmt: str) -> None:
    """Score the pipeline on a gold set: plover-gsr, case2021, india-police, conflibert-actors, main-text.

    Example: polybius eval plover-gsr --data ../shared/data --format json
    """
    from polybius import evaluate as ev

    if name not in ev.EVALUATIONS:
        raise click.BadParameter(f"unknown evaluation {name!r}; choose from {', '.join(ev.EVALUATIONS)}",
                                 param_hint="NAME")
    report = ev.run(name, data_dir or ev.default_data_dir(), _pipeline(), limit=limit)
    click.echo(json.dumps(report.to_json(), indent=2) if fmt == "json" else report.render())


@main.command()
@click.argument("which", type=click.Choice(["pipeline", "api"]), default="pipeline")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Gold data folder (uses india_police_events documents when present).")
@click.option("--limit", type=int, help="pipeline: use only the first N articles; api: synthetic events (default 100000).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def bench(which: str, data_dir: Path | None, limit: int | None, fmt: str) -> None:
    """Measure pipeline throughput against bare spaCy and peak memory, or (``api``) /events latency.

    ``polybius bench api`` fills a temporary SQLite store with synthetic events and times
    GET /events with typical filters from 32 concurrent clients on 127.0.0.1.

    Example: polybius bench --limit 100; polybius bench api
    """
    from polybius import evaluate as ev
    from polybius.bench import run_bench

    if which == "api":
        from polybius.serve.bench import run_api_bench

        api_report = run_api_bench(events=limit or 100_000)
        click.echo(json.dumps(api_report.to_json(), indent=2) if fmt == "json" else api_report.render())
        return
    report = run_bench(_pipeline(), data_dir or ev.default_data_dir(), limit=limit)
    click.echo(json.dumps(report.to_json(), indent=2) if fmt == "json" else report.render())


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve(db_url: str, host: str, port: int) -> None:
    """Serve the REST API (docs at /docs) and the web page over the store.

    Settings come from POLYBIUS_TOKEN, POLYBIUS_PRIVATE_READS, POLYBIUS_MAX_BODY and
    POLYBIUS_PAGE_MAX (see docs/API.md).

    Example: POLYBIUS_TOKEN=secret polybius serve --db sqlite:///polybius.db --port 8000
    """
    from polybius import serve as api

    settings = api.from_env()
    ensure_gazetteer()  # built now, not on the first POST /articles
    click.echo(f"Polybius is serving {db_url} at http://{host}:{port}/ (API docs at /docs); "
               "Ctrl-C stops it", err=True)
    api.run(db_url, host, port, settings=settings, log_level="warning")


if __name__ == "__main__":
    main()
