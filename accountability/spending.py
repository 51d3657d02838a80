"""Published contract spending and filings by agency, as numbers and as server-drawn SVG bars.

Only contracts of published filings count: they are read through public_filings(). Amounts in
different currencies are never added together; each page shows one currency and lists the
totals of the others. Each bar's segments have a fill pattern as well as a colour, and their
amounts are written on them when they fit, so the charts read without colour vision; the
table beside each chart holds every number.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from accountability.query import BadQuery, given_more_than_once
from content.compliance.disclosure import count_public_states
from content.filings.models import ContractDetails, Filing
from content.filings.visibility import public_filings

TOP_N = 5
OTHERS = gettext_lazy("All others")
FIRST_YEAR, LAST_YEAR = 1990, 2100

WIDTH = 720
BAR_AREA = 560
LABEL_BASELINE = 16
BAR_TOP = 22
BAR_HEIGHT = 24
GROUP_GAP = 14
MIN_WIDTH_FOR_VALUE = 64
GAP = 2

# Each colour has at least 3:1 contrast with white; the patterns tell them apart without it.
LOOKS = (
    ("#1f4e8c", "solid"),
    ("#8a4b00", "stripes"),
    ("#1e6b34", "crosshatch"),
    ("#6b2c91", "dots"),
    ("#b50909", "hstripes"),
    ("#4d5560", "grid"),
)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    pattern: str


@dataclass(frozen=True)
class Segment:
    series: Series
    value_text: str
    x: float
    y: int
    width: float
    text_x: float
    text_y: int
    shows_value: bool


@dataclass(frozen=True)
class Row:
    label: str
    label_y: int
    segments: tuple[Segment, ...]
    totals: tuple[tuple[float, int, str], ...]  # x, y, text after each bar


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bar_height: int
    rows: tuple[Row, ...]
    series: tuple[Series, ...]


def _series(chart_id: str, labels: list[str]) -> tuple[Series, ...]:
    return tuple(
        Series(f"{chart_id}-s{index}", label, *LOOKS[index % len(LOOKS)])
        for index, label in enumerate(labels)
    )


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    rows: list[tuple[str, list]],
    fmt=str,
    stacked: bool = True,
) -> Chart:
    """One row per (label, values); values line up with `labels`.

    Stacked: one bar per row split by series. Grouped: one thin bar per series in each row.
    """
    series = _series(chart_id, labels)
    if stacked:
        largest = max((sum(values) for _, values in rows), default=0)
    else:
        largest = max((max(values, default=0) for _, values in rows), default=0)
    scale = BAR_AREA / float(largest) if largest else 0.0
    bars_per_row = 1 if stacked else max(len(series), 1)
    row_height = BAR_TOP + bars_per_row * (BAR_HEIGHT + 4) + GROUP_GAP
    built = []
    for index, (label, values) in enumerate(rows):
        top = index * row_height
        segments, totals, x = [], [], 0.0
        for position, (style, value) in enumerate(zip(series, values, strict=True)):
            bar_y = top + BAR_TOP + (0 if stacked else position * (BAR_HEIGHT + 4))
            if not stacked:
                x = 0.0
                totals.append(
                    (round(float(value) * scale + 6, 1), bar_y + BAR_HEIGHT - 7, fmt(value))
                )
            if not value:
                continue
            width = max(float(value) * scale - GAP, 1.0)
            segments.append(
                Segment(
                    series=style,
                    value_text=fmt(value),
                    x=round(x, 1),
                    y=bar_y,
                    width=round(width, 1),
                    text_x=round(x + width / 2, 1),
                    text_y=bar_y + BAR_HEIGHT - 7,
                    shows_value=stacked and width >= MIN_WIDTH_FOR_VALUE,
                )
            )
            x += float(value) * scale
        if stacked:
            total = sum(values)
            totals.append(
                (round(float(total) * scale + 6, 1), top + BAR_TOP + BAR_HEIGHT - 7, fmt(total))
            )
        built.append(Row(label, top + LABEL_BASELINE, tuple(segments), tuple(totals)))
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=max(len(rows), 1) * row_height,
        bar_height=BAR_HEIGHT,
        rows=tuple(built),
        series=series,
    )


def whole_money(amount: Decimal) -> str:
    """The amount in whole units, grouped the way the reader's language groups digits."""
    return number_format(round(amount), 0, force_grouping=True)


