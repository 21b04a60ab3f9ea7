"""Every data table in the templates has a caption and header cells that say what they head.

Read from the template source, so a table shown only in a rare state (an empty queue, a PDF, an
email) is checked as well as the ones the browser scans reach.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
OPEN_TAG = re.compile(r"<table\b[^>]*>")
HEADER_CELL = re.compile(r"<th\b[^>]*>")
# allauth's table element wraps the markup of allauth pages this site does not enable (user
# sessions, security keys); its caption and header cells come from those pages.
SLOT_ONLY = {"allauth/elements/table.html"}


def _tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in SLOT_ONLY:
            continue
        source = path.read_text(encoding="utf-8")
        for match in TABLE.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            yield f"{name}:{line}", match.group(0)


def _data_tables():
    return [
        pytest.param(where, table, id=where)
        for where, table in _tables()
        if 'role="presentation"' not in OPEN_TAG.match(table).group(0)
    ]


def test_the_scan_finds_the_tables():
    assert len(_data_tables()) > 50


@pytest.mark.parametrize(("where", "table"), _data_tables())
def test_table_has_a_caption_first(where, table):
    after_open = table[OPEN_TAG.match(table).end() :].lstrip()
    assert after_open.startswith("<caption"), f"{where}: <caption> must be the table's first child"


@pytest.mark.parametrize(("where", "table"), _data_tables())
def test_every_header_cell_has_a_scope(where, table):
    cells = HEADER_CELL.findall(table)
    assert cells, f"{where}: a data table needs header cells"
    unscoped = [
        cell for cell in cells if not re.search(r'\bscope="(col|row|colgroup|rowgroup)"', cell)
    ]
    assert not unscoped, f"{where}: header cells without scope: {unscoped}"


def test_every_template_closes_the_tables_it_opens():
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert source.count("<table") == source.count("</table>"), path
