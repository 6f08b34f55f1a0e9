"""Production supervision: web, worker and beat are restarted whenever they stop, in
docker-compose.yml and in the systemd units shipped for a server install."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def compose_services():
    """Each service's block of docker-compose.yml, with the `x-app` anchor merged in."""
    text = (ROOT / "docker-compose.yml").read_text()
    anchor = re.search(r"^x-app: &app\n((?:  .*\n|\n)+?)(?=^\S)", text, re.M).group(1)
    services = text.split("\nservices:\n", 1)[1]
    blocks = re.findall(r"^  (\w+):\n((?:    .*\n|\n)+)", services, re.M)
    return {name: (anchor if "<<: *app" in body else "") + body for name, body in blocks}


def test_compose_restarts_web_worker_and_beat():
    services = compose_services()
    for name in ("web", "worker", "beat"):
        assert re.search(r"restart: (always|unless-stopped)", services[name]), name


def test_systemd_units_restart_always_and_let_the_worker_finish_its_tasks():
    units = ROOT / "deploy" / "systemd"
    for name in ("web", "worker", "beat"):
        unit = (units / f"samverkan-{name}.service").read_text()
        assert "\nRestart=always\n" in unit, name
        assert "EnvironmentFile=/etc/samverkan/env" in unit
    worker = (units / "samverkan-worker.service").read_text()
    assert "KillMode=mixed" in worker
    stop_seconds = int(re.search(r"TimeoutStopSec=(\d+)", worker).group(1))
    assert stop_seconds > settings.CELERY_TASK_TIME_LIMIT
