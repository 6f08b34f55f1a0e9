"""Test helpers shared by every part of Samverkan: an SMTP server, a Celery worker, a browser.

The pytest fixtures wrapping these live in tests/conftest.py.
"""
