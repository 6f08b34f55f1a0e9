"""Small zip-based documents that inflate hugely when unpacked (zip bombs), built on the fly."""

import io
import zipfile

MIB = 1024 * 1024


def inflating(document, part, *, megabytes, prefix=b"", suffix=b""):
    """`document` (a zip's bytes) with `part` replaced by `prefix`, `megabytes` MiB of spaces and
    `suffix`: still the same kind of document, about a thousand times smaller than unpacked."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(document)) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in original.infolist():
            if info.filename != part:
                bomb.writestr(info, original.read(info))
        with bomb.open(part, "w", force_zip64=True) as stream:
            stream.write(prefix)
            chunk = b" " * MIB
            for _ in range(megabytes):
                stream.write(chunk)
            stream.write(suffix)
    return buffer.getvalue()


def with_many_entries(document, count):
    """`document` with `count` more (tiny) entries."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(document)) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as many,
    ):
        for info in original.infolist():
            many.writestr(info, original.read(info))
        for number in range(count):
            many.writestr(f"customXml/item{number}.xml", "<x/>")
    return buffer.getvalue()
