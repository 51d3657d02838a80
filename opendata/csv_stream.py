"""Streaming CSV answers that a spreadsheet cannot mistake for formulas."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _LineBuffer:
    """csv.writer writes one row at a time; hand each row straight back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def streamed_csv(header: list[str], rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_LineBuffer())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([neutralise_formula(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
