"""The ``polybius`` command line. Each command opens the store or pipeline and calls the library.

Exit codes: 0 ok, 1 error (bad input, store or evaluation problem), 2 bad usage.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from polybius.errors import InputError, PolybiusError
from polybius.model import Article

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


def ingest_paths(paths: Iterable[Path], db_url: str, published: date | None = None) -> tuple[int, int, int]:
    """Read, extract and store every article under ``paths``; returns (added, skipped, failed inputs)."""
    from polybius.store import Store

    pipeline = _pipeline()
    with _progress() as progress:
        task = progress.add_task("extracting", total=None)
        result = Store(db_url).ingest(
            paths, pipeline=pipeline, published=published,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    for message in result.failed:
        fail(message)
    return result.added, result.skipped, len(result.failed)


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
@click.option("--canonical", is_flag=True,
              help="One row per real-world event (reports merged), with sources and disagreements.")
def events(db_url: str, type_: str | None, country: str | None, since: date | None,
           until: date | None, actor: str | None, fmt: str, canonical: bool) -> None:
    """List stored events, filtered.

    Example: polybius events --type ASSAULT --country FR --since 2018-01-01 --format csv
    Example: polybius events --canonical --format json
    """
    from polybius.store import Store

    if canonical:
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
@click.option("--format", "fmt", type=click.Choice(["plover-json", "csv", "geojson"]), required=True)
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
def export(db_url: str, fmt: str, out: Path) -> None:
    """Export every stored event as PLOVER JSON, ACLED-style CSV or GeoJSON.

    Example: polybius export --format geojson events.geojson
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
@click.argument("which", required=False, default="pipeline",
                type=click.Choice(["pipeline", "batch", "link"]))
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Gold data folder (uses india_police_events documents when present).")
@click.option("--limit", type=int, help="Use only the first N articles.")
@click.option("--single", type=int, default=5, show_default=True,
              help="batch: files timed through the single-file path (one process each).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def bench(which: str, data_dir: Path | None, limit: int | None, single: int, fmt: str) -> None:
    """Measure throughput: `pipeline` (default) = full pipeline against bare spaCy on the same
    articles, and peak memory; `batch` = files/s of `extract FILES --out DIR` next to the
    single-file path.

    Example: polybius bench --limit 100
    Example: polybius bench batch --limit 100
    Example: polybius bench link   (clustering 100k synthetic events; --limit N events)
    """
    from polybius import evaluate as ev
    from polybius.bench import run_bench

    if which == "link":
        from polybius.bench_link import run_link_bench

        link_report = run_link_bench(limit or 100_000)
        click.echo(json.dumps(link_report.__dict__, indent=2) if fmt == "json" else link_report.render())
        return

    if which == "batch":
        from polybius.bench_batch import run_batch_bench

        batch_report = run_batch_bench(_pipeline(), data_dir or ev.default_data_dir(), limit=limit,
                                       single=single)
        click.echo(json.dumps(batch_report.to_json(), indent=2) if fmt == "json" else batch_report.render())
        return
    report = run_bench(_pipeline(), data_dir or ev.default_data_dir(), limit=limit)
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


if __name__ == "__main__":
    main()
