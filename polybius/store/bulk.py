"""Many rows into one table in few round trips: COPY on PostgreSQL, one executemany on SQLite
(and many rows' values of one column, by primary key, in one statement: ``update_by_pk``).

SQLAlchemy's ``conn.execute(table.insert(), rows)`` builds and type-processes a parameter dict
per row in Python (about a third of the store's write time on SQLite), and psycopg's pipelined
executemany still sends one statement per row (most of the time on PostgreSQL). Here each
column's bind processor (dates to text on SQLite, JSON through the engine's serialiser,
psycopg's ``Json`` wrapper) is applied directly to plain tuples, which go to the driver in one
call, inside the caller's transaction. Database errors still surface as SQLAlchemy's
``DBAPIError``, so the store's error handling is the same for every path.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table
from sqlalchemy.exc import DBAPIError

def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    names = list(rows[0])
    dialect = conn.dialect
    convert = [(i, proc) for i, proc in enumerate(
        table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names) if proc]
    # one C call per row, a tuple in column order (itemgetter of one name gives the bare value)
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    values = [_converted(pick(row), convert) for row in rows] if convert else [pick(row) for row in rows]
    columns = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
    target = dialect.identifier_preparer.format_table(table)
    if dialect.name == "postgresql":
        _copy(conn, f"COPY {target} ({columns}) FROM STDIN", values)
    else:
        marks = ", ".join(placeholder(dialect) for _ in names)
        conn.exec_driver_sql(f"INSERT INTO {target} ({columns}) VALUES ({marks})", values)


def placeholder(dialect: Dialect) -> str:
    """The driver's positional parameter marker, for SQL sent with ``exec_driver_sql``."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def update_by_pk(conn: Connection, table: Table, column: str, values: list[tuple[int, Any]]) -> None:
    """Set ``column`` of many rows of ``table`` given as (primary key ``pk``, value), in one driver
    call: an executemany on SQLite, one UPDATE from unnest()ed arrays on PostgreSQL (psycopg's
    executemany would send a statement per row)."""
    if not values:
        return
    dialect = conn.dialect
    target = dialect.identifier_preparer.format_table(table)
    name = dialect.identifier_preparer.quote(column)
    if dialect.name == "postgresql":
        sql_type = table.c[column].type.compile(dialect=dialect)
        conn.exec_driver_sql(
            f"UPDATE {target} SET {name} = u.value FROM unnest(%(pks)s::integer[], %(values)s::{sql_type}[])"
            f" AS u(pk, value) WHERE {target}.pk = u.pk",
            {"pks": [pk for pk, _ in values], "values": [v for _, v in values]})
    else:
        mark = placeholder(dialect)
        conn.exec_driver_sql(f"UPDATE {target} SET {name} = {mark} WHERE pk = {mark}",
                             [(v, pk) for pk, v in values])


def _converted(value: tuple[Any, ...], convert: list[tuple[int, Callable[[Any], Any]]]) -> tuple[Any, ...]:
    out = list(value)
    for i, proc in convert:
        if out[i] is not None:
            out[i] = proc(out[i])
    return tuple(out)


def _copy(conn: Connection, statement: str, values: list[tuple[Any, ...]]) -> None:
    """COPY FROM STDIN through psycopg, in the connection's open transaction."""
    driver = conn.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for value in values:
                copy.write_row(value)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(statement, None, exc, conn.dialect.loaded_dbapi.Error) from exc
