"""Agency accounts: invitations, signing in and out, lockout, password reset, two-factor."""

import datetime
import re
import time
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from content.agencies.models import Membership
from submissions.invitations import InvitationUnusable, accept, invite
from submissions.models import Invitation, hash_token
from tests.factories import PASSWORD, MembershipFactory, UserFactory

User = get_user_model()

SIGN_IN = reverse("submissions:sign_in")
NEW_PASSWORD = "lantern-orchard-quietly-47"
LINK = re.compile(r"https?://[^\s/]+(/\S+)")


def link_path(message) -> str:
    """The path of the one link in a plain-text email."""
    paths = LINK.findall(message.body)
    assert len(paths) == 1, message.body
    return paths[0]


def sign_in_form(client, username, password, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password}, **extra)


def totp_code(device, steps_ahead=0) -> str:
    """The code an authenticator app holding `device`'s key shows now (or steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wait_out_code_throttling(device):
    """As if the few seconds' wait after a wrong code had passed."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=1)
    )


@pytest.fixture
def dashboard_a(agency_a):
    return reverse("submissions:dashboard", kwargs={"agency": agency_a.slug})


@pytest.fixture
def two_factor_device(submitter_a):
    return TOTPDevice.objects.create(user=submitter_a, name="Authenticator app", confirmed=True)


@pytest.fixture
def staff_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


def invite_through_admin(staff_client, email, agency, role=Membership.Role.SUBMITTER):
    return staff_client.post(
        reverse("agency_invitations:add"),
        {"email": email, "agency": agency.pk, "role": role},
    )


# Where /agency/ sends each kind of person.


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("submissions:home"))
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next=/agency/"


def test_a_member_of_one_agency_goes_to_its_dashboard(sign_in, submitter_a, dashboard_a):
    response = sign_in(submitter_a).get(reverse("submissions:home"))
    assert response.status_code == 302
    assert response.url == dashboard_a


