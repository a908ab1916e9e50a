"""Benchmarks run by `make bench` (python -m benchmarks.run); each bench_*.py prints a markdown section."""
