"""Checks on uploaded agenda documents (R12 c).

A file is accepted only when its extension is on the list AND its content is of that type: PDF by
its signature, PNG/JPEG by their magic numbers (via `filetype`), Office Open XML and OpenDocument
files by the entries inside the zip they are. Errors are Swedish, for the person uploading.
"""

import os
import re
import unicodedata
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPE = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
IMAGE_MIME = {"png": {"image/png"}, "jpg": {"image/jpeg"}, "jpeg": {"image/jpeg"}}

ALLOWED_EXTENSIONS = ("pdf", *OOXML_MAIN_PART, *ODF_MIMETYPE, *IMAGE_MIME)
ALLOWED_DESCRIPTION = "PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), ODT, ODS, ODP, PNG, JPEG"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    **ODF_MIMETYPE,
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def extension_of(name):
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def content_type_for(name):
    return CONTENT_TYPES.get(extension_of(name), "application/octet-stream")


def max_upload_bytes():
    return getattr(settings, "ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024)


def upload_help_text():
    """What a file field tells the user before they choose a file: the types and the size."""
    limit = max_upload_bytes()
    mib = 1024 * 1024
    size = f"{limit // mib} MB" if limit % mib == 0 else filesizeformat(limit)
    return f"Tillåtna filtyper: {ALLOWED_DESCRIPTION}. Högst {size} per fil."


def _read_head(uploaded_file, n=8192):
    uploaded_file.seek(0)
    head = uploaded_file.read(n)
    uploaded_file.seek(0)
    return head


def _content_matches(uploaded_file, ext):
    head = _read_head(uploaded_file)
    if ext == "pdf":
        # The PDF header may be preceded by a little junk; readers look in the first 1024 bytes.
        return b"%PDF-" in head[:1024]
    if ext in IMAGE_MIME:
        kind = filetype.guess(head)
        return kind is not None and kind.mime in IMAGE_MIME[ext]
    if not head.startswith(b"PK\x03\x04"):
        return False
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if ext in OOXML_MAIN_PART:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise ValidationError(
                        "Filen innehåller makron, som inte tas emot. Spara den utan makron "
                        "(som vanlig .%(ext)s) och försök igen.",
                        code="macros",
                        params={"ext": ext},
                    )
                return "[Content_Types].xml" in names and OOXML_MAIN_PART[ext] in names
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 200:
                return False
            return archive.read("mimetype").decode("ascii", "replace").strip() == ODF_MIMETYPE[ext]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        uploaded_file.seek(0)


def validate_upload(uploaded_file):
    """Raise ValidationError (Swedish) unless the file is an allowed document within the limit."""
    if uploaded_file is None:
        raise ValidationError("Välj en fil att ladda upp.", code="required")
    name = getattr(uploaded_file, "name", "") or ""
    ext = extension_of(name)
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            "Filtypen ”%(ext)s” är inte tillåten. Tillåtna filtyper: %(allowed)s.",
            code="extension",
            params={"ext": ext or "utan filändelse", "allowed": ALLOWED_DESCRIPTION},
        )
    size = uploaded_file.size
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            "Filen är för stor (%(size)s). Största tillåtna storlek är %(limit)s.",
            code="size",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError("Filen är tom.", code="empty")
    if not _content_matches(uploaded_file, ext):
        raise ValidationError(
            "Filens innehåll stämmer inte med filändelsen ”.%(ext)s”. "
            "Spara filen i rätt format och försök igen.",
            code="content",
            params={"ext": ext},
        )
    return uploaded_file


_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_filename(name, max_length=120):
    """A file name safe to show and to send in Content-Disposition: no paths, no control or
    shell characters, Swedish letters kept, lower-case extension, never empty."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, ext = os.path.splitext(name)
    stem = _UNSAFE.sub("_", stem).strip(" ._-")
    stem = re.sub(r"\s+", " ", stem)
    stem = re.sub(r"_+", "_", stem)
    ext = _UNSAFE.sub("", ext.lower())
    if ext == ".":
        ext = ""
    stem = stem[: max(1, max_length - len(ext))] or "dokument"
    return f"{stem}{ext}"
