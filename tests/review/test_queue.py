"""The review queue: what is waiting on oversight staff, oldest first, and its filters."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from content.filings.models import Filing, Status
from review.models import Review
from tests.factories import AgencyFactory, FilingFactory, MembershipFactory, UserFactory
from tests.review.conftest import submitted, walk_to

QUEUE = reverse("review:index")


def submitted_days_ago(filing: Filing, days: int) -> Filing:
    Filing.objects.filter(pk=filing.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=days, hours=1)
    )
    return filing


def row_cells(page, title) -> list[str]:
    """The text of each cell in the queue row of the filing titled `title`."""
    row = page.text[page.text.find(title) :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def titles_in_order(page, titles) -> list[str]:
    """The given titles in the order the page lists them; absent titles are left out."""
    found = [(page.text.find(title), title) for title in titles if title in page.text]
    return [title for _, title in sorted(found)]


@pytest.fixture
def queue(agency_a, submitter_a, reviewer, second_reviewer):
    """Open filings of several ages, statuses, kinds and agencies, and some closed ones."""
    agency_c = AgencyFactory(name="Fire Department", slug="fire")
    submitter_c = MembershipFactory(agency=agency_c, user__username="submitter-c").user
    fresh = submitted_days_ago(submitted(agency_a, submitter_a, "Fresh audit"), 1)
    oldest = submitted_days_ago(submitted(agency_c, submitter_c, "Oldest audit"), 40)
    middle = submitted_days_ago(submitted(agency_a, submitter_a, "Middle audit"), 12)
    middle.transition_to(Status.IN_REVIEW)
    Review.objects.create(filing=middle, assigned_to=reviewer)
    accepted = submitted_days_ago(submitted(agency_a, submitter_a, "Accepted audit"), 20)
    accepted.transition_to(Status.IN_REVIEW)
    accepted.transition_to(Status.ACCEPTED)
    Review.objects.create(filing=accepted, assigned_to=second_reviewer)
    FilingFactory(agency=agency_a, title="Draft nobody filed yet")
    for status in (Status.PUBLISHED, Status.WITHDRAWN, Status.REJECTED):
        closed = walk_to(status, agency_a, submitter_a, reviewer)
        Filing.objects.filter(pk=closed.pk).update(title=f"Closed {status} audit")
    return {"fresh": fresh, "oldest": oldest, "middle": middle, "accepted": accepted}


ALL_OPEN = ["Oldest audit", "Accepted audit", "Middle audit", "Fresh audit"]


def test_the_queue_lists_open_filings_oldest_first_with_age_kind_agency_and_assignee(
    sign_in, reviewer, queue
):
    page = sign_in(reviewer).get(QUEUE)

    assert page.status_code == 200
    assert titles_in_order(page, [*ALL_OPEN, "Draft", "Closed"]) == ALL_OPEN
    for closed in ("Draft nobody filed yet", "Closed published", "Closed withdrawn", "Closed rej"):
        assert closed not in page.text
    # Kind, agency, status, submitted (as "... ago"), age in days, assignee.
    kind, agency, status, _, age, assignee = row_cells(page, "Oldest audit")
    assert (kind, agency, status, age, assignee) == (
        "Audit result",
        "Fire Department",
        "Submitted",
        "40",
        "",
    )
    assert row_cells(page, "Middle audit")[4:] == ["12", "reviewer"]
    assert row_cells(page, "Accepted audit")[2] == "Accepted"
    assert row_cells(page, "Accepted audit")[-1] == "Sam Second"
    assert f'href="{reverse("review:detail", args=[queue["middle"].pk])}"' in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=in_review", ["Middle audit"]),
        ("status=submitted", ["Oldest audit", "Fresh audit"]),
        ("agency=FIRE", ["Oldest audit"]),
        ("assignee=mine", ["Middle audit"]),
        ("assignee=nobody", ["Oldest audit", "Fresh audit"]),
        ("assignee=SECOND", ["Accepted audit"]),
        ("kind=audit&status=accepted", ["Accepted audit"]),
        ("kind=use_policy", []),
    ],
)
def test_the_queue_filters_by_status_kind_agency_and_assignee(
    sign_in, reviewer, second_reviewer, queue, query, expected
):
    query = query.replace("FIRE", str(queue["oldest"].agency_id))
    query = query.replace("SECOND", str(second_reviewer.pk))

    page = sign_in(reviewer).get(f"{QUEUE}?{query}")

    assert page.status_code == 200
    assert titles_in_order(page, ALL_OPEN) == expected


def test_without_javascript_the_queue_offers_a_plain_filter_form_and_shortcuts(
    sign_in, reviewer, queue
):
    page = sign_in(reviewer).get(QUEUE)

    noscript = next(
        block
        for block in re.findall(r"<noscript>(.*?)</noscript>", page.text, flags=re.S)
        if "Filter the queue" in block
    )
    assert '<form method="get" action="/admin/review/"' in noscript
    for name in ("status", "kind", "agency", "assignee"):
        assert f'name="{name}"' in noscript
    assert "Apply filters" in noscript
    assert 'href="/admin/review/?assignee=mine"' in page.text


def test_only_reviewers_see_the_review_queue_in_the_admin_menu(sign_in, reviewer, superuser, queue):
    editor = UserFactory(username="editor")  # may use the admin, but is no reviewer
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))

    for person, shown in [(reviewer, True), (superuser, True), (editor, False)]:
        home = sign_in(person).get(reverse("wagtailadmin_home"))
        assert home.status_code == 200
        assert ('"Review queue"' in home.text) is shown, person
