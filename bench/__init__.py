"""Benchmarks for Samverkan: `make bench` (`python -m bench [module ...]`).

Every module in this package that defines `run()` is a benchmark. The runner calls `run()` once
against a throwaway test database of its own (created before and dropped after; never the
development data, never another benchmark's) with Celery tasks eager and mail kept in memory.
`run()` builds its own data and returns a dict of result name -> value (numbers or short
strings), which the runner prints; `measure()` below times a callable and counts its database
queries.

    # bench/meeting_page.py
    from bench import measure

    def run():
        meeting = ...  # build data
        return measure(lambda: client.get(url), repeat=20)
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(func, *, repeat=10, warmup=1):
    """Call `func` `repeat` times after `warmup` calls; timings in ms and queries per call."""
    for _ in range(warmup):
        func()
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            started = time.perf_counter()
            func()
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "runs": repeat,
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        "queries_per_run": round(len(queries) / repeat, 1),
    }
