"""Readers for the public evaluation corpora (used by evaluation and benchmarks, never shipped)."""
