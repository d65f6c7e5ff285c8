"""Benchmarks: one module per area, each runnable as ``python -m bench.NAME``; ``python -m bench`` runs all."""