def year_of(query, name: str) -> int | None:
    """The year `name` gives, or None when absent; four digits within the portal's range."""
    values = query.getlist(name)
    if len(values) > 1:
        raise given_more_than_once(name, len(values))
    if not values or not values[0]:
        return None
    raw = values[0]
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4) or not (
        FIRST_YEAR <= int(raw) <= LAST_YEAR
    ):
        raise BadQuery(
            gettext(
                "“%(value)s” is not a year “%(name)s” can take. "
                "Use a year from %(first)d to %(last)d."
            )
            % {"value": raw, "name": name, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return int(raw)


@dataclass(frozen=True)
class Contract:
    amount: Decimal
    currency: str
    year: int
    vendor: str
    technology: str


def public_contracts() -> list[Contract]:
    """Every contract of a published filing. Two queries, whatever the number of contracts.

    A contract for several technologies counts once, under their names joined, so no amount
    is counted twice.
    """
    rows = list(
        ContractDetails.objects.filter(filing__in=public_filings())
        .values_list("filing_id", "amount", "currency", "award_date", "vendor__name")
        .order_by("pk")
    )
    names = defaultdict(list)
    for filing_id, name in (
        Filing.technologies.through.objects.filter(
            filing__in=public_filings(), filing__contract__isnull=False
        )
        .values_list("filing_id", "technology__name")
        .order_by("technology__name")
    ):
        names[filing_id].append(name)
    return [
        Contract(
            amount=amount,
            currency=currency,
            year=award_date.year,
            vendor=vendor,
            technology=" + ".join(names[filing_id]) or gettext("No technology named"),
        )
        for filing_id, amount, currency, award_date, vendor in rows
    ]


@dataclass(frozen=True)
class Breakdown:
    """Amounts by award year (rows) and by series (columns), with totals."""

    labels: list[str]
    rows: list[tuple[int, list[Decimal], Decimal]]
    totals: list[Decimal]
    total: Decimal


def breakdown(contracts: list[Contract], years: list[int], attribute: str) -> Breakdown:
    """Sums by year and by `attribute`: the top N by total, the rest together as "All others"."""
    by_name = defaultdict(Decimal)
    for contract in contracts:
        by_name[getattr(contract, attribute)] += contract.amount
    ranked = sorted(by_name, key=lambda name: (-by_name[name], name))
    labels = ranked[:TOP_N] + ([OTHERS] if len(ranked) > TOP_N else [])
    column = {name: min(index, TOP_N) for index, name in enumerate(ranked)}
    cells = {year: [Decimal(0)] * len(labels) for year in years}
    for contract in contracts:
        cells[contract.year][column[getattr(contract, attribute)]] += contract.amount
    rows = [(year, cells[year], sum(cells[year], Decimal(0))) for year in years]
    totals = [sum((row[1][i] for row in rows), Decimal(0)) for i in range(len(labels))]
    return Breakdown(labels, rows, totals, sum(totals, Decimal(0)))


# Whole sentences per breakdown, so each language can word them its own way.
CHART_TEXT = {
    "technology": (
        gettext_lazy("Published contract value in %(currency)s by award year and technology"),
        gettext_lazy("One bar per award year, split by technology."),
        gettext_lazy("The table “Contract value by technology” gives every number."),
    ),
    "vendor": (
        gettext_lazy("Published contract value in %(currency)s by award year and vendor"),
        gettext_lazy("One bar per award year, split by vendor."),
        gettext_lazy("The table “Contract value by vendor” gives every number."),
    ),
}


def spending_chart(chart_id: str, what: str, currency: str, data: Breakdown) -> Chart:
    """The breakdown by `what` ("technology" or "vendor") as a stacked bar chart."""
    title, split, table = CHART_TEXT[what]
    parts = ", ".join(
        f"{label} {currency} {whole_money(total)}"
        for label, total in zip(data.labels, data.totals, strict=True)
    )
    amount = f"{currency} {whole_money(data.total)}"
    in_all = (
        gettext("In all %(amount)s: %(parts)s.") % {"amount": amount, "parts": parts}
        if parts
        else gettext("In all %(amount)s.") % {"amount": amount}
    )
    return bar_chart(
        chart_id,
        str(title) % {"currency": currency},
        f"{split} {in_all} {table}",
        data.labels,
        [(str(year), values) for year, values, _ in data.rows],
        fmt=whole_money,
    )


def filings_rows(agencies, obligations, filing_counts) -> list[tuple]:
    """For each agency: its published filings and its overdue obligations."""
    return [
        (
            agency,
            filing_counts.get(agency.pk, 0),
            count_public_states(obligations[agency.pk]).overdue,
        )
        for agency in agencies
    ]
