"""Run the benchmarks: every bench/<module>.py with a `run()`; see bench/__init__.py."""

import importlib
import os
import pkgutil
import sys
import time
import traceback


def discover():
    import bench

    return [
        info.name for info in pkgutil.iter_modules(bench.__path__) if not info.name.startswith("_")
    ]


def format_value(value):
    if isinstance(value, dict):  # a page: {"queries", "median_ms", "p95_ms"}
        return ", ".join(f"{key} {format_value(number)}" for key, number in value.items())
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def run_benchmarks(modules, out=sys.stdout, collected=None):
    """Run each module's `run()`; print its results (and keep them in `collected`, by module
    name). Returns the number of failed benchmarks."""
    failures = 0
    for module in modules:
        run = getattr(module, "run", None)
        if run is None:
            continue
        name = module.__name__.removeprefix("bench.")
        print(f"{name}", file=out)
        started = time.perf_counter()
        try:
            results = run() or {}
        except Exception:
            failures += 1
            print(f"  FAILED\n{traceback.format_exc()}", file=out)
            continue
        if collected is not None:
            collected[name] = results
        width = max((len(str(key)) for key in results), default=0)
        for key, value in results.items():
            print(f"  {key:<{width}}  {format_value(value)}", file=out)
        print(f"  ({time.perf_counter() - started:.1f} s)", file=out)
    return failures


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rus.settings")
    import django

    django.setup()
    from django.db import connections
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    from rus.celery import app as celery_app

    names = argv or discover()
    modules = [importlib.import_module(f"bench.{name}") for name in names]
    if not any(hasattr(module, "run") for module in modules):
        print("No benchmarks yet: add a bench/<name>.py with a run() function.")
        return 0

    celery_app.conf.task_always_eager = True
    database = connections["default"].settings_dict
    if database["ENGINE"] != "django.db.backends.sqlite3":
        # Never the name pytest uses (test_<name>): a benchmark must not clobber a test run.
        database["TEST"]["NAME"] = f"bench_{database['NAME']}"
    setup_test_environment()
    failures = 0
    collected = {}
    started = time.perf_counter()
    try:
        for module in modules:
            if not hasattr(module, "run"):
                continue
            # A database of its own for each benchmark: none sees another's rows, and one that
            # re-points or closes the connection (to share it with a worker) cannot break the next.
            old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
            try:
                failures += run_benchmarks([module], collected=collected)
            finally:
                teardown_databases(old_config, verbosity=0)
    finally:
        teardown_test_environment()
    from bench import scoreboard

    print(f"\n## Scoreboard ({time.perf_counter() - started:.0f} s)\n")
    print(scoreboard(collected))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
