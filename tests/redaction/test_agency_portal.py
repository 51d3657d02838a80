"""The agency keeps its original and sees the redacted version the public gets."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from content.documents.models import Document
from content.filings.models import Status
from tests.conftest import make_pdf
from tests.redaction.conftest import REDACTED_PAGES

PUBLIC_VERSION_LABEL = "Public version (redacted by oversight staff)"


def redact(staff_client, original):
    staff_client.post(
        reverse("redaction:replace", args=[original.pk]),
        {
            "file": SimpleUploadedFile("harbor-policy-redacted.pdf", make_pdf(REDACTED_PAGES)),
            "note": "The informant's name on page 2.",
        },
    )
    return Document.objects.get(redaction_of=original)


def agency_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def filing_page(client, filing, view="submissions:filing_detail"):
    return client.get(reverse(view, kwargs={"agency": filing.agency.slug, "filing": filing.pk}))


@pytest.mark.django_db
def test_the_agency_sees_its_original_and_the_labelled_public_version(
    published_policy, original, staff_client, submitter_a
):
    redacted = redact(staff_client, original)

    page = filing_page(agency_client(submitter_a), published_policy).text

    assert f'id="document-{original.pk}"' in page
    assert f'id="document-{redacted.pk}"' in page
    assert f"{PUBLIC_VERSION_LABEL} of “harbor-policy.pdf”" in page
    assert "The public gets a redacted version of this file instead" in page


@pytest.mark.django_db
def test_the_agency_cannot_remove_the_redacted_version(
    filing_under_review, original, staff_client, submitter_a
):
    redacted = redact(staff_client, original)
    filing_under_review.transition_to(Status.CHANGES_REQUESTED)
    agency = agency_client(submitter_a)
    remove_url = "submissions:document_remove"

    page = filing_page(agency, filing_under_review, "submissions:filing_edit").text
    kwargs = {"agency": filing_under_review.agency.slug, "filing": filing_under_review.pk}
    assert reverse(remove_url, kwargs={**kwargs, "document": original.pk}) in page
    assert reverse(remove_url, kwargs={**kwargs, "document": redacted.pk}) not in page

    response = agency.post(
        reverse(remove_url, kwargs={**kwargs, "document": redacted.pk}), follow=True
    )
    assert "only they can remove it" in response.text
    assert Document.objects.filter(pk=redacted.pk).exists()


@pytest.mark.django_db
def test_removing_the_original_takes_its_redacted_version_and_file_with_it(
    filing_under_review, original, staff_client, submitter_a, django_capture_on_commit_callbacks
):
    redacted = redact(staff_client, original)
    filing_under_review.transition_to(Status.CHANGES_REQUESTED)
    kwargs = {
        "agency": filing_under_review.agency.slug,
        "filing": filing_under_review.pk,
        "document": original.pk,
    }

    with django_capture_on_commit_callbacks(execute=True):
        agency_client(submitter_a).post(reverse("submissions:document_remove", kwargs=kwargs))

    assert not filing_under_review.documents.exists()
    assert not default_storage.exists(original.file.name)
    assert not default_storage.exists(redacted.file.name)
