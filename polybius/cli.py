"""The ``polybius`` command line. Each command opens the store or pipeline and calls the library.

Exit codes: 0 ok, 1 error (bad input, store or evaluation problem), 2 bad usage.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from polybius.errors import PolybiusError
from polybius.model import Article

if TYPE_CHECKING:
    from polybius.scale import RunReport

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"
F = TypeVar("F", bound=Callable[..., Any])

err_console = Console(stderr=True)
# Tables go to files and pipes too: there a wide fixed width keeps every column readable.
out_console = Console(width=None if sys.stdout.isatty() else 200)


def db_option(func: F) -> F:
    """``--db URL`` shared by every command that opens the store."""
    return click.option("--db", "db_url", default=lambda: _settings().db,
                        show_default="the db setting: $POLYBIUS_DB, polybius.toml or sqlite:///polybius.db",
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


def _settings() -> Any:
    """The effective configuration (``polybius.toml`` and ``POLYBIUS_*``; see ``polybius config``)."""
    from polybius.config import Config

    return Config.load()


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
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--published", callback=parse_date, help="Publication date YYYY-MM-DD (when the file does not say).")
@click.option("--url", help="The article's URL (one input only).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]),
              help="json: indented objects (default for one input); jsonl: one document a line "
                   "(default for several).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write one JSON file per input into this folder, named after the input "
                   "(x.html -> x.json; JSONL inputs -> x.jsonl).")
def extract(files: tuple[Path, ...], published: date | None, url: str | None, fmt: str | None,
            out_dir: Path | None) -> None:
    """Extract articles and print them in the polybius/1 contract, loading the model once.

    Several inputs are parsed in nlp.pipe batches; `-` reads one article from stdin. A failing
    input is reported by name and the rest go on; the exit code is 1 if any failed.

    Example: polybius extract article.html --published 2018-08-23 --format json
    Example: polybius extract reports/*.html --out extracted/
    """
    from polybius.batch import extract_files, output_names

    if url and len(files) > 1:
        raise click.BadParameter("--url names one article; give one input with it", param_hint="--url")
    if out_dir is not None and fmt is not None:
        raise click.BadParameter("--format applies to stdout; --out always writes JSON", param_hint="--format")
    try:
        names = output_names(files) if out_dir is not None else {}
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="FILES") from None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    fmt = fmt or ("json" if len(files) == 1 else "jsonl")
    failed = 0
    # a progress bar only when writing files: stdout may be a terminal showing the documents
    with _progress() if out_dir is not None and len(files) > 1 else nullcontext() as progress:
        task = progress.add_task("extracting", total=len(files)) if progress else None
        for result in extract_files(_pipeline(), files, published=published, url=url):
            if result.error is not None:
                fail(result.error)
                failed += 1
            elif out_dir is not None:
                try:
                    _write_documents(result.documents, out_dir / names[result.source])
                except OSError as err:
                    fail(f"{result.source}: cannot write {out_dir / names[result.source]}: {err.strerror or err}")
                    failed += 1
            else:
                for doc in result.documents:
                    _echo_document(doc.to_json(), fmt)
            if progress is not None and task is not None:
                progress.advance(task)
    if failed:
        fail(f"{failed} of {len(files)} inputs failed")
        sys.exit(1)


def _echo_document(doc: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        _print_events([_event_view(doc, e) for e in doc["events"]])


def _write_documents(docs: list[Any], path: Path) -> None:
    """One document as a JSON file, several (a JSONL input) as JSON Lines; written atomically."""
    if path.suffix == ".jsonl":
        text = "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in docs)
    else:
        text = json.dumps(docs[0].to_json(), ensure_ascii=False, indent=2) + "\n"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


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


def _print_canonical(records: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return
    columns = ["cluster_id", "date_start", "type", "place_name", "country", "n_articles",
               "n_sources", "killed", "disagreements", "reported_by", "denied_by"]
    views = [{**{c: r.get(c) for c in columns}, "killed": r["best"].get("killed"),
              "disagreements": "; ".join(
                  f"{f}: " + " vs ".join(f"{v} ({', '.join(who)})" for v, who in d.items())
                  for f, d in r["disagreements"].items()),
              "denied_by": ", ".join(r["denied_by"])} for r in records]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(views)
        return
    table = Table(show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in views:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    out_console.print(table)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=False)


def ingest_paths(paths: Iterable[str | Path], db_url: str, published: date | None = None, *,
                 workers: int | None = None, scheduler: str | None = None, out: str | None = None,
                 network: bool = False) -> RunReport:
    """Read, extract and write every article of ``paths`` (``polybius.scale.ingest``), with progress.

    In this process, or on Dask with ``workers``/``scheduler``; into the store at ``db_url``, or
    as Parquet parts with ``out=parquet://DIR``.
    """
    from polybius import scale
    from polybius.ingest.fetch import Fetcher, fetch_article
    from polybius.ingest.settings import fetch_policy, source_settings

    settings = source_settings()
    fetcher = Fetcher(policy=fetch_policy(settings)) if network else None
    pipeline = _pipeline()
    sink = scale.open_sink(out, db_url, settings.scale_write_batch)
    client = scale.dask_client(workers, scheduler) if (workers or scheduler) else None
    try:
        executor = (scale.DaskExecutor(client, pipeline.config, db_url if out is None else None)
                    if client is not None else scale.LocalExecutor(pipeline, sink.known))
        with _progress() as progress:
            task = progress.add_task("extracting", total=None)
            return scale.ingest(
                paths, executor, sink, published=published,
                fetch=(lambda url: fetch_article(fetcher, url)) if fetcher else None,
                partition_size=settings.scale_partition_size,
                max_record_bytes=settings.warc_max_record_bytes,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    finally:
        if client is not None:
            _close_dask(client, shutdown=scheduler is None)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--published", callback=parse_date, help="Publication date for files that do not say.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Extract on a Dask LocalCluster of N worker processes (docs/SCALE.md).")
@click.option("--scheduler", help="Extract on an existing Dask cluster, e.g. tcp://host:8786.")
@click.option("--out", help="Write documents as Parquet parts (parquet://DIR) instead of the store; "
                            "then `polybius load DIR`.")
@click.option("--network", is_flag=True, help="Allow http(s):// URLs among PATHS (fetching is off by default; or set POLYBIUS_FETCH=1).")
def ingest(paths: tuple[str, ...], db_url: str, published: date | None, workers: int | None,
           scheduler: str | None, out: str | None, network: bool) -> None:
    """Ingest text, HTML, JSONL and WARC files, directories or URLs into the store.

    Inputs that cannot be used are reported with their source and skipped; the run goes on.
    Re-running skips articles already stored (by content hash), so an interrupted run resumes.
    Exit status 1 when a file, folder or URL could not be used at all (records skipped inside
    a web archive are reported, not failures).

    Example: polybius ingest CC-NEWS-20210304.warc.gz --workers 2 --db sqlite:///polybius.db
    """
    from polybius.config import Config

    report = ingest_paths(paths, db_url, published, workers=workers, scheduler=scheduler, out=out,
                          network=network or Config.load().fetch)
    for skipped in report.failed_inputs:
        fail(f"{skipped.source}: {skipped.reason}")
    click.echo(report.render())
    if report.failed_inputs or (report.items == 0 and report.skips.items):
        sys.exit(1)


def _close_dask(client: Any, *, shutdown: bool) -> None:
    cluster = client.cluster
    client.close()
    if shutdown and cluster is not None:
        cluster.close()


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@db_option
@click.option("--batch", type=click.IntRange(min=1), default=500, show_default=True,
              help="Documents per store transaction.")
def load(folder: Path, db_url: str, batch: int) -> None:
    """Load the Parquet parts written by `ingest --out parquet://DIR` into the store.

    Example: polybius load runs/2021-03 --db postgresql://polybius@localhost/polybius
    """
    from polybius.ingest.items import SkipLog
    from polybius.scale import read_parquet
    from polybius.store import Store

    skips = SkipLog()
    added = already = 0
    with Store(db_url) as store:
        pending: list[Any] = []
        for doc in read_parquet(folder, skips):
            pending.append(doc)
            if len(pending) >= batch:
                result = store.add(pending)
                added, already, pending = added + result.added, already + result.skipped, []
        if pending:
            result = store.add(pending)
            added, already = added + result.added, already + result.skipped
    click.echo(f"{added} articles loaded, {already} already stored\n{skips.render()}")
    if skips.items:
        sys.exit(1)


@main.group()
def feeds() -> None:
    """Subscribe to RSS/Atom feeds and poll them (fetching over the network).

    Example: polybius feeds add https://example.org/rss.xml && polybius feeds poll --every 15m
    """


@feeds.command(name="add")
@click.argument("urls", nargs=-1, required=True)
@db_option
def feeds_add(urls: tuple[str, ...], db_url: str) -> None:
    """Subscribe to feeds by URL.

    Example: polybius feeds add https://example.org/rss.xml
    """
    from urllib.parse import urlsplit

    from polybius.store import Store

    with Store(db_url) as store:
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="URLS")
            click.echo(f"{'added' if store.add_feed(url) else 'already subscribed'}: {url}")


@feeds.command(name="list")
@db_option
def feeds_list(db_url: str) -> None:
    """List subscribed feeds with the outcome of their last poll.

    Example: polybius feeds list
    """
    from polybius.store import Store

    with Store(db_url) as store:
        for f in store.feeds():
            polled = f.last_polled.isoformat(timespec="seconds") if f.last_polled else "never"
            click.echo(f"{f.url}\t{f.title or ''}\tlast polled {polled}\t{f.last_status or ''}"
                       f"\t{f.n_entries} articles" + (f"\t{f.last_error}" if f.last_error else ""))


@feeds.command(name="poll")
@db_option
@click.option("--every", help="Keep polling at this interval (e.g. 15m, 1h) until interrupted.")
@click.option("--rounds", type=click.IntRange(min=1), help="With --every: stop after N polls.")
def feeds_poll(db_url: str, every: str | None, rounds: int | None) -> None:
    """Poll every subscribed feed: new entries are fetched, extracted and stored.

    Example: polybius feeds poll --every 15m
    """
    from polybius import scale
    from polybius.ingest.feeds import parse_interval, poll_all, poll_every
    from polybius.ingest.fetch import Fetcher
    from polybius.ingest.items import SkipLog
    from polybius.ingest.settings import fetch_policy, source_settings
    from polybius.store import Store

    try:
        interval = parse_interval(every) if every else None
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--every") from None
    fetcher = Fetcher(policy=fetch_policy(source_settings()))
    pipeline = _pipeline()
    with Store(db_url) as store:
        if not store.feeds():
            raise click.UsageError("no feeds subscribed; add one with `polybius feeds add URL`")

        def process(articles: list[Article]) -> int:
            # the same run as `polybius ingest`: partitions, write batches, stored articles skipped
            sink = scale.StoreSink(store, batch=pipeline.config.write_batch)
            return scale.run(articles, scale.LocalExecutor(pipeline, sink.known), sink, SkipLog(),
                             partition_size=pipeline.config.partition_size).written

        def one_round() -> list[Any]:
            skips = SkipLog()
            results = poll_all(store, fetcher, process, skips)
            for r in results:
                click.echo(r.render())
            click.echo(skips.render())
            return results

        try:
            poll_every(interval or 0, one_round, rounds=1 if interval is None else rounds)
        except KeyboardInterrupt:
            click.echo("stopped")


FORMATS = ["table", "json", "csv"]


@main.command()
@db_option
@click.option("--type", "type_", help="PLOVER event type, e.g. ASSAULT.")
@click.option("--country", help="ISO 3166 alpha-2 country code of the event's place, e.g. FR.")
@click.option("--since", callback=parse_date, help="Events on or after YYYY-MM-DD.")
@click.option("--until", callback=parse_date, help="Events on or before YYYY-MM-DD.")
@click.option("--actor", help="Actor or recipient name contains this text.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--reports", is_flag=True,
              help="One row per event report (as each article gives it) instead of one per real-world event.")
@click.option("--canonical", is_flag=True, hidden=True,
              help="Accepted for compatibility: canonical events are the default.")
def events(db_url: str, type_: str | None, country: str | None, since: date | None,
           until: date | None, actor: str | None, fmt: str, reports: bool, canonical: bool) -> None:
    """List stored events, filtered: one row per real-world event (reports merged), by default.

    Each row gives the sources, the best-supported figures and who disagrees; --reports lists
    every article's own event record instead.

    Example: polybius events --type ASSAULT --country FR --since 2018-01-01 --format csv
    Example: polybius events --reports --format json
    """
    from polybius.store import Store

    if reports and canonical:
        raise click.UsageError("--reports and --canonical exclude each other")
    if not reports:
        merged = Store(db_url).canonical_events(type=type_.upper() if type_ else None,
                                                country=country, since=since, until=until,
                                                actor=actor)
        _print_canonical([c.to_json() for c in merged], fmt)
        return
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
@click.option("--reports", is_flag=True,
              help="One record per event report instead of one per real-world event.")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
def export(db_url: str, fmt: str, reports: bool, out: Path) -> None:
    """Export the stored events as PLOVER JSON, ACLED-style CSV, GeoJSON or Parquet.

    One record per real-world event (reports merged, sources joined, best-supported figures,
    disagreements kept) by default; --reports writes one record per article's event report.

    Example: polybius export --format parquet events.parquet
    Example: polybius export --reports --format acled-csv reports.csv
    """
    from polybius.export import write_export
    from polybius.store import Store

    store = Store(db_url)
    if reports:
        n = write_export(store.events(), fmt, out, level="reports")
        click.echo(f"{n} event reports written to {out}")
    else:
        n = write_export(store.canonical_events(), fmt, out, level="canonical")
        click.echo(f"{n} canonical events written to {out}")


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

    click.echo(ingest_paths([SAMPLES], db_url).render())
    print_summary(db_url)
    out_dir.mkdir(parents=True, exist_ok=True)
    merged = Store(db_url).canonical_events()
    for fmt, name in (("plover-json", "events.plover.json"), ("csv", "events.csv"),
                      ("geojson", "events.geojson")):
        n = write_export(merged, fmt, out_dir / name, level="canonical")
        click.echo(f"wrote {n} canonical events to {out_dir / name}")


@main.command(name="eval")
@click.argument("name")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Gold data folder laid out like ../shared/data (default: $POLYBIUS_DATA or ../shared/data).")
@click.option("--limit", type=int, help="Score only the first N items (quick check).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def evaluate(name: str, data_dir: Path | None, limit: int | None, fmt: str) -> None:
    """Score the pipeline on a gold set: plover-gsr, case2021, india-police, conflibert-actors, main-text, geo.

    Example: polybius eval plover-gsr --data ../shared/data --format json
    """
    from polybius import evaluate as ev

    if name not in ev.EVALUATIONS:
        raise click.BadParameter(f"unknown evaluation {name!r}; choose from {', '.join(ev.EVALUATIONS)}",
                                 param_hint="NAME")
    report = ev.run(name, data_dir or ev.default_data_dir(), _pipeline(), limit=limit)
    click.echo(json.dumps(report.to_json(), indent=2) if fmt == "json" else report.render())


@main.command()
@click.argument("name")
@click.option("--context", "context_text", help="Text the name appears in (its other places lend support).")
@click.option("--limit", type=int, default=10, show_default=True, help="Candidates to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def places(name: str, context_text: str | None, limit: int, fmt: str) -> None:
    """Look up a place name in the offline gazetteer and explain the resolution.

    Lists the candidates with their scores and the evidence behind each, the pick (or why there
    is none: unknown, too weak, ambiguous). "Paris, Texas" uses Texas as a qualifier and
    "Idlib province" asks for the province.

    Example: polybius places Georgia --context "Police in Atlanta said on Monday."
    """
    from polybius.extract.places import explain
    from polybius.resources.gazetteer import default_gazetteer

    if not name.strip():
        raise click.BadParameter("the place name is empty", param_hint="NAME")
    ensure_gazetteer()
    doc = None
    if context_text:
        from polybius import nlp
        doc = nlp.parse(context_text)
    result = explain(name, doc, default_gazetteer())
    if fmt == "json":
        click.echo(json.dumps(_explanation_json(result, limit), indent=2, ensure_ascii=False))
        return
    table = Table(title=f"candidates for {name!r}")
    for col in ("name", "kind", "country", "admin1", "population", "lat", "lon", "geonameid", "score", "evidence"):
        table.add_column(col, overflow="fold")
    for c in result.candidates[:limit]:
        e = c.entry
        table.add_row(e.name, e.kind, e.country_code, e.admin1 or "", str(e.population), str(e.lat),
                      str(e.lon), str(e.geonameid or ""), f"{c.score:.2f}",
                      "+".join(c.why) + (" (alternate name)" if e.alias else ""))
    out_console.print(table)
    if len(result.candidates) > limit:
        click.echo(f"... {len(result.candidates) - limit} more candidates")
    if result.context:
        click.echo("context places: " + "; ".join(result.context))
    picked = result.chosen
    click.echo(f"answer: {picked.name} ({picked.kind}, {picked.country_code}), confidence "
               f"{result.confidence}" if picked else "answer: none")
    click.echo(f"why: {result.reason}")


def _explanation_json(result: Any, limit: int) -> dict[str, Any]:
    from dataclasses import asdict

    return {"name": result.name, "answer": asdict(result.chosen) if result.chosen else None,
            "confidence": result.confidence, "reason": result.reason, "context": result.context,
            "candidates": [{**asdict(c.entry), "score": round(c.score, 3), "evidence": c.why}
                           for c in result.candidates[:limit]]}


@main.command()
@click.argument("which", required=False, default="pipeline", type=click.Choice(["pipeline", "batch", "scale", "store", "api", "link"]))
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Gold data folder (uses india_police_events documents when present).")
@click.option("--limit", type=int, help="pipeline/batch/scale: use only the first N articles; api: synthetic events (default 100000).")
@click.option("--single", type=int, default=5, show_default=True,
              help="batch: files timed through the single-file path (one process each).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="api: server worker processes.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def bench(which: str, data_dir: Path | None, limit: int | None, single: int, workers: int,
          fmt: str) -> None:
    """Measure throughput: `pipeline` (default) = full pipeline against bare spaCy on the same
    articles, and peak memory; `batch` = files/s of `extract FILES --out DIR` next to the
    single-file path; `scale` = Dask workers, WARC streaming memory and store write rates;
    `api` = p50/p95 of GET /events over 100k synthetic events from 32 concurrent clients on 127.0.0.1.

    Example: polybius bench --limit 100
    Example: polybius bench batch --limit 100
    Example: polybius bench scale --data ../shared/data
    Example: polybius bench api --workers 2
    Example: polybius bench link   (clustering 100k synthetic events; --limit N events)
    Example: polybius bench store --data ../shared/data   (store write rates only, as in scale)
    """
    from polybius import evaluate as ev
    from polybius.bench import run_bench

    data = data_dir or ev.default_data_dir()
    if which == "batch":
        from polybius.bench_batch import run_batch_bench

        report: Any = run_batch_bench(_pipeline(), data, limit=limit, single=single)
    elif which == "scale":
        from polybius.bench_scale import run_scale_bench

        report = run_scale_bench(_pipeline(), data, limit=limit)
    elif which == "store":
        from polybius.bench_scale import run_store_bench

        report = run_store_bench(_pipeline(), data, limit=limit)
    elif which == "api":
        from polybius.serve.bench import run_api_bench

        report = run_api_bench(events=limit or 100_000, workers=workers)
    elif which == "link":
        from polybius.bench_link import run_link_bench

        report = run_link_bench(limit or 100_000)
    else:
        report = run_bench(_pipeline(), data, limit=limit)
    click.echo(json.dumps(report.to_json(), indent=2) if fmt == "json" else report.render())


@main.command(name="config")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def config_command(fmt: str) -> None:
    """Print the effective configuration and where each value came from.

    Layers, later wins: defaults, the TOML file ($POLYBIUS_CONFIG, else ./polybius.toml),
    POLYBIUS_* environment variables. Secrets are masked.

    Example: POLYBIUS_BATCH_SIZE=32 polybius config --format json
    """
    from polybius.config import Config, settings

    config, sources = Config.resolve()
    rows = [{"setting": name, "value": config.shown(name), "source": sources[name], "env": env,
             "help": help_} for name, env, help_ in settings()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table()
    for col in ("setting", "value", "source", "env", "help"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(row[c] for c in ("setting", "value", "source", "env", "help")))
    out_console.print(table)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port (reads scale with the CPU cores).")
def serve(db_url: str, host: str, port: int, workers: int) -> None:
    """Serve the REST API (docs at /docs) and the web page over the store.

    Settings come from POLYBIUS_TOKEN, POLYBIUS_PRIVATE_READS, POLYBIUS_MAX_BODY and
    POLYBIUS_PAGE_MAX (see docs/REST.md).

    Example: POLYBIUS_TOKEN=secret polybius serve --db sqlite:///polybius.db --port 8000
    Example: polybius serve --workers 2
    """
    from polybius import serve as api

    settings = api.from_env()
    ensure_gazetteer()  # built now, not on the first POST /articles
    click.echo(f"Polybius is serving {db_url} at http://{host}:{port}/ (API docs at /docs) with "
               f"{workers} worker{'s' if workers > 1 else ''}; Ctrl-C stops it", err=True)
    api.run(db_url, host, port, settings=settings if workers == 1 else None,
            log_level="warning", workers=workers)


if __name__ == "__main__":
    main()
