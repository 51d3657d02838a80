"""Agency accounts: signing in and out, password reset, two-factor sign-in, invitations.

Signing in takes a password and then, for people who turned it on, a code from an
authenticator app; django-axes pauses sign-in for a username after repeated wrong
passwords. Oversight staff invite people from the Wagtail admin (submissions.wagtail_hooks);
the emailed link leads to accept_invitation here.
"""

import base64
import functools

import django_otp
import segno
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.views import SuccessMessageMixin
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from submissions.access import is_oversight_staff, memberships_of, needs_second_factor
from submissions.account_forms import (
    NewAccountForm,
    SiteLanguagePasswordResetForm,
    TurnOffTwoFactorForm,
    TwoFactorCodeForm,
)
from submissions.invitations import InvitationState, InvitationUnusable, accept, find_by_token

# With several authentication backends, login() must be told which one vouches for the person.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def signed_in_view(view):
    """A page about the person's own account: signed in, and past the second factor if any."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "submissions:sign_in")
        if needs_second_factor(request):
            return redirect_to_login(request.get_full_path(), "submissions:second_factor")
        return view(request, *args, **kwargs)

    return wrapper


def safe_next_url(request) -> str:
    """Where to go after a step of signing in: `next` on this host, else the portal's home."""
    candidate = request.POST.get("next", request.GET.get("next"))
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("submissions:home")


def dashboard_of(membership):
    return redirect("submissions:dashboard", agency=membership.agency.slug)


@signed_in_view
def home(request):
    memberships = list(memberships_of(request.user))
    if len(memberships) == 1:
        return dashboard_of(memberships[0])
    if not memberships and is_oversight_staff(request.user):
        return render(request, "submissions/staff_elsewhere.html", status=403)
    return render(request, "submissions/accounts/choose_agency.html", {"memberships": memberships})


class SignInView(auth_views.LoginView):
    template_name = "submissions/accounts/sign_in.html"
    next_page = "submissions:home"

    def form_valid(self, form):
        response = super().form_valid(form)
        if user_has_device(form.get_user()):
            return redirect_to_login(self.get_success_url(), "submissions:second_factor")
        return response


def second_factor(request):
    """The second step of signing in, for people who turned on two-factor sign-in."""
    if not request.user.is_authenticated:
        return redirect_to_login(safe_next_url(request), "submissions:sign_in")
    next_url = safe_next_url(request)
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(next_url)
    form = TwoFactorCodeForm(request.user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, device)
        return redirect(next_url)
    return render(
        request, "submissions/accounts/second_factor.html", {"form": form, "next": next_url}
    )


class SignOutView(auth_views.LogoutView):
    """POST only; signing out ends the whole session, not just the sign-in."""

    next_page = "submissions:sign_in"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response


