"""Only oversight staff reach the redaction pages; nobody else can see or change anything."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from content.documents.models import Document
from tests.conftest import make_pdf
from tests.factories import UserFactory
from tests.redaction.conftest import REDACTED_PAGES


@pytest.fixture
def admin_user_outside_oversight(db):
    """May open the Wagtail admin (an editor of the site's pages), but is not oversight staff."""
    user = UserFactory(username="page-editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("anonymous", False),
        ("submitter_a", False),
        ("approver_a", False),
        ("admin_user_outside_oversight", False),
        ("reviewer", True),
        ("superuser", True),
    ],
)
@pytest.mark.parametrize("url_name", ["redaction:replace", "redaction:remove"])
def test_only_oversight_staff_open_the_redaction_pages(
    request, published_policy, original, staff_client, person, allowed, url_name
):
    staff_client.post(
        reverse("redaction:replace", args=[original.pk]),
        {"file": SimpleUploadedFile("redacted.pdf", make_pdf(REDACTED_PAGES)), "note": "Page 2."},
    )
    user = None if person == "anonymous" else request.getfixturevalue(person)

    response = client_for(user).get(reverse(url_name, args=[original.pk]))

    if allowed:
        assert response.status_code == 200
        assert "harbor-policy.pdf" in response.text
    else:
        assert response.status_code in (302, 403)
        assert "harbor-policy.pdf" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "person", ["anonymous", "submitter_a", "approver_a", "admin_user_outside_oversight"]
)
def test_nobody_but_oversight_staff_can_add_or_remove_a_redaction(
    request, published_policy, original, staff_client, person
):
    user = None if person == "anonymous" else request.getfixturevalue(person)
    outsider = client_for(user)
    replace_url = reverse("redaction:replace", args=[original.pk])

    outsider.post(
        replace_url,
        {"file": SimpleUploadedFile("mine.pdf", make_pdf(["Nothing here"])), "note": "Mine."},
    )
    assert list(published_policy.documents.all()) == [original]

    staff_client.post(
        replace_url,
        {"file": SimpleUploadedFile("redacted.pdf", make_pdf(REDACTED_PAGES)), "note": "Page 2."},
    )
    outsider.post(reverse("redaction:remove", args=[original.pk]))
    assert Document.objects.filter(redaction_of=original).exists()
