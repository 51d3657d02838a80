"""IndexedFiling documents built by hand, so each backend test says exactly what the index holds."""

import datetime

from search.index_documents import IndexedFiling, IndexedPage

POLICE = ("police", "Police Department")
TRANSPORTATION = ("transportation", "Department of Transportation")
ALPR = ("alpr", "License plate readers")
DRONES = ("drones", "Drones")
USE_POLICY = ("use_policy", "Use policy")
ANNUAL_REPORT = ("annual_report", "Annual report")


def indexed_filing(
    filing_id,
    title="Use policy",
    pages=(),
    *,
    agency=POLICE,
    technologies=(ALPR,),
    vendors=(),
    kind=USE_POLICY,
    year=2025,
    published_at=datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC),
    summary="",
    body="",
):
    """A filing as the index receives it; its one document's pages are `pages`, from page 1."""
    return IndexedFiling(
        filing_id=filing_id,
        title=title,
        kind=kind[0],
        kind_label=kind[1],
        agency_slug=agency[0],
        agency_name=agency[1],
        technologies=tuple(technologies),
        vendors=tuple(vendors),
        year=year,
        published_at=published_at,
        summary=summary,
        body=body,
        pages=tuple(
            IndexedPage(
                document_id=filing_id * 10,
                document_name=f"{title}.pdf",
                page_number=number,
                text=text,
            )
            for number, text in enumerate(pages, start=1)
        ),
    )
