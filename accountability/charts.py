"""A stacked bar chart of obligation states, drawn on the server as SVG.

Each state has a fill pattern as well as a colour, and the counts are written on the
bars, so the chart reads without colour vision; the table beside it holds every number
for anyone who cannot see the picture.
"""

from dataclasses import dataclass

from django.utils.translation import pgettext

from content.compliance.disclosure import PUBLIC_STATE_LABELS, PUBLIC_STATES, StateCounts
from content.compliance.obligations import State

WIDTH = 720
# Bars use this much of the width, leaving room for the total after the longest.
BAR_AREA = 650
ROW_HEIGHT = 54
LABEL_BASELINE = 16
BAR_TOP = 22
BAR_HEIGHT = 24
# Narrower segments carry no count: the digits would not fit; the table still has it.
MIN_WIDTH_FOR_COUNT = 24
# White gaps keep neighbouring segments apart whatever their colours.
GAP = 2


@dataclass(frozen=True)
class StateStyle:
    state: State
    label: str
    colour: str
    pattern: str  # solid, stripes, crosshatch or dots


# Each colour has at least 3:1 contrast with white, the page's background.
LOOKS = {
    State.FILED: ("#1e6b34", "solid"),
    State.FILED_LATE: ("#8a4b00", "stripes"),
    State.OVERDUE: ("#b50909", "crosshatch"),
    State.UPCOMING: ("#4d5560", "dots"),
}
STYLES = tuple(
    StateStyle(state, PUBLIC_STATE_LABELS[state], *LOOKS[state]) for state in PUBLIC_STATES
)


@dataclass(frozen=True)
class Segment:
    state: State
    label: str
    count: int
    x: float
    width: float
    text_x: float
    shows_count: bool


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    label_y: int
    bar_y: int
    text_y: int
    segments: tuple[Segment, ...]
    total_x: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    styles: tuple[StateStyle, ...] = STYLES


def _segments(counts: StateCounts, scale: float) -> tuple[Segment, ...]:
    segments, x = [], 0.0
    for state, label, count in counts.by_state():
        if not count:
            continue
        width = max(count * scale - GAP, 1.0)
        segments.append(
            Segment(
                state=state,
                label=label,
                count=count,
                x=round(x, 1),
                width=round(width, 1),
                text_x=round(x + width / 2, 1),
                shows_count=width >= MIN_WIDTH_FOR_COUNT,
            )
        )
        x += count * scale
    return tuple(segments)


def stacked_bar_chart(
    chart_id: str, title: str, description: str, rows: list[tuple[str, StateCounts]]
) -> Chart:
    """One bar per row, split by state, all on one scale."""
    largest = max((counts.total for _, counts in rows), default=0)
    scale = BAR_AREA / largest if largest else 0.0
    bars = []
    for index, (label, counts) in enumerate(rows):
        top = index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                total=counts.total,
                label_y=top + LABEL_BASELINE,
                bar_y=top + BAR_TOP,
                text_y=top + BAR_TOP + BAR_HEIGHT - 7,
                segments=_segments(counts, scale),
                total_x=round(counts.total * scale + 6, 1),
            )
        )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
    )


def describe_totals(counts: StateCounts) -> str:
    """The counts in words, e.g. for a chart's description."""
    return ", ".join(
        # Translators: how many obligations are in a state, e.g. "3 overdue".
        pgettext("obligations in a state", "%(count)d %(state)s")
        % {"count": count, "state": label.lower()}
        for _, label, count in counts.by_state()
    )
