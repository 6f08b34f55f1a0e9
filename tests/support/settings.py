"""The settings module read afresh under a given environment: what a deployment would get."""

import runpy

import rus.settings


def settings_under(monkeypatch, **environ):
    """The names rus/settings.py defines when run with `environ` (None unsets a variable);
    monkeypatch restores the environment after the test."""
    for name, value in environ.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(rus.settings.__file__)
