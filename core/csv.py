"""Every CSV the product writes goes through here, so that no cell typed by someone can run as
a spreadsheet formula and spreadsheets read accents right."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

# A spreadsheet treats a cell starting with one of these as a formula (tab and carriage return
# too: some strip them and read what follows).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def safe_cell(value):
    """The value, with text that a spreadsheet would run as a formula quoted as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeWriter:
    """A csv.writer whose every cell goes through `safe_cell`."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An attachment response in UTF-8 with a byte-order mark, and a safe writer into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BYTE_ORDER_MARK)
    return response, SafeWriter(response)
