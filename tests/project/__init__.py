"""Tests of the project as a whole rather than of one domain: deployment, settings, README and
docs, the admin, access to every URL, the crawl, mail and Celery wiring, the test fixtures."""
