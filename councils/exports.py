"""The one way Samverkan writes spreadsheets for download: every CSV and XLSX export uses it.

A spreadsheet program evaluates a cell whose text starts with `=`, `+`, `-` or `@` as a formula,
and a leading tab or carriage return can hide such a start; a name like `+1+cmd|' /C calc'!A0`
in a register would run on the reader's computer (CSV or formula injection). Following OWASP,
`safe_cell` puts an apostrophe before every such text, in CSV and XLSX alike, so that it reads
as text; `unescaped_cell` takes it off again when an exported file is imported.

New exports (protocols, follow-ups, reports) write through `csv_bytes` and `xlsx_bytes`, or at
least pass every cell through `safe_cell`; never through `csv.writer` or openpyxl directly.
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet would read as a formula, with an apostrophe before it; else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescaped_cell(text):
    """What `safe_cell` was given, for text read back from an exported file."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_bytes(header, rows):
    """A CSV file as Excel with Swedish settings opens it directly: semicolons, UTF-8 with a
    byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell(value):
    """`safe_cell` for a workbook: a carriage return becomes a line feed, as XML reading would
    make it anyway (a cell's text is XML, and XML turns a bare CR into LF), so what is written is
    what every reader gets back."""
    value = safe_cell(value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def xlsx_bytes(header, rows, *, title, widths=()):
    """An XLSX workbook of one sheet called `title`: bold header, column widths in characters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([xlsx_cell(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_cell(cell) for cell in row])
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
