"""Timing a page through Django's test client: median and p95 in ms, and queries per request.

Shared by the page benchmarks (bench/meeting_page.py, bench/pages.py). Each result is a dict
{"queries": int, "median_ms": float, "p95_ms": float}, the format `make bench`'s table reads.
"""

import math
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rus.fragments import clear_cache


def time_page(client, url, *, repeat=30, warmup=3, cold=False, headers=None):
    """GET `url` `repeat` times after `warmup` requests. `cold`: the fragment cache is emptied
    before each request (not timed), as after a change to everything the page shows."""
    headers = headers or {}

    def get():
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)

    for _ in range(warmup):
        get()
    # The queries are counted on requests of their own: capturing them (Django's debug cursor
    # keeps every statement's text) would weigh on the timed ones.
    queries = []
    for _ in range(2):
        if cold:
            clear_cache()
        with CaptureQueriesContext(connection) as captured:
            get()
        queries.append(len(captured))
    timings = []
    for _ in range(repeat):
        if cold:
            clear_cache()
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "queries": max(queries),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[math.ceil(0.95 * len(timings)) - 1], 2),
    }
