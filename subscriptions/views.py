"""Public pages: the list of feeds, and signing up to, confirming and leaving search alerts."""

from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from content.agencies.models import Agency
from content.rulebook.rules import get_rulebook
from content.technologies.models import Technology
from subscriptions.alerts import send_confirmation
from subscriptions.forms import MAX_PENDING_PER_EMAIL, AlertSignupForm
from subscriptions.models import SearchSubscription
from subscriptions.tokens import (
    CONFIRMATION_MAX_AGE,
    LinkExpired,
    LinkInvalid,
    read_confirm_token,
    read_unsubscribe_token,
)


@require_GET
def feed_list(request):
    feeds = {
        "agencies": [
            (agency.name, reverse("subscriptions:agency_feed", args=[agency.slug]))
            for agency in Agency.objects.order_by("name")
        ],
        "technologies": [
            (technology.name, reverse("subscriptions:technology_feed", args=[technology.slug]))
            for technology in Technology.objects.order_by("name")
        ],
        "kinds": [
            (label, reverse("subscriptions:kind_feed", args=[slug]))
            for slug, label in get_rulebook().choices()
        ],
    }
    return render(request, "subscriptions/feeds.html", {"feeds": feeds})


def _bad_link(request, problem: str, status: int = 400):
    return render(request, "subscriptions/bad_link.html", {"problem": problem}, status=status)


INVALID_LINK = gettext_lazy(
    "This link is not valid: it may have been cut short or changed when it was copied. "
    "Copy the whole link from the email, or sign up again."
)


def _expired_confirmation() -> str:
    days = CONFIRMATION_MAX_AGE.days
    return ngettext(
        "This confirmation link has expired: links work for %(days)d day. "
        "Nothing was subscribed. Sign up again to get a new link.",
        "This confirmation link has expired: links work for %(days)d days. "
        "Nothing was subscribed. Sign up again to get a new link.",
        days,
    ) % {"days": days}


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.method == "POST":
        form = AlertSignupForm(request.POST)
        if form.is_valid():
            # If the confirmation cannot be sent, the address is not kept either.
            with transaction.atomic():
                subscription = SearchSubscription.objects.create(
                    email=form.cleaned_data["email"],
                    search_params=form.cleaned_data["search_params"],
                    language=get_language(),
                )
                send_confirmation(subscription)
            return render(
                request,
                "subscriptions/signup_sent.html",
                {"subscription": subscription, "valid_days": CONFIRMATION_MAX_AGE.days},
            )
        status = 429 if form.is_rate_limited() else 400
    else:
        form = AlertSignupForm(initial=request.GET.dict())
        status = 200
    return render(
        request,
        "subscriptions/signup.html",
        {
            "form": form,
            "valid_days": CONFIRMATION_MAX_AGE.days,
            "max_pending": MAX_PENDING_PER_EMAIL,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    # GET only shows a button: mail scanners that open links must not confirm on their own.
    try:
        subscription = read_confirm_token(token)
    except LinkExpired:
        return _bad_link(request, _expired_confirmation())
    except LinkInvalid:
        return _bad_link(request, INVALID_LINK)
    if subscription is None:
        return _bad_link(
            request,
            gettext(
                "This alert no longer exists: it was unsubscribed. Sign up again to restart it."
            ),
            status=404,
        )
    if request.method == "POST" and not subscription.is_confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return render(request, "subscriptions/confirm.html", {"subscription": subscription})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks; POST unsubscribes. The POST needs no CSRF token because mail clients send it
    themselves for List-Unsubscribe-Post (RFC 8058); the signed token is the authority."""
    try:
        subscription = read_unsubscribe_token(token)
    except (LinkExpired, LinkInvalid):
        return _bad_link(request, INVALID_LINK)
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "subscriptions/unsubscribed.html")
    if subscription is None:
        return render(request, "subscriptions/unsubscribed.html")
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})
