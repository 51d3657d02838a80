"""Submitting, receipts, withdrawing and answering the reviewer, as agency staff see them."""

import re
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from content.agencies.models import Membership
from content.documents.storing import store_document
from content.filings.models import Filing, FilingVersion, Status
from submissions.access import AgencyAccess
from submissions.models import FilingMessage, Receipt
from submissions.submitting import AlreadySubmitted, submit
from tests.conftest import make_pdf
from tests.factories import AgencyFactory, FilingFactory, MembershipFactory

AUDIT_DETAILS = {
    "auditor": "Office of the City Auditor",
    "findings": "Plate reads were kept for two years.",
    "recommendations": "Delete reads after 30 days.",
}
USE_POLICY_DETAILS = {
    name: f"The policy's {name.replace('_', ' ')}."
    for name in (
        "purpose",
        "authorized_uses",
        "prohibited_uses",
        "data_collection",
        "data_access",
        "retention",
        "third_party_sharing",
        "training",
        "oversight",
    )
}


def complete_audit(agency, title="Audit of plate reader retention") -> Filing:
    filing = FilingFactory(agency=agency, kind="audit", title=title, details=dict(AUDIT_DETAILS))
    store_document(filing, "audit.pdf", make_pdf(["Audit findings"]))
    return filing


def submit_url(filing):
    return reverse(
        "submissions:filing_submit", kwargs={"agency": filing.agency.slug, "filing": filing.pk}
    )


def receipt_url(receipt):
    return reverse(
        "submissions:receipt",
        kwargs={
            "agency": receipt.filing.agency.slug,
            "filing": receipt.filing_id,
            "receipt": receipt.pk,
        },
    )


def access_for(user, agency) -> AgencyAccess:
    return AgencyAccess(Membership.objects.get(user=user, agency=agency))


def key_from(response) -> str:
    match = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', response.text)
    assert match, "the confirmation page carries a submission key"
    return match.group(1)


def render_panel(user, filing) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "submissions/submission/_panel.html",
        {"access": access_for(user, filing.agency), "filing": filing},
        request=request,
    )


def review(filing, reviewer, decision, comment="Please add the retention schedule.") -> None:
    """The oversight side: start review, leave a comment for the agency, then decide."""
    filing.transition_to(Status.IN_REVIEW)
    FilingMessage.objects.create(
        filing=filing,
        author=reviewer,
        audience=FilingMessage.Audience.AGENCY,
        round=filing.receipts.count(),
        body=comment,
    )
    filing.transition_to(decision)


def test_submit_page_lists_every_missing_item_by_label_and_changes_nothing(
    sign_in, submitter_a, agency_a
):
    filing = FilingFactory(agency=agency_a, kind="audit", details={"auditor": "City Auditor"})
    client = sign_in(submitter_a)
    edit_url = reverse("submissions:filing_edit", kwargs={"agency": "police", "filing": filing.pk})

    page = client.get(submit_url(filing))

    assert page.status_code == 200
    for name, label in [("findings", "Findings"), ("recommendations", "Recommendations")]:
        assert f'<a href="{edit_url}#id_{name}">{label}</a>: required' in page.text
    assert "Documents</a>: at least 1 required, 0 attached" in page.text
    assert "Auditor</a>" not in page.text
    assert 'name="submission_key"' not in page.text

    posted = client.post(submit_url(filing), {"submission_key": str(uuid.uuid4())})

    assert posted.status_code == 400
    assert "Findings</a>: required" in posted.text
    filing.refresh_from_db()
    assert filing.status == Status.DRAFT
    assert not FilingVersion.objects.filter(filing=filing).exists()
    assert not Receipt.objects.exists()


