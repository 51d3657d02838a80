"""Saved-search email alerts: double opt-in, daily sending, one-click unsubscribe."""

import datetime
import io
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client

from subscriptions.models import SearchSubscription
from subscriptions.tokens import unsubscribe_token
from tests.subscriptions.conftest import UNPUBLISHED_MARKER, publish_filing

EMAIL = "resident@example.org"


def sign_up(client, email=EMAIL, **search):
    return client.post("/alerts/", {"email": email, **search})


def link_in(message, path):
    match = re.search(rf"http://localhost:8000({path}[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def send_alerts():
    call_command("send_search_alerts", stdout=io.StringIO())


def alert_emails():
    return [message for message in mail.outbox if "for your search alert" in message.subject]


@pytest.fixture
def confirmed(client, agency_a):
    sign_up(client, q="drone", agency="police")
    confirm_link = link_in(mail.outbox[0], "/alerts/confirm/")
    client.post(confirm_link)
    mail.outbox.clear()
    return SearchSubscription.objects.get()


@pytest.mark.django_db
def test_double_opt_in_then_one_alert_per_new_publication(
    client, agency_a, agency_b, police_policy
):
    response = sign_up(client, q="drone", agency="police")
    assert response.status_code == 200
    assert "Check your email" in response.text
    [confirmation] = mail.outbox
    assert confirmation.to == [EMAIL]
    confirm_link = link_in(confirmation, "/alerts/confirm/")

    # Before confirmation nothing but the confirmation is ever sent.
    publish_filing(agency_a, "Police drone logbook")
    send_alerts()
    assert alert_emails() == []

    # Opening the link only asks; pressing the button confirms.
    asking = client.get(confirm_link)
    assert "Confirm the alert" in asking.text
    assert not SearchSubscription.objects.get().is_confirmed
    confirmed_page = client.post(confirm_link)
    assert "Alert confirmed" in confirmed_page.text

    publish_filing(agency_a, "Police drone flight report")
    publish_filing(agency_b, "Transport drone report")
    send_alerts()
    [alert] = alert_emails()
    assert alert.to == [EMAIL]
    assert "Police drone flight report" in alert.body
    # Published before confirmation, or not matching the agency filter: not in the alert.
    assert "Police drone logbook" not in alert.body
    assert "Transport drone report" not in alert.body
    assert "/filings/" in alert.body

    send_alerts()
    assert len(alert_emails()) == 1, "a publication is alerted at most once"


@pytest.mark.django_db
def test_unpublished_filings_never_reach_an_alert(client, confirmed, unpublished_filing, agency_a):
    publish_filing(agency_a, "Police drone audit")
    send_alerts()
    [alert] = alert_emails()
    assert "Police drone audit" in alert.body
    assert UNPUBLISHED_MARKER not in alert.body
    assert UNPUBLISHED_MARKER not in alert.subject


@pytest.mark.django_db
def test_one_click_unsubscribe_by_post_stops_alerts(confirmed, agency_a):
    publish_filing(agency_a, "Police drone audit")
    send_alerts()
    [alert] = alert_emails()
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = alert.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url.startswith("http://localhost:8000/alerts/unsubscribe/")
    assert unsubscribe_url in alert.body

    # A mail client's one-click POST carries no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    path = unsubscribe_url.removeprefix("http://localhost:8000")
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Unsubscribed" in response.text
    assert not SearchSubscription.objects.exists()

    mail.outbox.clear()
    publish_filing(agency_a, "Police drone second audit")
    send_alerts()
    assert alert_emails() == []


@pytest.mark.django_db
def test_the_unsubscribe_link_asks_before_it_unsubscribes(client, confirmed):
    path = f"/alerts/unsubscribe/{unsubscribe_token(confirmed)}/"
    page = client.get(path)
    assert page.status_code == 200
    assert '<button type="submit">Unsubscribe</button>' in page.text
    assert SearchSubscription.objects.exists()


@pytest.mark.django_db
def test_a_tampered_link_gets_a_clear_page(client, agency_a):
    sign_up(client, q="drone")
    confirm_link = link_in(mail.outbox[0], "/alerts/confirm/")
    tampered = confirm_link[:-3] + ("A" if confirm_link[-3] != "A" else "B") + "/"
    for path in (tampered, "/alerts/unsubscribe/not-a-token/"):
        response = client.post(path)
        assert response.status_code == 400
        assert "This link is not valid" in response.text
    assert not SearchSubscription.objects.get().is_confirmed


@pytest.mark.django_db
def test_an_expired_confirmation_link_gets_a_clear_page(client, agency_a, monkeypatch):
    four_days_ago = datetime.datetime.now().timestamp() - 4 * 24 * 3600
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: four_days_ago)
        sign_up(client, q="drone")
    confirm_link = link_in(mail.outbox[0], "/alerts/confirm/")
    response = client.post(confirm_link)
    assert response.status_code == 400
    assert "This confirmation link has expired" in response.text
    assert not SearchSubscription.objects.get().is_confirmed


@pytest.mark.django_db
def test_too_many_unconfirmed_requests_are_refused(client, agency_a):
    for _ in range(3):
        assert sign_up(client, q="drone").status_code == 200
    response = sign_up(client, email=EMAIL.upper(), q="cameras")
    assert response.status_code == 429
    assert "already has 3 alerts waiting for confirmation" in response.text
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_bad_input_is_explained_and_nothing_is_sent(client, agency_a):
    response = sign_up(client, email="not an address", agency="no-such-agency")
    assert response.status_code == 400
    assert '<p class="error" id="id_email_error">' in response.text
    assert 'aria-describedby="id_email_error"' in response.text
    assert "Enter a valid email address." in response.text
    assert "Select a valid choice." in response.text
    assert mail.outbox == []
    assert not SearchSubscription.objects.exists()


@pytest.mark.django_db
def test_the_signup_page_says_what_is_kept(client, agency_a):
    page = client.get("/alerts/?agency=police").text
    assert "We store only your email address, your search" in page
    assert '<option value="police" selected>Police Department</option>' in page


@pytest.mark.django_db
def test_expired_unconfirmed_requests_are_deleted_by_the_daily_run(client, agency_a):
    sign_up(client, q="drone")
    SearchSubscription.objects.update(
        requested_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    send_alerts()
    assert not SearchSubscription.objects.exists()


@pytest.mark.django_db
def test_a_confirmation_link_after_unsubscribing_says_so(client, agency_a):
    sign_up(client, q="drone")
    confirm_link = link_in(mail.outbox[0], "/alerts/confirm/")
    client.post(f"/alerts/unsubscribe/{unsubscribe_token(SearchSubscription.objects.get())}/")
    response = client.post(confirm_link)
    assert response.status_code == 404
    assert "This alert no longer exists" in response.text
    assert not SearchSubscription.objects.exists()
