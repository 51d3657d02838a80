"""Emails to agency staff: receipts, the reviewer's decisions and deadline reminders."""

import datetime
import uuid
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from content.agencies.models import Membership
from content.filings.models import Status
from submissions import notifications
from submissions.access import AgencyAccess
from submissions.models import FilingMessage, SentNotification
from submissions.notifications import send_status_notice
from submissions.submitting import submit
from tests.factories import FilingFactory, MembershipFactory
from tests.submissions.test_submission import complete_audit

# Agency A's 2025 license plate reader report is due on March 15, 2026.
DUE = datetime.date(2026, 3, 15)


def access_for(user, agency) -> AgencyAccess:
    return AgencyAccess(Membership.objects.get(user=user, agency=agency))


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def remind(today: datetime.date, *extra) -> str:
    """Run the scheduled command as if on `today`; return what it printed."""
    out = StringIO()
    call_command("send_deadline_reminders", "--today", today.isoformat(), *extra, stdout=out)
    return out.getvalue()


def test_the_receipt_goes_to_the_submitter_and_approvers_only(
    agency_a, submitter_a, approver_a, submitter_b, django_capture_on_commit_callbacks
):
    other_submitter = MembershipFactory(agency=agency_a, user__username="colleague").user
    with django_capture_on_commit_callbacks(execute=True):
        receipt, _ = submit(
            access_for(submitter_a, agency_a), complete_audit(agency_a), uuid.uuid4()
        )

    assert recipients(mail.outbox) == ["approver-a@example.org", "submitter-a@example.org"]
    assert other_submitter.email not in recipients(mail.outbox)
    body = mail.outbox[0].body
    assert f"Receipt number: {receipt.number}" in body
    assert "Audit of plate reader retention" in body