def test_submitting_freezes_a_version_and_gives_a_receipt_on_screen_and_by_email(
    sign_in, submitter_a, approver_a, agency_a, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    client = sign_in(submitter_a)
    confirmation = client.get(submit_url(filing))
    assert "with 1 document. Submitting freezes this as version 1" in confirmation.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(filing), {"submission_key": key_from(confirmation)})

    receipt = Receipt.objects.get(filing=filing)
    assert response.status_code == 303
    assert response["Location"] == receipt_url(receipt)
    assert receipt.number == f"PD-{timezone.localdate().year}-000001"
    filing.refresh_from_db()
    assert filing.status == Status.SUBMITTED
    assert receipt.version.number == 1
    assert receipt.version.metadata["title"] == filing.title

    page = client.get(receipt_url(receipt))
    document = filing.documents.get()
    assert page.status_code == 200
    for shown in [receipt.number, "Police Department", "Audit result", "submitter-a", "audit.pdf"]:
        assert shown in page.text
    assert document.sha256 in page.text
    assert f"Submitted. Your receipt number is {receipt.number}." in page.text

    assert sorted(message.to[0] for message in mail.outbox) == [
        "approver-a@example.org",
        "submitter-a@example.org",
    ]
    assert all(receipt.number in message.subject for message in mail.outbox)
    assert receipt_url(receipt) in mail.outbox[0].body


def test_a_replayed_submission_creates_one_submission(
    sign_in, submitter_a, agency_a, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    client = sign_in(submitter_a)
    key = key_from(client.get(submit_url(filing)))

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(submit_url(filing), {"submission_key": key})
        second = client.post(submit_url(filing), {"submission_key": key})

    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Receipt.objects.filter(filing=filing).count() == 1
    assert FilingVersion.objects.filter(filing=filing).count() == 1
    assert len(mail.outbox) == 1


def test_submitting_again_with_a_new_form_says_already_submitted_with_the_receipt(
    sign_in, submitter_a, approver_a, agency_a
):
    filing = complete_audit(agency_a)
    receipt, _ = submit(access_for(approver_a, agency_a), filing, uuid.uuid4())

    response = sign_in(submitter_a).post(submit_url(filing), {"submission_key": str(uuid.uuid4())})

    assert response.status_code == 409
    assert "has already been submitted" in response.text
    assert f'<a href="{receipt_url(receipt)}">receipt {receipt.number}</a>' in response.text
    assert Receipt.objects.count() == 1


def test_receipt_numbers_count_up_and_fall_back_to_the_slug(submitter_a, agency_a):
    access = access_for(submitter_a, agency_a)
    first, _ = submit(access, complete_audit(agency_a, "First"), uuid.uuid4())
    second, _ = submit(access, complete_audit(agency_a, "Second"), uuid.uuid4())
    parks = AgencyFactory(name="Parks", slug="parks", abbreviation="")
    clerk = MembershipFactory(agency=parks).user
    third, _ = submit(access_for(clerk, parks), complete_audit(parks), uuid.uuid4())

    year = timezone.localdate().year
    assert [first.number, second.number, third.number] == [
        f"PD-{year}-000001",
        f"PD-{year}-000002",
        f"PARKS-{year}-000001",
    ]


def test_a_use_policy_is_submitted_only_by_an_approver(
    sign_in, submitter_a, approver_a, agency_a, alpr
):
    policy = FilingFactory(
        agency=agency_a,
        kind="use_policy",
        title="ALPR use policy",
        details=dict(USE_POLICY_DETAILS),
        technologies=[alpr],
    )
    store_document(policy, "policy.pdf", make_pdf(["Use policy"]))

    refused_page = sign_in(submitter_a).get(submit_url(policy))
    refused_post = sign_in(submitter_a).post(
        submit_url(policy), {"submission_key": str(uuid.uuid4())}
    )

    for response in (refused_page, refused_post):
        assert response.status_code == 403
        assert "must be signed off by an approver at Police Department" in response.text
    assert "must be signed off by an approver" in render_panel(submitter_a, policy)
    policy.refresh_from_db()
    assert policy.status == Status.DRAFT

    approver = sign_in(approver_a)
    response = approver.post(
        submit_url(policy), {"submission_key": key_from(approver.get(submit_url(policy)))}
    )

    assert response.status_code == 303
    policy.refresh_from_db()
    assert policy.status == Status.SUBMITTED


def test_another_agency_cannot_see_a_receipt(sign_in, submitter_a, submitter_b, agency_a, agency_b):
    receipt, _ = submit(access_for(submitter_a, agency_a), complete_audit(agency_a), uuid.uuid4())
    other_filing = complete_audit(agency_a, "Another audit")
    client_b = sign_in(submitter_b)

    assert client_b.get(receipt_url(receipt)).status_code == 404
    through_own_agency = reverse(
        "submissions:receipt",
        kwargs={"agency": agency_b.slug, "filing": receipt.filing_id, "receipt": receipt.pk},
    )
    assert client_b.get(through_own_agency).status_code == 404
    # Not even agency A's own staff reach a receipt through the wrong filing.
    wrong_filing = reverse(
        "submissions:receipt",
        kwargs={"agency": "police", "filing": other_filing.pk, "receipt": receipt.pk},
    )
    assert sign_in(submitter_a).get(wrong_filing).status_code == 404


STEPS_TO = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.IN_REVIEW: [Status.SUBMITTED, Status.IN_REVIEW],
    Status.CHANGES_REQUESTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED],
    Status.ACCEPTED: [Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED],
    Status.PUBLISHED: [Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED],
}


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Status.DRAFT, True),
        (Status.SUBMITTED, True),
        (Status.CHANGES_REQUESTED, True),
        (Status.IN_REVIEW, False),
        (Status.ACCEPTED, False),
        (Status.PUBLISHED, False),
    ],
)
def test_withdrawing_is_possible_only_before_review_or_when_changes_are_requested(
    sign_in, submitter_a, agency_a, status, allowed
):
    filing = FilingFactory(agency=agency_a)
    for step in STEPS_TO[status]:
        filing.transition_to(step)
    url = reverse("submissions:filing_withdraw", kwargs={"agency": "police", "filing": filing.pk})
    client = sign_in(submitter_a)

    response = client.post(url, {"reason": "The audit was superseded."})

    filing.refresh_from_db()
    if allowed:
        assert response.status_code == 303
        assert filing.status == Status.WITHDRAWN
        assert FilingMessage.objects.get(filing=filing).body.endswith("The audit was superseded.")
    else:
        assert response.status_code == 403
        assert "can be withdrawn only before review starts" in response.text
        assert filing.status == status


