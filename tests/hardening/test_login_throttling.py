"""Password guessing: 10,000 attempts on one account, from changing addresses and browsers,
with the right password mixed in; none gets in past the limit.

Every 20th attempt goes through a sign-in form over HTTP (the agency portal's and the staff
admin's in turn), the rest straight to Django's authenticate(), where django-axes decides:
the same lockout either way, at a pace the suite can afford.
"""

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ATTEMPTS = 10_000
THROUGH_A_FORM_EVERY = 20
RIGHT_PASSWORD = "correct horse battery staple"
# Every so often the attacker has the right password: it must not matter once locked out.
RIGHT_EVERY = 50


def address(attempt: int) -> str:
    return f"10.{attempt // 65536 % 256}.{attempt // 256 % 256}.{attempt % 256}"


def test_ten_thousand_guesses_get_nobody_in_past_the_limit(agency_a, show_figure):
    person = MembershipFactory(agency=agency_a, user__username="clerk").user
    person.set_password(RIGHT_PASSWORD)
    person.save()
    forms = [reverse("submissions:sign_in"), reverse("wagtailadmin_login")]
    requests = RequestFactory()
    succeeded_past_limit = through_forms = 0
    for attempt in range(ATTEMPTS):
        password = (
            RIGHT_PASSWORD if attempt % RIGHT_EVERY == RIGHT_EVERY - 1 else f"guess-{attempt}"
        )
        if attempt % THROUGH_A_FORM_EVERY == 0:
            # A new client each time: no cookie carries over, as from a botnet.
            client = Client(REMOTE_ADDR=address(attempt), HTTP_USER_AGENT=f"guesser/{attempt}")
            form = forms[attempt // THROUGH_A_FORM_EVERY % 2]
            client.post(form, {"username": "clerk", "password": password})
            signed_in = "_auth_user_id" in client.session
            through_forms += 1
        else:
            request = requests.post(
                forms[0], REMOTE_ADDR=address(attempt), HTTP_USER_AGENT=f"guesser/{attempt}"
            )
            signed_in = authenticate(request, username="clerk", password=password) is not None
        succeeded_past_limit += signed_in and attempt >= settings.AXES_FAILURE_LIMIT
    show_figure(
        f"login throttling: {ATTEMPTS:,} attempts on one account ({through_forms} through the "
        f"sign-in forms, {ATTEMPTS // RIGHT_EVERY} with the right password), succeeded past the "
        f"limit of {settings.AXES_FAILURE_LIMIT}: {succeeded_past_limit}"
    )
    assert succeeded_past_limit == 0
    assert (
        Client().post(forms[0], {"username": "clerk", "password": RIGHT_PASSWORD}).status_code
        == 429
    )
