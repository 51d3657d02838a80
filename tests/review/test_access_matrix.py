"""Every review URL, for every kind of person, with the filing in every status.

Only oversight staff and superusers get through; agency staff and visitors are sent to
the admin's sign-in, an admin user who is no reviewer to the admin's home, and nothing
anyone refused sends changes anything.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from content.filings.models import Filing, Status
from publication.models import PublicationLogEntry
from review.models import Review
from review.views import ACTIONS
from submissions.models import FilingMessage
from tests.factories import UserFactory

PEOPLE = ["reviewer", "superuser", "submitter_a", "approver_a", "anonymous", "admin_user"]
ALLOWED = {"reviewer", "superuser"}


def valid_data(person) -> dict:
    """Everything any action's form asks for, filled in as a reviewer would."""
    later = timezone.localtime() + datetime.timedelta(days=2)
    return {
        "comment": "Please fix page 2.",
        "reason": "Not what the ordinance asks for.",
        "body": "A message.",
        "publish_at": later.strftime("%Y-%m-%dT%H:%M"),
        "assignee": person.pk if person else "",
        "ticked": ["title"],
    }


def state_of(filing) -> tuple:
    stored = Filing.objects.get(pk=filing.pk)
    return (
        stored.status,
        stored.updated_at,
        Review.objects.count(),
        FilingMessage.objects.count(),
        ModelLogEntry.objects.filter(action__startswith="review.").count(),
        PublicationLogEntry.objects.count(),
    )


@pytest.fixture
def admin_user(db):
    """Signs in to the Wagtail admin but holds no review permission."""
    user = UserFactory(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("person_name", PEOPLE)
def test_every_review_url_admits_only_reviewers_and_refusals_change_nothing(
    request, sign_in, filing_in, person_name, status
):
    person = None if person_name == "anonymous" else request.getfixturevalue(person_name)
    filing = filing_in(status)
    document = filing.documents.get()
    client = sign_in(person)
    before = state_of(filing)
    pages = [
        reverse("review:index"),
        reverse("review:index_results"),
        reverse("review:detail", args=[filing.pk]),
        reverse("review:document_file", args=[filing.pk, document.pk]),
    ]
    actions = [reverse("review:act", args=[filing.pk, action]) for action in ACTIONS]

    for url in pages:
        response = client.get(url)
        if person_name in ALLOWED:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert filing.title not in response.content.decode(errors="replace"), url
    for url in actions:
        if person_name in ALLOWED:
            # A form from a page showing another status: admitted, then refused as stale.
            other = Status.REJECTED if status != Status.REJECTED else Status.DRAFT
            response = client.post(url, {**valid_data(person), "status": other})
            assert response.status_code == 409, url
            assert "Someone else moved this filing to" in response.text, url
        else:
            response = client.post(url, {**valid_data(person), "status": status})
            assert response.status_code == 302, url
        assert state_of(filing) == before, url

    if person_name in ("anonymous", "submitter_a", "approver_a"):
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    elif person_name == "admin_user":
        assert response["Location"] == reverse("wagtailadmin_home")
