"""The worker's main process loads, before it forks its pool, what every pool process's first
task would otherwise load on its own (`rus.celery.warm_up`, on `worker_init`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import django
django.setup()
from django.template import engines
from django.urls import get_resolver
from rus.celery import warm_up
before = "rus.urls" in sys.modules
warm_up()
def cached(loaders):  # the cached loader, wherever it is in the chain
    for loader in loaders:
        yield from getattr(loader, "get_template_cache", {})
        yield from cached(getattr(loader, "loaders", []))
print(json.dumps({
    "urls_before": before,
    "urls_after": "rus.urls" in sys.modules and "meetings.views" in sys.modules,
    "resolver_populated": get_resolver()._populated,
    "cached_templates": sorted(
        name
        for name in cached(engines["django"].engine.template_loaders)
        if name.startswith("emails/")
    ),
}))
"""


def test_warm_up_imports_the_urlconf_and_compiles_the_mail_templates():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rus.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["urls_before"] is False  # what each pool process paid for on its first mail
    assert probe["urls_after"] and probe["resolver_populated"]
    assert "emails/invitation-body.html" in probe["cached_templates"]
    assert "emails/invitation-subject.txt" in probe["cached_templates"]
