"""Keeping what someone typed when their session expired mid-form, until they sign in again.

The held data is never applied to the record on its own: after signing in, the
form it came from shows it again, unsaved, for the person to check and save.
Uploaded files cannot be held; the page that shows the held data says so.
"""

import datetime

from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict
from django.utils import timezone

from submissions.models import HeldForm

COOKIE = "portal_held_form"
KEPT_FOR = datetime.timedelta(days=1)
NOT_HELD = frozenset({"csrfmiddlewaretoken"})


def hold_and_sign_in(request):
    """Keep the POSTed fields, then send the person to sign in and back to the form."""
    data = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_HELD}
    held = HeldForm.objects.create(path=request.path, data=data)
    response = redirect_to_login(request.path, "submissions:sign_in")
    response.set_signed_cookie(
        COOKIE,
        str(held.key),
        salt=COOKIE,
        max_age=int(KEPT_FOR.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def take_held_form(request, paths: set[str]) -> QueryDict | None:
    """The fields held for one of `paths` in this browser, removed from the store."""
    key = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE)
    if not key:
        return None
    HeldForm.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    held = HeldForm.objects.filter(key=key, path__in=paths).first()
    if held is None:
        return None
    held.delete()
    data = QueryDict(mutable=True)
    for name, values in held.data.items():
        data.setlist(name, [str(value) for value in values])
    return data
