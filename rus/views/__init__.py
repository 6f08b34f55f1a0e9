"""Pages of the `rus` package, by topic.

- `site`: the project's own pages: the start page, logging out and the health check.
- `strategy`: the regional development strategy, its strategic plan by year (R13) and the
  påverkansagenda.
"""
