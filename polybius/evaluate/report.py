"""``Report``: what every evaluation returns: stable metric keys, detail tables, notes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | None
Progress = Callable[[int, int | None], None]
"""``on_progress(done, total)``: called after each item; total is None when unknown."""


@dataclass
class Table:
    """A small table for ``Report.details`` (e.g. per-label P/R/F1)."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def render(self) -> str:
        """Plain-text, column-aligned rendering; floats with 3 decimals."""
        cells = [self.columns] + [[_fmt(c) for c in row] for row in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                 for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"columns": list(self.columns), "rows": [list(r) for r in self.rows]}


def _fmt(cell: Cell) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, float):
        return f"{cell:.3f}"
    return str(cell)


@dataclass
class Report:
    """Result of one evaluation: ``metrics`` keys are stable (the eval gate pins them)."""

    name: str
    metrics: dict[str, float]
    details: dict[str, Table] = field(default_factory=dict)
    n: int = 0
    """Number of gold items scored."""
    notes: list[str] = field(default_factory=list)
    """Subset used, skipped records, unavailable baselines: anything a reader must know."""
    seconds: float = 0.0

    def render(self) -> str:
        """A readable plain-text report: headline metrics, then each detail table."""
        head = Table(["metric", "value"], [[k, v] for k, v in self.metrics.items()])
        parts = [f"{self.name}: {self.n} items, {self.seconds:.1f} s", head.render()]
        parts += [f"{title}\n{table.render()}" for title, table in self.details.items()]
        parts += [f"note: {note}" for note in self.notes]
        return "\n\n".join(parts)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (floats kept at full precision)."""
        return {"name": self.name, "n": self.n, "seconds": round(self.seconds, 3),
                "metrics": dict(self.metrics),
                "details": {k: t.to_json() for k, t in self.details.items()},
                "notes": list(self.notes)}


def prf_table(rows: Sequence[tuple[str, float, float, float, int]]) -> Table:
    """Table of (label, precision, recall, f1, support) rows."""
    return Table(["label", "precision", "recall", "f1", "support"], [list(r) for r in rows])
