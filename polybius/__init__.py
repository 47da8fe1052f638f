"""Polybius: news articles in, verifiable, source-attributed PLOVER event records out."""

__version__ = "0.1.0"