def test_withdrawing_needs_a_reason(sign_in, submitter_a, agency_a):
    filing = FilingFactory(agency=agency_a)
    url = reverse("submissions:filing_withdraw", kwargs={"agency": "police", "filing": filing.pk})

    response = sign_in(submitter_a).post(url, {"reason": "   "})

    assert response.status_code == 400
    assert "Enter the reason for withdrawing this filing." in response.text
    assert 'aria-invalid="true"' in response.text
    filing.refresh_from_db()
    assert filing.status == Status.DRAFT


def test_changes_requested_round_trip_keeps_both_rounds(
    sign_in, submitter_a, agency_a, reviewer, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    client = sign_in(submitter_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            submit_url(filing), {"submission_key": key_from(client.get(submit_url(filing)))}
        )
        filing.refresh_from_db()
        review(filing, reviewer, Status.CHANGES_REQUESTED)
    reply_url = reverse(
        "submissions:message_reply", kwargs={"agency": "police", "filing": filing.pk}
    )

    answered = client.post(reply_url, {"body": "Added the **retention schedule** as page 4."})
    Filing.objects.filter(pk=filing.pk).update(
        details={**AUDIT_DETAILS, "agency_response": "We now delete reads after 30 days."}
    )
    with django_capture_on_commit_callbacks(execute=True):
        resubmitted = client.post(
            submit_url(filing), {"submission_key": key_from(client.get(submit_url(filing)))}
        )

    assert answered.status_code == 303
    assert resubmitted.status_code == 303
    filing.refresh_from_db()
    assert filing.status == Status.SUBMITTED
    first, second = Receipt.objects.filter(filing=filing).order_by("pk")
    assert (first.version.number, second.version.number) == (1, 2)
    assert second.number.endswith("-000002")
    assert "agency_response" not in first.version.metadata["details"]
    assert "agency_response" in second.version.metadata["details"]
    reply = FilingMessage.objects.get(author=submitter_a)
    assert reply.round == 1
    assert reply.audience == FilingMessage.Audience.AGENCY

    panel = render_panel(submitter_a, filing)
    assert first.number in panel
    assert second.number in panel
    assert "Round 1 (receipt" in panel
    assert "Please add the retention schedule." in panel
    assert "Added the <strong>retention schedule</strong> as page 4." in panel
    assert "Oversight staff, " in panel


def test_internal_notes_never_reach_the_portal_or_email(
    sign_in, submitter_a, agency_a, reviewer, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    FilingMessage.objects.create(
        filing=filing,
        author=reviewer,
        audience=FilingMessage.Audience.INTERNAL,
        round=1,
        body="Staff only: compare with last year's evasive answer.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        review(filing, reviewer, Status.CHANGES_REQUESTED)

    assert "evasive" not in render_panel(submitter_a, filing)
    assert mail.outbox, "the agency was told about the requested changes"
    assert all("evasive" not in message.body for message in mail.outbox)


def test_a_reply_needs_text_within_the_limit_and_an_open_thread(sign_in, submitter_a, agency_a):
    filing = complete_audit(agency_a)
    reply_url = reverse(
        "submissions:message_reply", kwargs={"agency": "police", "filing": filing.pk}
    )
    client = sign_in(submitter_a)

    closed = client.post(reply_url, {"body": "Is this the right form?"})
    assert closed.status_code == 403
    assert "Messages are closed while the filing is draft." in closed.text

    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    empty = client.post(reply_url, {"body": "  "})
    too_long = client.post(reply_url, {"body": "x" * 20_001})

    assert empty.status_code == too_long.status_code == 400
    assert "Enter your message before sending it." in empty.text
    assert "Your message is 20,001 characters long; the limit is 20,000." in too_long.text
    assert "x" * 20_001 in too_long.text  # kept for the person to shorten
    assert not FilingMessage.objects.exists()
    assert client.get(reply_url).status_code == 405


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [False, True], ids=["different-keys", "same-key"])
def test_two_simultaneous_submissions_file_once(agency_a, submitter_a, approver_a, same_key):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks; run with DATABASE_URL=postgres://...")
    filing = complete_audit(agency_a)
    keys = [uuid.uuid4()] * 2 if same_key else [uuid.uuid4(), uuid.uuid4()]
    people = [submitter_a, approver_a]
    start = threading.Barrier(2)
    outcomes = [None, None]

    def attempt(index):
        try:
            access = access_for(people[index], agency_a)
            own_copy = Filing.objects.get(pk=filing.pk)
            start.wait()
            outcomes[index] = submit(access, own_copy, keys[index])
        except AlreadySubmitted as already:
            outcomes[index] = already
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    receipt = Receipt.objects.get(filing=filing)
    assert FilingVersion.objects.filter(filing=filing).count() == 1
    if same_key:
        assert sorted(created for _, created in outcomes) == [False, True]
        assert all(found == receipt for found, _ in outcomes)
    else:
        winners = [o for o in outcomes if isinstance(o, tuple)]
        losers = [o for o in outcomes if isinstance(o, AlreadySubmitted)]
        assert len(winners) == len(losers) == 1
        assert winners[0] == (receipt, True)
        assert losers[0].receipt == receipt
