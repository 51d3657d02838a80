"""The people every test can call on: two agencies' staff, a reviewer, a visitor."""

import io
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation
from reportlab.pdfgen import canvas

from content.agencies.models import Membership
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

# What a test records under these names is printed at the end of the run, in a "figures"
# section: the counts the suite exists to show (leaks found, hostile files accepted...).
# Recorded on the tests' reports, they reach the summary from xdist workers too, where
# printed output would be lost.
FIGURE = "figure"
FIGURE_COUNTS = "figure counts"


@pytest.fixture
def show_figure(record_property):
    """Show a line in the run's figures section."""

    def show(line: str) -> None:
        record_property(FIGURE, line.strip())

    return show


@pytest.fixture
def add_to_figure(record_property):
    """Add this test's counts to a figure that sums them over every test adding to it."""

    def add(title: str, **counts: int) -> None:
        record_property(FIGURE_COUNTS, (title, counts))

    return add


def pytest_terminal_summary(terminalreporter):
    lines, counts_by_test = {}, {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == FIGURE:
                    lines[value] = None
                elif name == FIGURE_COUNTS:
                    # A test's properties travel on each of its reports (setup, call,
                    # teardown): counted once per test.
                    title, counts = value
                    counts_by_test[report.nodeid, title] = counts
    sums = {}
    for (_test, title), counts in counts_by_test.items():
        sums.setdefault(title, Counter()).update(counts)
    for title, total in sums.items():
        lines[f"{title}: " + ", ".join(f"{name} {count}" for name, count in total.items())] = None
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def empty_cache():
    """Ids repeat across tests once their transactions roll back: no test sees another's pages."""
    cache.clear()


@pytest.fixture(autouse=True)
def no_language_left_behind():
    """A request under /es/ leaves Spanish active in this thread; later tests expect none."""
    yield
    translation.deactivate()


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Police Department", slug="police", abbreviation="PD")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Department of Transportation", slug="transportation")


@pytest.fixture
def submitter_a(agency_a):
    return MembershipFactory(agency=agency_a, user__username="submitter-a").user


@pytest.fixture
def approver_a(agency_a):
    return MembershipFactory(
        agency=agency_a, user__username="approver-a", role=Membership.Role.APPROVER
    ).user


@pytest.fixture
def submitter_b(agency_b):
    return MembershipFactory(agency=agency_b, user__username="submitter-b").user


@pytest.fixture
def reviewer(db):
    """Oversight staff: reviews filings in the Wagtail admin."""
    user = UserFactory(username="reviewer")
    user.groups.add(Group.objects.get(name=OVERSIGHT_STAFF_GROUP))
    return user


def make_pdf(pages: list[str]) -> bytes:
    """A real PDF with one line of text per page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for text in pages:
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
