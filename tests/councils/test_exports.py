"""The one spreadsheet writer (councils/exports.py): no exported cell is a formula (OWASP)."""

import re
from pathlib import Path

import pytest

from councils.exports import FORMULA_STARTS, safe_cell, unescaped_cell

ROOT = Path(__file__).resolve().parents[2]
WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|xlsxwriter|odf\.opendocument")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_like_a_formula_gets_an_apostrophe_and_reads_back(start):
    text = f"{start}1+cmd|' /C calc'!A0"
    assert safe_cell(text) == "'" + text
    assert unescaped_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["Timrå kommun", "070-123 45 67", "", "'citat'", 42, -3, None])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value
    if isinstance(value, str):
        assert unescaped_cell(value) == value


def test_every_export_writes_through_the_one_writer():
    """A new CSV or XLSX export must use councils/exports.py, not a writer of its own."""
    sources = [
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "node_modules", "tests", "migrations"} & set(path.parts)
    ]
    writers = [str(path.relative_to(ROOT)) for path in sources if WRITERS.search(path.read_text())]
    assert writers == ["councils/exports.py"]
