"""Zip-based uploads are measured before anything unpacks them (zip bombs).

XLSX, DOCX, PPTX and the OpenDocument formats are zip archives. A file of a hundred kilobytes
can unpack to gigabytes, or hold millions of entries; a parser given it (openpyxl, or just
`zipfile` listing the entries) fills the memory. `check_archive` reads only the archive's
directory: the entry count from its end record, then the unpacked size each entry declares,
and refuses with a Swedish message when either is over the limit (settings
`ARCHIVE_MAX_ENTRIES` and `ARCHIVE_MAX_UNPACKED_BYTES`). An entry cannot unpack to more than it
declares: Python's `zipfile`, which every parser here reads through, stops at the declared size.

Every upload of a zip-based format goes through it: agenda and proposal attachments
(`meetings.uploads`) and the member import (`councils.imports`).
"""

import struct
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

END_RECORD = b"PK\x05\x06"
END_RECORD_SIZE = 22
MAX_COMMENT = 0xFFFF


def check_archive(file):
    """Raise ValidationError (Swedish) when the zip `file` has too many entries or unpacks to too
    much; zipfile.BadZipFile when it is no zip at all. `file` is left at its start."""
    max_entries = settings.ARCHIVE_MAX_ENTRIES
    max_bytes = settings.ARCHIVE_MAX_UNPACKED_BYTES
    try:
        entries = _declared_entry_count(file)
        if entries > max_entries:
            raise ValidationError(
                _(
                    "Filen består av för många delar (%(count)s, högst %(limit)s) och tas inte "
                    "emot. Spara den på nytt eller dela upp den."
                ),
                code="archive_entries",
                params={"count": entries, "limit": max_entries},
            )
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > max_bytes:
            raise ValidationError(
                _(
                    "Filen blir för stor när den packas upp (%(size)s, högst %(limit)s) och tas "
                    "inte emot. Den kan vara skadad eller skadlig."
                ),
                code="archive_size",
                params={"size": filesizeformat(unpacked), "limit": filesizeformat(max_bytes)},
            )
    finally:
        file.seek(0)


def _declared_entry_count(file):
    """The entry count in the archive's end record, read before zipfile builds its list."""
    file.seek(0, 2)
    size = file.tell()
    tail_size = min(size, END_RECORD_SIZE + MAX_COMMENT)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    start = tail.rfind(END_RECORD)
    if start < 0 or len(tail) - start < END_RECORD_SIZE:
        raise zipfile.BadZipFile("no end of central directory record")
    # 0xFFFF means "see the ZIP64 record": more entries than any document has.
    return struct.unpack("<H", tail[start + 10 : start + 12])[0]
