import csv
import io

import pytest

from core.csv import BYTE_ORDER_MARK, csv_response, safe_cell


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"],
)
def test_formula_cells_are_quoted_as_text(hostile):
    assert safe_cell(hostile) == "'" + hostile


@pytest.mark.parametrize("harmless", ["Société Générale", "d.o.o.", "", 42, None, "a=b"])
def test_ordinary_values_are_left_alone(harmless):
    assert safe_cell(harmless) == harmless


def test_csv_response_starts_with_a_byte_order_mark_and_neutralises_every_cell():
    response, writer = csv_response("x.csv")
    writer.writerow(["Systèmes", "=1+1"])
    text = response.content.decode("utf-8")
    assert text.startswith(BYTE_ORDER_MARK)
    assert list(csv.reader(io.StringIO(text.lstrip(BYTE_ORDER_MARK)))) == [["Systèmes", "'=1+1"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
