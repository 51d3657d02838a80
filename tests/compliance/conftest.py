"""Helpers for the compliance and inventory pages: a fixed today and the pages' tables read."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone


@pytest.fixture
def today_is(monkeypatch):
    """Fix the portal's idea of today, so deadlines in these tests do not move with the clock."""
    real_localdate = timezone.localdate

    def fixed(day):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: (
                day if value is None else real_localdate(value, timezone)
            ),
        )

    return fixed


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def cell_text(cell) -> str:
    return " ".join(cell.get_text().split())


def table_rows(response, caption_start: str) -> list[list[str]]:
    """The body rows, as text, of the table whose caption starts with `caption_start`."""
    table = next(
        table
        for table in page(response).find_all("table")
        if cell_text(table.caption).startswith(caption_start)
    )
    return [
        [cell_text(cell) for cell in row.find_all(["th", "td"])]
        for row in table.tbody.find_all("tr")
    ]


def header_row(response, caption_start: str) -> list[str]:
    table = next(
        table
        for table in page(response).find_all("table")
        if cell_text(table.caption).startswith(caption_start)
    )
    return [cell_text(cell) for cell in table.thead.find_all("th")]
