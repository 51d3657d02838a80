"""The page shown when a form arrives without a valid security (CSRF) token."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request, reason=""):
    """Say plainly that nothing was saved and how to get the form through, with a way back.

    `reason` is Django's technical explanation; it means nothing to the person, so it is
    left out of the page.
    """
    referer = request.META.get("HTTP_REFERER", "")
    back_url = (
        referer
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return render(request, "csrf_failure.html", {"back_url": back_url}, status=403)