def locked_out(request, original_response, credentials):
    """django-axes' answer to a sign-in for a username paused after too many wrong passwords."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    last_failure = AccessAttempt.objects.filter(username=username).aggregate(
        last=Max("attempt_time")
    )["last"]
    try_again_at = (last_failure or timezone.now()) + cool_off
    return render(
        request,
        "submissions/accounts/locked_out.html",
        {
            "username": username,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": int(cool_off.total_seconds() // 60),
            "try_again_at": timezone.localtime(try_again_at),
        },
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = SiteLanguagePasswordResetForm
    template_name = "submissions/accounts/password_reset_form.html"
    email_template_name = "submissions/accounts/email/password_reset.txt"
    subject_template_name = "submissions/accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("submissions:password_reset_done")

    @property
    def extra_email_context(self):
        return {
            "portal_name": settings.WAGTAIL_SITE_NAME,
            "valid_for_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "submissions/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("submissions:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's email may sign in again straight away.
        reset_lockout(username=self.user.get_username())
        return response


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "submissions/accounts/password_change.html"
    success_url = reverse_lazy("submissions:account")
    success_message = gettext_lazy(
        "Your password is changed. Anywhere else you were signed in, you are now signed out."
    )


@signed_in_view
def account(request):
    return render(
        request,
        "submissions/accounts/account.html",
        {
            "memberships": memberships_of(request.user),
            "two_factor_on": user_has_device(request.user),
        },
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def readable_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@signed_in_view
def two_factor(request):
    """Turn on two-factor sign-in (scan, then confirm with a code), or see that it is on."""
    device = confirmed_device(request.user)
    if device is not None:
        return render(
            request,
            "submissions/accounts/two_factor_on.html",
            {"form": TurnOffTwoFactorForm(request.user, device)},
        )
    # The key waits, unconfirmed, until the person proves their app has it.
    device = (
        TOTPDevice.objects.devices_for_user(request.user, confirmed=False).order_by("pk").first()
    ) or TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = TwoFactorCodeForm(request.user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        django_otp.login(request, device)
        messages.success(
            request,
            _(
                "Two-factor sign-in is on. From now on the portal asks for a code from your app "
                "after your password."
            ),
        )
        return redirect("submissions:account")
    qr_code = segno.make(device.config_url, error="m")
    return render(
        request,
        "submissions/accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": qr_code.svg_data_uri(scale=5),
            "secret": readable_secret(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@require_POST
@signed_in_view
def turn_off_two_factor(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect("submissions:account")
    form = TurnOffTwoFactorForm(request.user, device, request.POST)
    if form.is_valid():
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(
            request, _("Two-factor sign-in is off. Signing in now takes only your password.")
        )
        return redirect("submissions:account")
    return render(request, "submissions/accounts/two_factor_on.html", {"form": form})


def invitation_unusable(request, invitation, state):
    """Explain a link that cannot be used: 404 when unknown, 410 when used up."""
    return render(
        request,
        "submissions/accounts/invitation_unusable.html",
        {"invitation": invitation, "state": state, "states": InvitationState},
        status=404 if invitation is None else 410,
    )


def accept_invitation(request, token):
    invitation = find_by_token(token)
    if invitation is None:
        return invitation_unusable(request, None, None)
    if invitation.state != InvitationState.PENDING:
        return invitation_unusable(request, invitation, invitation.state)

    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    user = request.user
    if user.is_authenticated and (invitee is None or user.pk != invitee.pk):
        return render(
            request,
            "submissions/accounts/invitation_wrong_account.html",
            {"invitation": invitation},
            status=403,
        )
    if invitee is None:
        return create_invited_account(request, invitation)
    if not user.is_authenticated:
        return render(
            request, "submissions/accounts/invitation_sign_in.html", {"invitation": invitation}
        )
    if needs_second_factor(request):
        return redirect_to_login(request.get_full_path(), "submissions:second_factor")
    if request.method == "POST":
        try:
            membership = accept(invitation, user)
        except InvitationUnusable as refused:
            return invitation_unusable(request, invitation, refused.state)
        messages.success(
            request,
            _("You are now a %(role)s at %(agency)s.")
            % {"role": membership.get_role_display().lower(), "agency": membership.agency.name},
        )
        return dashboard_of(membership)
    return render(
        request, "submissions/accounts/invitation_accept.html", {"invitation": invitation}
    )


def create_invited_account(request, invitation):
    form = NewAccountForm(invitation.email, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                membership = accept(invitation, user)
        except InvitationUnusable as refused:
            return invitation_unusable(request, invitation, refused.state)
        except IntegrityError:
            # Another request took the address or username between validation and saving.
            form.add_error(
                None,
                _(
                    "An account with this email address or username was created a moment ago. "
                    "If it is yours, sign in and open the invitation link again; otherwise "
                    "choose another username."
                ),
            )
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Welcome. You are a %(role)s at %(agency)s.")
                % {"role": membership.get_role_display().lower(), "agency": membership.agency.name},
            )
            return dashboard_of(membership)
    return render(
        request,
        "submissions/accounts/invitation_new_account.html",
        {"invitation": invitation, "form": form},
    )


urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", SignInView.as_view(), name="sign_in"),
    path("sign-in/code/", second_factor, name="second_factor"),
    path("sign-out/", SignOutView.as_view(), name="sign_out"),
    path("password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="submissions/accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="submissions/accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("account/", account, name="account"),
    path("account/password/", signed_in_view(PasswordChangeView.as_view()), name="password_change"),
    path("account/two-factor/", two_factor, name="two_factor"),
    path("account/two-factor/turn-off/", turn_off_two_factor, name="two_factor_off"),
    path("invitations/<str:token>/", accept_invitation, name="accept_invitation"),
]
