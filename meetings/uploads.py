"""Checks on uploaded agenda documents (R12 c).

A file is accepted only when its extension is on the list AND its content is of that type, by the
signature each format puts at its very start: `%PDF-` and a version at byte 0 (readers tolerate a
kilobyte of junk before it, which is how an HTML page passes as a PDF: not here); the PNG
signature followed by its IHDR chunk; the JPEG start-of-image marker; a zip's local header, then
the entries inside: `[Content_Types].xml` and the main part for Office Open XML, the `mimetype`
entry first and stored, as the OpenDocument standard requires. `filetype` only compares the first
bytes with magic numbers and cannot tell a polyglot, so it is not used for the decision. A file
whose first kilobyte holds HTML markup is refused whatever it claims to be. Zip-based files are
measured before they are opened (`councils.archives`: zip bombs). Errors are Swedish, for the
person uploading.
"""

import os
import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from councils.archives import check_archive

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
IMAGE_SIGNATURES = {
    # PNG: the 8-byte signature, then the IHDR chunk (length 13) that must come first.
    "png": re.compile(rb"\A\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"),
    # JPEG: start of image, then the first segment's marker.
    "jpg": re.compile(rb"\A\xff\xd8\xff[\xc0-\xfe]"),
    "jpeg": re.compile(rb"\A\xff\xd8\xff[\xc0-\xfe]"),
}
PDF_SIGNATURE = re.compile(rb"\A%PDF-[12]\.\d")
ZIP_SIGNATURE = b"PK\x03\x04"
# What a browser would take for a web page: never in the first kilobyte of a document.
HTML_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|object|embed|svg|img|meta)[\s/>]",
    re.IGNORECASE,
)
ODF_MIMETYPE_OFFSET = 38  # 30-byte local header + the name "mimetype"

ALLOWED_EXTENSIONS = ("pdf", *OOXML_MAIN_PART, *ODF_MIMETYPE, *IMAGE_SIGNATURES)
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
    return gettext("Tillåtna filtyper: %(types)s. Högst %(size)s per fil.") % {
        "types": ALLOWED_DESCRIPTION,
        "size": size,
    }


def _read_head(uploaded_file, n=8192):
    uploaded_file.seek(0)
    head = uploaded_file.read(n)
    uploaded_file.seek(0)
    return head


def _content_matches(uploaded_file, ext):
    head = _read_head(uploaded_file)
    if HTML_MARKUP.search(head[:1024]):
        return False
    if ext == "pdf":
        return bool(PDF_SIGNATURE.match(head))
    if ext in IMAGE_SIGNATURES:
        return bool(IMAGE_SIGNATURES[ext].match(head))
    if not head.startswith(ZIP_SIGNATURE):
        return False
    try:
        check_archive(uploaded_file)
        with zipfile.ZipFile(uploaded_file) as archive:
            if ext in OOXML_MAIN_PART:
                return _is_ooxml(archive, ext)
            return _is_odf(archive, head, ext)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        uploaded_file.seek(0)


def _is_ooxml(archive, ext):
    names = set(archive.namelist())
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            gettext(
                "Filen innehåller makron, som inte tas emot. Spara den utan makron "
                "(som vanlig .%(ext)s) och försök igen."
            ),
            code="macros",
            params={"ext": ext},
        )
    return "[Content_Types].xml" in names and OOXML_MAIN_PART[ext] in names


def _is_odf(archive, head, ext):
    """The standard puts `mimetype` first, stored, so its text sits at a fixed offset."""
    first = archive.infolist()[0]
    expected = ODF_MIMETYPE[ext].encode("ascii")
    return (
        first.filename == "mimetype"
        and first.compress_type == zipfile.ZIP_STORED
        and first.file_size <= 200
        and head[ODF_MIMETYPE_OFFSET : ODF_MIMETYPE_OFFSET + len(expected)] == expected
        and archive.read(first).strip() == expected
    )


def validate_upload(uploaded_file):
    """Raise ValidationError (Swedish) unless the file is an allowed document within the limit."""
    if uploaded_file is None:
        raise ValidationError(gettext("Välj en fil att ladda upp."), code="required")
    name = getattr(uploaded_file, "name", "") or ""
    ext = extension_of(name)
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            gettext("Filtypen ”%(ext)s” är inte tillåten. Tillåtna filtyper: %(allowed)s."),
            code="extension",
            params={"ext": ext or gettext("utan filändelse"), "allowed": ALLOWED_DESCRIPTION},
        )
    size = uploaded_file.size
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            gettext("Filen är för stor (%(size)s). Största tillåtna storlek är %(limit)s."),
            code="size",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError(gettext("Filen är tom."), code="empty")
    if not _content_matches(uploaded_file, ext):
        raise ValidationError(
            gettext(
                "Filens innehåll stämmer inte med filändelsen ”.%(ext)s”. "
                "Spara filen i rätt format och försök igen."
            ),
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
