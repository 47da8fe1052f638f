"""``polybius bench batch``: files/s of ``polybius extract FILE... --out DIR`` against the
single-file path (one ``polybius extract FILE`` process per file) and a bare ``nlp.pipe``.

The corpus (the ``polybius bench`` one) is written to a temporary folder as one text file per
article and read back, so every pass works on exactly the texts the CLI extracts. Passes:

- bare ``nlp.pipe`` over those texts (model loaded before the clock starts);
- ``Pipeline.extract_many`` over the same articles, in process;
- ``extract FILES --out DIR`` run in this process with the model already loaded: reading,
  cleaning, extraction, contract validation and writing, without the model load;
- the same command as a fresh process, as a user runs it (interpreter start and model load included);
- the single-file path: a fresh ``polybius extract FILE`` process per file, on the first few files.

Target (issue 11): the batch command's articles/s over bare ``nlp.pipe`` reaches at least 90% of
the same ratio for ``extract_many``, i.e. reading, validating and writing files costs < 10%.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius import nlp
from polybius.bench import bench_articles
from polybius.evaluate.report import Table

if TYPE_CHECKING:
    from polybius.pipeline import Pipeline

TARGET = 0.9


@dataclass
class Pass:
    """One timed pass: wall-clock seconds, and CPU seconds (this process's, or its children's
    for fresh processes), which stay meaningful when other jobs share the cores."""

    files: int
    wall: float
    cpu: float

    def per_s(self, clock: str) -> float:
        """Files per second of wall-clock (``wall``) or CPU (``cpu``) time."""
        seconds = self.wall if clock == "wall" else self.cpu
        return self.files / seconds if seconds else 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(run: Callable[[], object], files: int, *, children: bool = False) -> Pass:
    cpu = _children_cpu if children else time.process_time
    wall0, cpu0 = time.perf_counter(), cpu()
    run()
    return Pass(files, time.perf_counter() - wall0, cpu() - cpu0)


@dataclass
class BatchBenchReport:
    """Throughput of each pass over the same files."""

    corpus: str
    model: str
    batch_size: int
    passes: dict[str, Pass]
    notes: list[str] = field(default_factory=list)

    def ratio(self, name: str, clock: str = "wall") -> float:
        """files/s of pass ``name`` over bare ``nlp.pipe`` files/s."""
        bare = self.passes["bare nlp.pipe"].per_s(clock)
        return self.passes[name].per_s(clock) / bare if bare else 0.0

    def batch_share(self, clock: str = "wall") -> float:
        """The batch command's ratio to bare over ``extract_many``'s (target >= 0.9)."""
        full = self.ratio("extract_many", clock)
        return self.ratio("extract --out (in process)", clock) / full if full else 0.0

    def render(self) -> str:
        """A plain-text table and the verdict on the target."""
        rows: list[list[Any]] = [
            [name, p.files, round(p.wall, 2), round(p.per_s("wall"), 3), round(self.ratio(name), 3),
             round(p.cpu, 2), round(p.per_s("cpu"), 3), round(self.ratio(name, "cpu"), 3)]
            for name, p in self.passes.items()]
        table = Table(["pass", "files", "wall s", "files/s", "vs bare", "cpu s", "files/cpu-s",
                       "vs bare (cpu)"], rows)
        lines = [f"corpus: {self.corpus}", f"model: {self.model} (batch {self.batch_size})", table.render()]
        for clock in ("wall", "cpu"):
            share = self.batch_share(clock)
            verdict = "meets" if share >= TARGET else "MISSES"
            lines.append(f"batch command / extract_many, both vs bare nlp.pipe ({clock} time): "
                         f"{share:.1%} ({verdict} the >= {TARGET:.0%} target)")
        single, fresh = self.passes.get("single-file processes"), self.passes["extract --out (fresh process)"]
        if single is not None and single.files:
            lines.append("batch command (fresh process) vs single-file path: "
                         f"{fresh.per_s('wall') / single.per_s('wall'):.1f}x the files/s "
                         f"({fresh.per_s('cpu') / single.per_s('cpu'):.1f}x per CPU second)")
        return "\n".join(lines + [f"note: {n}" for n in self.notes])

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict with the same figures."""
        return {"corpus": self.corpus, "model": self.model, "batch_size": self.batch_size,
                "passes": {name: {"files": p.files, "wall_s": round(p.wall, 3), "cpu_s": round(p.cpu, 3),
                                  "files_per_s": round(p.per_s("wall"), 3),
                                  "files_per_cpu_s": round(p.per_s("cpu"), 3),
                                  "vs_bare": round(self.ratio(name), 4),
                                  "vs_bare_cpu": round(self.ratio(name, "cpu"), 4)}
                           for name, p in self.passes.items()},
                "batch_share": round(self.batch_share(), 4),
                "batch_share_cpu": round(self.batch_share("cpu"), 4), "target": TARGET,
                "meets_target": self.batch_share() >= TARGET, "notes": list(self.notes)}


def write_corpus(folder: Path, data_dir: Path | None, limit: int | None) -> tuple[str, list[Path]]:
    """The bench corpus as one ``YYYY-MM-DD-NNNN.txt`` file per article (date from ``published``)."""
    corpus, articles = bench_articles(data_dir, limit)
    paths = []
    for n, article in enumerate(articles):
        day = (article.published or date(2000, 1, 1)).isoformat()
        path = folder / f"{day}-{n:04d}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return corpus, paths


def _cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "polybius.cli", *args]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:6])} … failed: {done.stderr.strip()[-500:]}")


def run_batch_bench(pipeline: Pipeline, data_dir: Path | None, *, limit: int | None = None,
                    single: int = 5) -> BatchBenchReport:
    """Time every pass (see the module docstring); ``single`` = files for the single-file path."""
    from polybius.batch import read_source
    from polybius.cli import main

    model, batch = pipeline.config.model, pipeline.config.batch_size
    with tempfile.TemporaryDirectory(prefix="polybius-bench-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        corpus, paths = write_corpus(root / "in", data_dir, limit)
        articles = [a for p in paths for a in read_source(p)]
        texts = [a.text for a in articles]
        language = nlp.load(model)  # loaded here so no in-process clock includes the load
        language("warm-up")
        args = ["extract", *map(str, paths), "--out"]
        few = paths[:single]
        passes = {
            "bare nlp.pipe": _timed(lambda: list(language.pipe(texts, batch_size=batch)), len(texts)),
            "extract_many": _timed(lambda: list(pipeline.extract_many(articles)), len(texts)),
            "extract --out (in process)": _timed(
                lambda: main.main(args=[*args, str(root / "out-a")], standalone_mode=False), len(paths)),
            "extract --out (fresh process)": _timed(
                lambda: _run(_cli([*args, str(root / "out-b")])), len(paths), children=True),
        }
        if few:
            passes["single-file processes"] = _timed(
                lambda: [_run(_cli(["extract", str(p)])) for p in few], len(few), children=True)
    return BatchBenchReport(
        corpus=corpus, model=model, batch_size=batch, passes=passes,
        notes=[f"measured {date.today().isoformat()}; fresh-process passes include interpreter "
               f"start and model load; the single-file path runs on the first {len(few)} files only "
               "(each process pays the load); cpu = user+sys of this process or of its children"])
