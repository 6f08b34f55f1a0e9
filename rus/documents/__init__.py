"""Rendered documents: a file (PDF, .docx …) made by Celery from the database, once per version.

One path for every generated file that is slow to make (the protocol PDF/A, the återrapport
per organisation, the kallelse med handlingar):

1. The owning app registers a `Renderer` for its kind of document in its `AppConfig.ready()`
   (`registry.register`): how to render one version, and who may read it and ask for it again
   (its own `access.py`).
2. When a version exists (a protocol is adjusted …) the app calls
   `rendering.request_document(kind=…, object_key=…, version_key=…)`: one `RenderedDocument`
   row per (kind, object key, version key), unique in the database, so asking twice is one
   row and one file. Its task is published when the transaction commits.
3. The task (`rus.tasks.render_document`) claims the row ("rendering", committed), renders,
   stores the file through Django's storage with its SHA-256, size and page count, and marks
   it done. A failure is retried with backoff (`DOCUMENT_MAX_RETRIES`), then the row is
   failed, with the reason, and can be rendered again from the page (a POST form).
4. Pages show the state with `templates/documents/status.html` (htmx polls it while the file
   is being made: "PDF skapas…", then the link), and the file is served by
   `rus.views.documents.download`, which asks the renderer's access check first.
5. Celery beat's `sweep_documents` publishes rows whose task was lost (never published, not
   picked up, or left "rendering" by a worker that died).

Modules: `models` (the row), `registry` (renderers by kind), `rendering` (request, render,
retry, sweep).
"""
