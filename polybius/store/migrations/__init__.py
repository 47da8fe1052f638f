"""Alembic migrations of the store (run programmatically by ``Store``; no alembic.ini)."""
