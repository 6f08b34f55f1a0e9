"""Debian's chromium driven by Playwright (no downloaded browsers: the app runs offline)."""

import os
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    """The chromium executable: $SAMVERKAN_CHROMIUM, else /usr/bin/chromium; None if absent."""
    candidate = os.environ.get("SAMVERKAN_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which(candidate)


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
