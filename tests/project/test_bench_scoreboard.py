"""`make bench`'s scoreboard: one Markdown table from the benchmarks' results."""

import pytest
from django.urls import reverse

from bench import measure, page, percentile, scoreboard
from bench._pages import time_page
from tests.factories import make_user

RESULTS = {
    "meeting_page": {
        "meeting page @ 10 items": {"queries": 11, "median_ms": 12.34, "p95_ms": 15.0},
        "meeting page @ 100 items": {"queries": 11, "median_ms": 24.5, "p95_ms": 31.25},
        "queries_grow_with_items": "nej",
    },
    "agenda_pdf": {
        "agenda_items": 100,
        "pdf_pages": 33,
        "pdf_task_median_ms": 1650.0,
        "pdf_weasyprint_alone_median_ms": 1500.0,
        "pdf_pages_per_s": 20.0,
        "pdf_task_vs_weasyprint": 1.1,
    },
    "invitations": {
        "invitations": 500,
        "worker_concurrency": 2,
        "messages_per_s": 100.0,
        "smtplib_loop_per_message_per_s": 200.0,
        "smtplib_loop_one_connection_per_s": 110.0,
        "worker_peak_rss_mb": 250.5,
    },
}


def rows(table):
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]


def test_one_markdown_table_with_a_row_per_page_and_per_job():
    table = rows(scoreboard(RESULTS))
    header, rule, *body = table
    assert header[:4] == ["what", "queries", "median ms", "p95 ms"]
    assert all(set(cell) <= set("-:") for cell in rule)
    assert all(len(row) == len(header) for row in body)
    assert body[0][:4] == ["meeting page @ 10 items (meeting_page)", "11", "12.3", "15.0"]
    assert body[1][:4] == ["meeting page @ 100 items (meeting_page)", "11", "24.5", "31.2"]
    pdf = body[2]
    assert pdf[0].startswith("agenda PDF, 100 items, 33 pages")
    assert pdf[4] == "20.0 pages/s"
    assert pdf[5] == "WeasyPrint alone 22.0 pages/s"
    assert pdf[6] == "1.10×" and pdf[7].startswith("ja")
    per_message, one_connection = body[3], body[4]
    assert per_message[4] == "100.0 messages/s" and per_message[6] == "0.50×"
    assert per_message[7].startswith("**NEJ**")
    assert one_connection[6] == "0.91×" and one_connection[7] == "reference, no goal"
    assert body[5][4] == "250.5 MB"
    assert len(body) == 6  # plain values (queries_grow_with_items) are not rows


def test_a_missing_job_leaves_its_rows_out():
    table = rows(scoreboard({"archive": {"public page @ 40 entries": page_result()}}))
    assert len(table) == 3


def page_result():
    return page({"queries_per_run": 7.0, "median_ms": 5.0, "p95_ms": 6.0})


def test_page_results_and_the_nearest_rank_percentile():
    assert page_result() == {"queries": 7, "median_ms": 5.0, "p95_ms": 6.0}
    assert percentile(list(range(1, 21)), 95) == 19
    assert percentile([3.0], 95) == 3.0


@pytest.mark.django_db
def test_queries_are_counted_though_each_timed_request_empties_the_log(client):
    """Django empties the connection's query log at every request: the count must be taken
    before the timed requests that follow it."""
    client.force_login(make_user("bench"))
    url = reverse("home")
    figures = measure(lambda: client.get(url), repeat=3, warmup=1)
    assert figures["queries_per_run"] > 0
    assert time_page(client, url, repeat=3, warmup=1)["queries"] == figures["queries_per_run"]
