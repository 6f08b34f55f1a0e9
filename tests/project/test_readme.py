"""README.md documents every environment variable that rus/settings.py reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_variables():
    source = (ROOT / "rus" / "settings.py").read_text()
    readers = r"(?:env(?:bool|int|list)|os\.environ\.get|dj_database_url\.config)"
    pattern = readers + r'\(\s*(?:env=)?"([A-Z0-9_]+)"'
    return set(re.findall(pattern, source))


def test_settings_reads_the_core_variables():
    """Guard the pattern above: it must find what we know is there."""
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "EMAIL_HOST",
    } <= settings_variables()


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text()

    undocumented = sorted(name for name in settings_variables() if f"`{name}`" not in readme)

    assert undocumented == []
