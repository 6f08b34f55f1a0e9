"""Text out of uploaded files: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl), PPTX
(python-pptx), and plain text. Anything else, or a file that cannot be read, gives no text —
the file is still found by its name."""

import io
import logging
from pathlib import PurePath

from . import indexing, registry
from .models import FileText

logger = logging.getLogger(__name__)

MAX_TEXT = indexing.MAX_BODY


class Unreadable(Exception):
    pass


def _pdf(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def _docx(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts = []
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None]
                if cells:
                    parts.append(" ".join(cells))
    finally:
        workbook.close()
    return "\n".join(parts)


def _pptx(data):
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(data))
    parts = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return "\n".join(parts)


def _text(data):
    return data.decode("utf-8", errors="replace")


EXTRACTORS = {
    ".pdf": _pdf,
    ".docx": _docx,
    ".xlsx": _xlsx,
    ".pptx": _pptx,
    ".txt": _text,
    ".md": _text,
    ".csv": _text,
}


def extract_text(data, name):
    """The text of a file's bytes, by its extension; Unreadable when there is none to read."""
    extractor = EXTRACTORS.get(PurePath(name).suffix.lower())
    if extractor is None:
        raise Unreadable(f"no extractor for {PurePath(name).suffix or 'a file without suffix'}")
    try:
        text = extractor(data)
    except Exception as error:  # a damaged or encrypted file: found by its name only
        raise Unreadable(f"{type(error).__name__}: {error}"[:300]) from error
    text = text.replace("\x00", " ").strip()
    if not text:
        raise Unreadable("the file has no text layer")
    return text[:MAX_TEXT]


def text_for(source_name, pk):
    """The stored text of a file ("" before extraction or when it has none)."""
    row = FileText.objects.filter(key=f"{source_name}:{pk}").only("text").first()
    return row.text if row is not None else ""


def texts_for(source_name, pks):
    """{pk: text} for many files of one source (one query)."""
    keys = {f"{source_name}:{pk}": pk for pk in pks}
    return {
        keys[key]: text
        for key, text in FileText.objects.filter(key__in=list(keys)).values_list("key", "text")
    }


def extract_missing(*, progress=None):
    """Extract every registered file that has no text row yet (a rebuild, the demo); returns
    how many were read. Documents are not refreshed here: the caller reindexes."""
    done = 0
    for source in registry.file_sources():
        known = set(
            FileText.objects.filter(key__startswith=f"{source.name}:").values_list("key", flat=True)
        )
        missing = [pk for pk in source.pks() if f"{source.name}:{pk}" not in known]
        for count, pk in enumerate(missing, start=1):
            _store(source.name, pk)
            done += 1
            if progress is not None:
                progress(source.name, count, len(missing))
    return done


def _store(source_name, pk, *, force=False):
    """Read one file's text into its FileText row; returns the opened file (None if gone)."""
    key = f"{source_name}:{pk}"
    opened = registry.file_source(source_name).open(pk)
    if opened is None:
        FileText.objects.filter(key=key).delete()
        return None
    if force or not FileText.objects.filter(key=key).exists():
        try:
            with opened.file.open("rb") as handle:
                data = handle.read()
            text, extracted, error = extract_text(data, opened.name), True, ""
        except (Unreadable, OSError) as problem:
            text, extracted, error = "", False, str(problem)[:300]
            logger.info("No text from %s (%s): %s", key, opened.name, error)
        FileText.objects.update_or_create(
            key=key, defaults={"text": text, "extracted": extracted, "error": error}
        )
    return opened


def extract_file(source_name, pk, *, force=False):
    """Extract and store one file's text, then refresh the document it belongs to.

    Idempotent: a file already extracted is not read again (unless `force`), and the document is
    refreshed either way. A file that is gone (deleted meanwhile) does nothing.
    """
    opened = _store(source_name, pk, force=force)
    if opened is None:
        return None
    indexing.index(opened.document_kind, [opened.document_id])
    return FileText.objects.get(key=f"{source_name}:{pk}")