def test_a_member_of_several_agencies_chooses_one(sign_in, submitter_a, agency_b):
    MembershipFactory(user=submitter_a, agency=agency_b, role=Membership.Role.APPROVER)
    response = sign_in(submitter_a).get(reverse("submissions:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose an agency" in page
    assert reverse("submissions:dashboard", kwargs={"agency": "police"}) in page
    assert reverse("submissions:dashboard", kwargs={"agency": "transportation"}) in page


def test_oversight_staff_without_membership_are_sent_to_the_admin(sign_in, reviewer):
    response = sign_in(reviewer).get(reverse("submissions:home"))
    assert response.status_code == 403
    assert "staff admin" in response.content.decode()


def test_someone_with_no_agency_is_told_to_ask_for_an_invitation(sign_in, db):
    response = sign_in(UserFactory()).get(reverse("submissions:home"))
    assert "ask oversight staff" in response.content.decode().lower()


# Signing in and out, and the session.


def test_signing_in_follows_next_on_this_site_only(client, submitter_a, dashboard_a):
    response = client.post(
        f"{SIGN_IN}?next={dashboard_a}", {"username": "submitter-a", "password": PASSWORD}
    )
    assert response.url == dashboard_a

    other = Client()
    response = other.post(
        f"{SIGN_IN}?next=https://evil.example/steal",
        {"username": "submitter-a", "password": PASSWORD},
    )
    assert response.url == reverse("submissions:home")


def test_sign_in_page_is_labelled_for_password_managers(client, db):
    page = client.get(SIGN_IN).content.decode()
    assert '<label for="id_username"' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page


def test_a_wrong_password_is_summarised_and_signs_nobody_in(client, submitter_a):
    response = sign_in_form(client, "submitter-a", "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "<title>Error: " in page
    assert SESSION_KEY not in client.session


def test_the_session_cookie_is_hidden_from_scripts_and_ends_with_the_browser(
    client, submitter_a, settings
):
    response = sign_in_form(client, "submitter-a", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["expires"]
    assert not cookie["max-age"]
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_signing_out_ends_the_session(client, submitter_a):
    sign_in_form(client, "submitter-a", PASSWORD)
    session_key = client.session.session_key

    assert client.get(reverse("submissions:sign_out")).status_code == 405
    response = client.post(reverse("submissions:sign_out"))

    assert response.url == SIGN_IN
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("submissions:account")).status_code == 302


def test_the_account_page_shows_who_you_are_and_your_agencies(sign_in, approver_a):
    page = sign_in(approver_a).get(reverse("submissions:account")).content.decode()
    assert "approver-a" in page
    assert "Police Department</a>: approver" in page
    assert reverse("submissions:password_change") in page
    assert "Two-factor sign-in" in page


def test_changing_the_password_keeps_you_signed_in(client, submitter_a):
    sign_in_form(client, "submitter-a", PASSWORD)
    response = client.post(
        reverse("submissions:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is changed" in response.content.decode()
    submitter_a.refresh_from_db()
    assert submitter_a.check_password(NEW_PASSWORD)
    assert client.get(reverse("submissions:account")).status_code == 200


# Brute force: five wrong passwords pause sign-in for the username.


def fail_five_times(client, username, path=SIGN_IN):
    for attempt in range(5):
        client.post(
            path,
            {"username": username, "password": f"guess-{attempt}"},
            REMOTE_ADDR=f"198.51.100.{attempt}",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )


def test_lockout_counts_per_username_whatever_address_the_guesses_claim(client, submitter_a):
    fail_five_times(client, "submitter-a")

    response = sign_in_form(
        client,
        "submitter-a",
        PASSWORD,
        REMOTE_ADDR="192.0.2.77",
        HTTP_X_FORWARDED_FOR="192.0.2.78",
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "You can try again after" in page
    assert reverse("submissions:password_reset") in page
    assert SESSION_KEY not in client.session
    # The address recorded is the connection's, never the header's.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        f"198.51.100.{attempt}" for attempt in range(5)
    }


def test_the_lockout_page_names_the_time_the_pause_ends(client, submitter_a):
    fail_five_times(client, "submitter-a")
    last_failure = AccessAttempt.objects.latest("attempt_time").attempt_time
    ends = timezone.localtime(last_failure + datetime.timedelta(minutes=15))

    page = sign_in_form(client, "submitter-a", PASSWORD).content.decode()

    assert ends.strftime("%-I:%M") in page


def test_sign_in_works_again_after_the_cooldown(client, submitter_a):
    fail_five_times(client, "submitter-a")
    assert sign_in_form(client, "submitter-a", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))

    response = sign_in_form(client, "submitter-a", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(submitter_a.pk)


def test_the_staff_admin_sign_in_is_protected_the_same_way(client, reviewer):
    admin_login = reverse("wagtailadmin_login")
    fail_five_times(client, "reviewer", path=admin_login)

    response = client.post(admin_login, {"username": "reviewer", "password": PASSWORD})

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_others_can_still_sign_in_while_one_username_is_paused(client, submitter_a, approver_a):
    fail_five_times(client, "submitter-a")
    assert sign_in_form(client, "approver-a", PASSWORD).status_code == 302


# Password reset by email.


def test_password_reset_by_email_lifts_a_lockout(client, submitter_a):
    fail_five_times(client, "submitter-a")

    response = client.post(reverse("submissions:password_reset"), {"email": submitter_a.email})
    assert response.url == reverse("submissions:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [submitter_a.email]
    assert "submitter-a" in mail.outbox[0].body

    set_password_page = client.get(link_path(mail.outbox[0]), follow=True)
    assert "Choose a new password" in set_password_page.content.decode()
    response = client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("submissions:password_reset_complete")

    assert sign_in_form(client, "submitter-a", PASSWORD).status_code == 200
    assert sign_in_form(client, "submitter-a", NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_once(client, submitter_a):
    client.post(reverse("submissions:password_reset"), {"email": submitter_a.email})
    link = link_path(mail.outbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    page = Client().get(link, follow=True).content.decode()
    assert "This reset link cannot be used" in page


def test_password_reset_does_not_tell_whether_an_address_has_an_account(client, db):
    response = client.post(reverse("submissions:password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("submissions:password_reset_done")
    assert mail.outbox == []


# Invitations, from the staff admin to the email link.


def test_staff_invite_a_new_person_who_creates_an_account_from_the_email(
    staff_client, agency_a, dashboard_a
):
    response = invite_through_admin(
        staff_client, "new.person@police.example", agency_a, Membership.Role.APPROVER
    )
    assert response.status_code == 302

    invitation = Invitation.objects.get()
    assert invitation.invited_by.username == "reviewer"
    message = mail.outbox[0]
    assert message.to == ["new.person@police.example"]
    assert "Police Department" in message.subject
    assert message.reply_to == ["reviewer@example.org"]
    path = link_path(message)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash

    listing = staff_client.get(reverse("agency_invitations:index")).content.decode()
    assert "new.person@police.example" in listing
    assert "Pending" in listing

    visitor = Client()
    form_page = visitor.get(path).content.decode()
    assert "Create your account" in form_page
    assert 'autocomplete="new-password"' in form_page
    response = visitor.post(
        path,
        {
            "first_name": "Nia",
            "last_name": "Patel",
            "username": "nia.patel",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == dashboard_a

    person = User.objects.get(username="nia.patel")
    assert person.email == "new.person@police.example"
    assert not person.is_staff
    assert not person.is_superuser
    assert Membership.objects.get(user=person).role == Membership.Role.APPROVER
    assert visitor.session[SESSION_KEY] == str(person.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert "Accepted" in staff_client.get(reverse("agency_invitations:index")).content.decode()
    details = staff_client.get(reverse("agency_invitations:inspect", args=[invitation.pk]))
    assert "Nia Patel" in details.content.decode()

    # The same link a second time is used up.
    response = Client().get(path)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_agency_users_never_reach_the_staff_admin(client, agency_a, reviewer):
    invite(email="person@police.example", agency=agency_a, role="submitter", invited_by=reviewer)
    token = link_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]
    client.post(
        reverse("submissions:accept_invitation", kwargs={"token": token}),
        {"username": "person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert client.session[SESSION_KEY]

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert client.get(reverse("agency_invitations:add")).status_code in (302, 403)


def test_a_weak_password_is_refused_and_nothing_is_created(client, agency_a, reviewer):
    invite(email="person@police.example", agency=agency_a, role="submitter", invited_by=reviewer)
    path = link_path(mail.outbox[0])

    response = client.post(
        path, {"username": "person", "password1": "police", "password2": "police"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'aria-describedby="id_password2_helptext id_password2_error"' in page
    assert not User.objects.filter(username="person").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_account_signs_in_and_then_accepts(submitter_b, agency_a, reviewer):
    invite(email=submitter_b.email, agency=agency_a, role="approver", invited_by=reviewer)
    path = link_path(mail.outbox[0])
    client = Client()

    page = client.get(path).content.decode()
    assert "Sign in to accept your invitation" in page
    response = client.post(
        f"{SIGN_IN}?next={path}", {"username": "submitter-b", "password": PASSWORD}
    )
    assert response.url == path
    assert "Join Police Department" in client.get(path).content.decode()

    response = client.post(path)

    assert response.url == reverse("submissions:dashboard", kwargs={"agency": "police"})
    assert Membership.objects.get(user=submitter_b, agency=agency_a).role == "approver"
    assert Membership.objects.filter(user=submitter_b).count() == 2


def test_someone_signed_in_as_another_person_cannot_accept(
    sign_in, submitter_b, agency_a, reviewer
):
    invite(
        email="someone.else@police.example", agency=agency_a, role="submitter", invited_by=reviewer
    )
    path = link_path(mail.outbox[0])

    response = sign_in(submitter_b).post(
        path, {"username": "x", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 403
    assert "someone.else@police.example" in response.content.decode()
    assert not Membership.objects.filter(agency=agency_a).exists()


def test_two_clicks_on_accept_give_one_membership(submitter_b, agency_a, reviewer):
    invitation = invite(
        email=submitter_b.email, agency=agency_a, role="submitter", invited_by=reviewer
    )
    accept(invitation, submitter_b)
    with pytest.raises(InvitationUnusable):
        accept(invitation, submitter_b)
    assert Membership.objects.filter(user=submitter_b, agency=agency_a).count() == 1


def test_an_expired_invitation_says_so(client, agency_a, reviewer, settings):
    settings.INVITATION_MAX_AGE_DAYS = 2
    invitation = invite(
        email="late@police.example", agency=agency_a, role="submitter", invited_by=reviewer
    )
    expected = timezone.now() + datetime.timedelta(days=2)
    assert abs(invitation.expires_at - expected) < datetime.timedelta(minutes=1)

    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(link_path(mail.outbox[0]))

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_staff_revoke_an_invitation_and_its_link_stops_working(staff_client, agency_a, client):
    invite_through_admin(staff_client, "revoked@police.example", agency_a)
    invitation = Invitation.objects.get()
    revoke_url = reverse("agency_invitations:revoke", args=[invitation.pk])
    assert revoke_url in staff_client.get(reverse("agency_invitations:index")).content.decode()

    assert "Yes, revoke it" in staff_client.get(revoke_url).content.decode()
    staff_client.post(revoke_url)

    response = client.get(link_path(mail.outbox[0]))
    assert response.status_code == 410
    assert "withdrew this invitation" in response.content.decode()
    assert "Revoked" in staff_client.get(reverse("agency_invitations:index")).content.decode()


def test_staff_resend_an_expired_invitation_with_a_fresh_link(staff_client, agency_a, client):
    invite_through_admin(staff_client, "slow@police.example", agency_a)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    old_link = link_path(mail.outbox[0])

    staff_client.post(reverse("agency_invitations:resend", args=[Invitation.objects.get().pk]))

    assert len(mail.outbox) == 2
    new_link = link_path(mail.outbox[1])
    assert client.get(old_link).status_code == 404
    assert "Create your account" in client.get(new_link).content.decode()
    assert Invitation.objects.get().expires_at > timezone.now() + datetime.timedelta(days=6)


def test_an_unknown_link_is_not_found(client, db):
    response = client.get(reverse("submissions:accept_invitation", kwargs={"token": "made-up"}))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_staff_cannot_invite_an_existing_member_twice(staff_client, submitter_a, agency_a):
    response = invite_through_admin(staff_client, submitter_a.email, agency_a)
    assert response.status_code == 200
    assert "already a member of Police Department" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_agency_users_cannot_invite(sign_in, approver_a, agency_a):
    response = invite_through_admin(sign_in(approver_a), "friend@example.org", agency_a)
    assert response.status_code in (302, 403)
    assert not Invitation.objects.exists()


# Two-factor sign-in.


def test_turning_on_two_factor_sign_in(sign_in, submitter_a):
    client = sign_in(submitter_a)
    page = client.get(reverse("submissions:two_factor")).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=submitter_a, confirmed=False)
    assert re.search(r"<code[^>]*>([A-Z2-7]{4} ?)+</code>", page)

    response = client.post(reverse("submissions:two_factor"), {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    # Guessing is slowed down: straight after a wrong code even the right one must wait.
    response = client.post(reverse("submissions:two_factor"), {"code": totp_code(device)})
    assert "Too many wrong codes in a row" in response.content.decode()
    wait_out_code_throttling(device)

    response = client.post(reverse("submissions:two_factor"), {"code": totp_code(device)})
    assert response.url == reverse("submissions:account")
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # The session that turned it on counts as having entered a code.
    assert client.get(reverse("submissions:account")).status_code == 200


def test_signing_in_asks_for_the_code_before_any_agency_page(
    client, submitter_a, two_factor_device, dashboard_a
):
    response = client.post(
        f"{SIGN_IN}?next={dashboard_a}", {"username": "submitter-a", "password": PASSWORD}
    )
    second_step = reverse("submissions:second_factor")
    assert urlsplit(response.url).path == second_step

    for page in (dashboard_a, reverse("submissions:account"), reverse("submissions:home")):
        blocked = client.get(page)
        assert blocked.status_code == 302
        assert urlsplit(blocked.url).path == second_step

    wrong = client.post(response.url, {"code": "123"})
    assert "That code is not right" in wrong.content.decode()
    wait_out_code_throttling(two_factor_device)

    response = client.post(response.url, {"code": totp_code(two_factor_device)})
    assert response.url == dashboard_a
    assert client.get(reverse("submissions:account")).status_code == 200


def test_turning_off_two_factor_takes_the_password_and_a_code(
    client, submitter_a, two_factor_device
):
    sign_in_form(client, "submitter-a", PASSWORD)
    client.post(reverse("submissions:second_factor"), {"code": totp_code(two_factor_device)})
    turn_off = reverse("submissions:two_factor_off")

    response = client.post(
        turn_off, {"password": "wrong", "code": totp_code(two_factor_device, steps_ahead=1)}
    )
    assert "That is not your password" in response.content.decode()
    assert TOTPDevice.objects.filter(user=submitter_a).exists()

    response = client.post(
        turn_off, {"password": PASSWORD, "code": totp_code(two_factor_device, steps_ahead=1)}
    )
    assert response.url == reverse("submissions:account")
    assert not TOTPDevice.objects.filter(user=submitter_a).exists()

    fresh = Client()
    assert sign_in_form(fresh, "submitter-a", PASSWORD).url == reverse("submissions:home")
