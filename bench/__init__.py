"""Benchmarks for Samverkan: `make bench` (`python -m bench [module ...]`), the scoreboard of
the app's speed.

Every module in this package that defines `run()` is a benchmark. The runner calls `run()` once
against a throwaway test database of its own (created before and dropped after; never the
development data, never another benchmark's) with Celery tasks eager and mail kept in memory.
`run()` builds its own data and returns a dict of result name -> value. A value is a number or
a short string, or, for a page, a dict {"queries": int, "median_ms": float, "p95_ms": float}
under a name like "meeting page @ 100 items" (`page()` makes it from `measure()`). The runner
prints each module's results as it goes and, at the end, `scoreboard()`: one Markdown table of
every page, the agenda PDF against WeasyPrint alone, the invitations against a plain smtplib
loop and the worker's peak memory.

    # bench/meeting_page.py
    from bench import measure, page

    def run():
        meeting = ...  # build data
        return {"meeting page @ 100 items": page(measure(lambda: client.get(url), repeat=20))}
"""

import math
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(func, *, repeat=10, warmup=1):
    """Call `func` `repeat` times after `warmup` calls; timings in ms and queries per call."""
    for _ in range(warmup):
        func()
    # Queries counted on calls of their own: the debug cursor that captures them (it keeps
    # every statement's text) would weigh on the timed calls.
    with CaptureQueriesContext(connection) as captured:
        for _ in range(repeat):
            func()
    queries = len(captured)  # now: each request that follows empties the log it reads
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "runs": repeat,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        "queries_per_run": round(queries / repeat, 1),
    }


def percentile(values, percent):
    """The nearest-rank percentile: the smallest value with `percent` % of values at or below."""
    ordered = sorted(values)
    rank = max(math.ceil(percent / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def page(figures):
    """A page's result for the scoreboard, from `measure()`'s figures."""
    queries = figures["queries_per_run"]
    return {
        "queries": int(queries) if float(queries).is_integer() else queries,
        "median_ms": figures["median_ms"],
        "p95_ms": figures["p95_ms"],
    }


# --- The scoreboard ---------------------------------------------------------------------------

GOALS = {"pdf_pages_per_s": 15, "pdf_ratio": 1.2, "invitations_ratio": 0.8}


def _number(value, digits=1):
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:,.{digits}f}".replace(",", " ")
    return str(value)


def _verdict(ok):
    return "ja" if ok else "**NEJ**"


def scoreboard(results):
    """One Markdown table of `results` ({module name: its run()'s dict}): the pages (every
    dict-valued result), then the agenda PDF, the invitations and the worker's memory when
    those benchmarks ran. A pure function (tests/project/test_bench_scoreboard.py)."""
    lines = [
        "| what | queries | median ms | p95 ms | result | reference | ratio | goal met |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for module, values in results.items():
        for name, value in (values or {}).items():
            if isinstance(value, dict):
                lines.append(
                    f"| {name} ({module}) | {_number(value.get('queries'))} "
                    f"| {_number(value.get('median_ms'))} | {_number(value.get('p95_ms'))} "
                    "| | | | |"
                )
    pdf = results.get("agenda_pdf") or {}
    if "pdf_pages_per_s" in pdf:
        rate, ratio = pdf["pdf_pages_per_s"], pdf["pdf_task_vs_weasyprint"]
        alone = pdf["pdf_pages"] / (pdf["pdf_weasyprint_alone_median_ms"] / 1000)
        ok = rate >= GOALS["pdf_pages_per_s"] and ratio <= GOALS["pdf_ratio"]
        lines.append(
            f"| agenda PDF, {pdf.get('agenda_items', '?')} items, {pdf['pdf_pages']} pages "
            f"(the render task) | | {_number(pdf['pdf_task_median_ms'])} | "
            f"| {_number(rate)} pages/s | WeasyPrint alone {_number(alone)} pages/s "
            f"| {_number(ratio, 2)}× | {_verdict(ok)} (≥ {GOALS['pdf_pages_per_s']} pages/s, "
            f"≤ {GOALS['pdf_ratio']}×) |"
        )
        if "pdf_pages_per_cpu_s" in pdf:
            lines.append(
                f"| agenda PDF in CPU time (this process) | | {_number(pdf['pdf_task_cpu_ms'])} "
                f"| | {_number(pdf['pdf_pages_per_cpu_s'])} pages/s | WeasyPrint alone "
                f"{_number(pdf['pdf_weasyprint_alone_cpu_ms'])} ms "
                f"| {_number(pdf['pdf_task_vs_weasyprint_cpu'], 2)}× | |"
            )
    invitations = results.get("invitations") or {}
    if "messages_per_s" in invitations:
        rate = invitations["messages_per_s"]
        for label, key in (
            ("one connection per message", "smtplib_loop_per_message_per_s"),
            ("one connection", "smtplib_loop_one_connection_per_s"),
        ):
            loop = invitations[key]
            ratio = rate / loop if loop else 0
            # The goal is against the "plain smtplib loop" (its 69–75 messages/s: one
            # connection per message); the loop that never reconnects is shown beside it.
            goal = (
                f"{_verdict(ratio >= GOALS['invitations_ratio'])} (≥ {GOALS['invitations_ratio']}×)"
                if key == "smtplib_loop_per_message_per_s"
                else "reference, no goal"
            )
            lines.append(
                f"| {invitations['invitations']} invitations, worker concurrency "
                f"{invitations['worker_concurrency']} | | | | {_number(rate)} messages/s "
                f"| smtplib loop, {label}: {_number(loop)} messages/s | {_number(ratio, 2)}× "
                f"| {goal} |"
            )
        if "worker_peak_rss_mb" in invitations:
            lines.append(
                f"| the worker's peak memory (RSS of its processes together, during the "
                f"invitations) | | | | {_number(invitations['worker_peak_rss_mb'])} MB | | | |"
            )
    return "\n".join(lines)
