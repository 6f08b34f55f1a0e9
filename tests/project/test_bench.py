"""`make bench` runs every bench module that defines run() and prints its results."""

import io
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from bench import measure
from bench.__main__ import run_benchmarks
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def fake_module(name, run=None):
    module = types.ModuleType(f"bench.{name}")
    if run is not None:
        module.run = run
    return module


def test_runner_prints_results_of_each_module_with_run():
    out = io.StringIO()

    failures = run_benchmarks(
        [
            fake_module("meeting_page", lambda: {"median_ms": 12.345, "queries_per_run": 7}),
            fake_module("helpers_only"),
        ],
        out=out,
    )

    assert failures == 0
    printed = out.getvalue()
    assert "meeting_page\n" in printed
    assert "median_ms        12.35" in printed
    assert "queries_per_run  7" in printed
    assert "helpers_only" not in printed


def test_runner_reports_a_failing_benchmark_and_goes_on():
    def broken():
        raise RuntimeError("boom")

    out = io.StringIO()

    failures = run_benchmarks(
        [fake_module("broken", broken), fake_module("fine", lambda: {"x": 1})], out=out
    )

    assert failures == 1
    assert "FAILED" in out.getvalue()
    assert "RuntimeError: boom" in out.getvalue()
    assert "fine\n  x  1" in out.getvalue()


@pytest.mark.django_db
def test_measure_times_and_counts_queries():
    make_user("alice")
    from django.contrib.auth import get_user_model

    result = measure(lambda: list(get_user_model().objects.all()), repeat=3)

    assert result["runs"] == 3
    assert result["queries_per_run"] == 1
    assert 0 <= result["min_ms"] <= result["median_ms"] <= result["max_ms"]


def test_python_m_bench_runs_on_a_throwaway_database():
    """End to end: a benchmark writes rows into its own test database, not the real one."""
    script = (
        "import sys, types\n"
        "module = types.ModuleType('bench.demo_check')\n"
        "def run():\n"
        "    from django.contrib.auth import get_user_model\n"
        "    from django.db import connection\n"
        "    get_user_model().objects.create_user('bench-user')\n"
        "    return {'database': connection.settings_dict['NAME'],\n"
        "            'users': get_user_model().objects.count()}\n"
        "module.run = run\n"
        "sys.modules['bench.demo_check'] = module\n"
        "from bench.__main__ import main\n"
        "sys.exit(main(['demo_check']))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "demo_check" in result.stdout
    assert "users     1" in result.stdout
    assert "memory" in result.stdout  # SQLite's in-memory test database


def test_each_benchmark_gets_a_database_of_its_own():
    """A benchmark that swaps the connection to another database (as the invitations benchmark
    does, to share it with a worker) must not leave the next benchmark without tables."""
    script = (
        "import sys, types\n"
        "def swap_database():\n"
        "    from django.contrib.auth import get_user_model\n"
        "    from django.db import connection\n"
        "    get_user_model().objects.create_user('bench-user')\n"
        "    connection.settings_dict['NAME'] = ':memory:'\n"
        "    connection.close()\n"
        "    return {'swapped': 'ja'}\n"
        "def count_users():\n"
        "    from django.contrib.auth import get_user_model\n"
        "    return {'users': get_user_model().objects.count()}\n"
        "for name, run in [('a_swap', swap_database), ('b_count', count_users)]:\n"
        "    module = types.ModuleType(f'bench.{name}')\n"
        "    module.run = run\n"
        "    sys.modules[f'bench.{name}'] = module\n"
        "from bench.__main__ import main\n"
        "sys.exit(main(['a_swap', 'b_count']))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "b_count\n  users  0" in result.stdout
