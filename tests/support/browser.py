"""Debian's chromium driven by Playwright (no downloaded browsers: the app runs offline)."""

import os
import shutil

import pytest

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


def require_chromium():
    """The chromium path; without one, skip the test (a laptop) or fail it (CI=true)."""
    executable = chromium_path()
    if executable is None:
        reason = (
            "No chromium found (set SAMVERKAN_CHROMIUM or install Debian's chromium): "
            "browser tests need it"
        )
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return executable


def log_in(page, username, password):
    """Sign in through the real login form and wait for the start page."""
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")
