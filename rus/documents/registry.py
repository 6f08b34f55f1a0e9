"""Renderers by kind of document. Each owning app registers its own in `AppConfig.ready()`;
`rus` knows none of them (imports point down, docs/architecture.md)."""

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Rendered:
    """What a renderer returns: the file's bytes and how to serve them."""

    content: bytes
    filename: str
    content_type: str = "application/pdf"
    page_count: int | None = None


@dataclasses.dataclass(frozen=True)
class Renderer:
    """One kind of document.

    - `render(document)` → `Rendered`: makes the file of `document.object_key` at
      `document.version_key`. It may raise: the attempt is retried, then the row is failed.
    - `may_read(user, document)`: the owning app's access rule (its `access.py`); a user who
      may not read gets a 404.
    - `may_rerender(user, document)`: who may ask for a failed document again (403 otherwise).
    - `label`: what the status line calls the file ("PDF" → "PDF skapas…").
    """

    kind: str
    render: Callable
    may_read: Callable
    may_rerender: Callable
    label: str = "PDF"


_renderers = {}


def register(renderer):
    """Register (or, on a repeated `ready()`, replace) the renderer of `renderer.kind`."""
    _renderers[renderer.kind] = renderer
    return renderer


def get(kind):
    try:
        return _renderers[kind]
    except KeyError:
        raise LookupError(f"No renderer is registered for documents of kind {kind!r}.") from None


def kinds():
    return sorted(_renderers)
