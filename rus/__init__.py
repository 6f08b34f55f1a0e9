"""The project package, and the app of the strategy itself.

Project wiring: `settings`, `urls`, `celery`, `wsgi`/`asgi`, `middleware`, `emails` and `tasks`
(all mail but the invitations), `views/site.py` (start page, logout, health check),
`forms/accounts.py`.

The strategy (RUS, its strategic plan by year, the påverkansagenda; R13, R14): `models`,
`access`, `services`, `views/strategy.py`, `forms/strategy.py`, `urls_strategy.py`, `admin`,
`demo`. Every agenda item links to it.
"""

from rus.celery import app as celery_app

__all__ = ["celery_app"]