def test_each_decision_is_emailed_to_every_member_once(
    agency_a, submitter_a, approver_a, reviewer, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        filing.transition_to(Status.IN_REVIEW)
        filing.transition_to(Status.ACCEPTED)
        filing.transition_to(Status.PUBLISHED)
    # A repeated delivery (a retried task, a second worker) sends nothing more.
    repeats = [
        send_status_notice.call(filing.pk, status, 1) for status in ("accepted", "published")
    ]

    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted(
        f"[Oversight portal] {decision}: Audit of plate reader retention"
        for decision in ["Accepted", "Accepted", "Published", "Published"]
    )
    assert recipients(mail.outbox) == sorted(
        ["approver-a@example.org", "submitter-a@example.org"] * 2
    )
    assert repeats == [0, 0]


# Committed for real: the worker closes and reopens its database connection between
# tasks, which would end a test's enclosing transaction.
@pytest.mark.django_db(transaction=True)
def test_a_decision_waits_for_nothing_and_the_worker_sends_its_email(
    agency_a, submitter_a, approver_a, reviewer, settings
):
    filing = complete_audit(agency_a)
    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    filing.transition_to(Status.IN_REVIEW)
    mail.outbox.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    filing.transition_to(Status.ACCEPTED)

    # The reviewer's request did not write or send the email: the worker's queue holds it.
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert recipients(mail.outbox) == ["approver-a@example.org", "submitter-a@example.org"]
    assert mail.outbox[0].subject.endswith("Accepted: Audit of plate reader retention")


def test_changes_requested_email_quotes_only_this_rounds_comments_for_the_agency(
    agency_a, submitter_a, reviewer, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    filing.transition_to(Status.IN_REVIEW)

    def say(author, body, audience=FilingMessage.Audience.AGENCY, round_number=1):
        FilingMessage.objects.create(
            filing=filing, author=author, audience=audience, round=round_number, body=body
        )

    say(reviewer, "Please attach the retention schedule.")
    say(reviewer, "Old note from before submission.", round_number=0)
    say(reviewer, "Staff only: ask the auditor directly.", audience=FilingMessage.Audience.INTERNAL)
    say(submitter_a, "We are on it.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        filing.transition_to(Status.CHANGES_REQUESTED)

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject.endswith("Changes requested: Audit of plate reader retention")
    assert "Please attach the retention schedule." in body
    for hidden in ["Old note", "Staff only", "We are on it."]:
        assert hidden not in body


def test_a_replayed_history_such_as_the_demo_city_emails_nobody(
    agency_a, submitter_a, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), notifications.paused():
        filing.transition_to(Status.IN_REVIEW)
        filing.transition_to(Status.ACCEPTED)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        filing.transition_to(Status.PUBLISHED)
    assert [message.subject for message in mail.outbox] == [
        "[Oversight portal] Published: Audit of plate reader retention"
    ]


def test_a_rejection_is_emailed_with_the_reviewers_reason(
    agency_a, submitter_a, reviewer, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    submit(access_for(submitter_a, agency_a), filing, uuid.uuid4())
    filing.transition_to(Status.IN_REVIEW)
    FilingMessage.objects.create(
        filing=filing, author=reviewer, round=1, body="The audit covers another city."
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        filing.transition_to(Status.REJECTED)

    assert [message.subject for message in mail.outbox] == [
        "[Oversight portal] Rejected: Audit of plate reader retention"
    ]
    assert "The audit covers another city." in mail.outbox[0].body
    assert "will not be published" in mail.outbox[0].body


def test_a_second_round_of_changes_is_emailed_again(
    agency_a, submitter_a, reviewer, django_capture_on_commit_callbacks
):
    filing = complete_audit(agency_a)
    access = access_for(submitter_a, agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            submit(access, filing, uuid.uuid4())
            filing.transition_to(Status.IN_REVIEW)
            filing.transition_to(Status.CHANGES_REQUESTED)

    changes = [m for m in mail.outbox if "Changes requested" in m.subject]
    assert len(changes) == 2
    assert "round 1" in changes[0].body
    assert "round 2" in changes[1].body


@pytest.mark.parametrize(
    ("today", "threshold_line"),
    [
        (DUE - datetime.timedelta(days=30), "2 sent (30 days: 2, 7 days: 0, 1 day: 0)"),
        (DUE - datetime.timedelta(days=7), "2 sent (30 days: 0, 7 days: 2, 1 day: 0)"),
        (DUE - datetime.timedelta(days=1), "2 sent (30 days: 0, 7 days: 0, 1 day: 2)"),
    ],
)
def test_reminders_at_30_7_and_1_days_go_to_each_member_once(
    alpr_in_use_at_a, submitter_a, approver_a, submitter_b, today, threshold_line
):
    first_run = remind(today)
    first_emails = list(mail.outbox)
    second_run = remind(today)

    assert threshold_line in first_run
    assert recipients(first_emails) == ["approver-a@example.org", "submitter-a@example.org"]
    assert "Annual surveillance report for automated license plate readers, 2025" in (
        first_emails[0].body
    )
    assert "Sunday, March 15, 2026" in first_emails[0].body
    assert len(mail.outbox) == 2
    assert "0 sent" in second_run
    assert "2 already sent earlier" in second_run


def test_reminders_catch_up_with_only_the_nearest_threshold(alpr_in_use_at_a, submitter_a):
    assert "0 sent" in remind(DUE - datetime.timedelta(days=31))

    # The command did not run 30 or 7 days out; five days out only the 7-day one goes.
    remind(DUE - datetime.timedelta(days=5))
    remind(DUE - datetime.timedelta(days=3))
    assert [message.subject for message in mail.outbox] == [
        "[Oversight portal] Due in 5 days: Annual surveillance report"
    ]

    remind(DUE)
    assert mail.outbox[-1].subject == "[Oversight portal] Due today: Annual surveillance report"
    assert len(mail.outbox) == 2
    assert "0 sent" in remind(DUE + datetime.timedelta(days=1))


def test_no_reminder_once_the_report_is_filed(alpr_in_use_at_a, alpr, agency_a, submitter_a):
    report = FilingFactory(
        agency=agency_a,
        kind="annual_report",
        reporting_period_start=datetime.date(2025, 1, 1),
        reporting_period_end=datetime.date(2025, 12, 31),
        technologies=[alpr],
    )
    report.transition_to(Status.SUBMITTED)

    assert "0 sent" in remind(DUE - datetime.timedelta(days=7))
    assert mail.outbox == []


def test_a_dry_run_sends_and_records_nothing(alpr_in_use_at_a, submitter_a):
    today = DUE - datetime.timedelta(days=7)

    output = remind(today, "--dry-run")

    assert "1 would be sent (30 days: 0, 7 days: 1, 1 day: 0)" in output
    assert mail.outbox == []
    assert not SentNotification.objects.exists()
    assert "1 sent" in remind(today)


def test_a_malformed_date_is_refused_clearly(db):
    with pytest.raises(CommandError, match="--today: use a date like 2026-03-15, not '15/03'"):
        call_command("send_deadline_reminders", "--today", "15/03")
