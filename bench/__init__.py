"""Benchmarks: bulk seeding and in-process request timings. Run with ``scripts/bench.sh`` (``make bench``)."""
