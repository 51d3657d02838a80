"""Forms for agency accounts: second-factor codes, new accounts, password resets, inviting."""

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.contrib.auth.models import BaseUserManager
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from content.agencies.models import Membership
from submissions.invitations import InvitationState, with_state
from submissions.models import Invitation


class TwoFactorCodeForm(forms.Form):
    """A code from the person's authenticator app, checked against one of their devices."""

    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        help_text=gettext_lazy("The 6-digit code the app shows for this portal right now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("Enter the code as digits only, for example 123456."))
        self.device.refresh_from_db()
        allowed, detail = self.device.verify_is_allowed()
        if not allowed:
            # The device's own back-off (1, 2, 4, 8… seconds) stops guessing codes.
            until = timezone.localtime(detail["locked_until"])
            raise forms.ValidationError(
                _(
                    "Too many wrong codes in a row. Wait until %(time)s, then enter the code "
                    "the app shows at that moment."
                ),
                params={"time": formats.time_format(until, "TIME_FORMAT")},
            )
        if django_otp.verify_token(self.user, self.device.persistent_id, code) is None:
            raise forms.ValidationError(
                _(
                    "That code is not right, or it has already been used or expired. "
                    "Enter the code the app shows now."
                )
            )
        return code


class TurnOffTwoFactorForm(TwoFactorCodeForm):
    """Turning two-factor sign-in off takes the password as well as a current code."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["password", "code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password

    def clean_code(self):
        # Check the password first so a wrong password does not use up a good code.
        if "password" not in self.cleaned_data:
            return self.cleaned_data["code"]
        return super().clean_code()


class NewAccountForm(UserCreationForm):
    """The account an invited person creates: the email address comes from the invitation."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("first_name", "last_name", "username")
        labels = {"username": gettext_lazy("Username (you sign in with this)")}
        help_texts = {
            "username": gettext_lazy("Letters, digits and @ . + - _ only; 150 characters at most."),
        }

    def __init__(self, email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set before validation so the password validators can compare against it.
        self.instance.email = email
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["username"].widget.attrs.pop("autofocus", None)


class SiteLanguagePasswordResetForm(PasswordResetForm):
    """Sends the reset email in the site's language with an unprefixed link, like every
    other email to agency staff, whichever language the request was in."""

    def save(self, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().save(*args, **kwargs)


class InvitationForm(WagtailAdminModelForm):
    """Oversight staff invite one person to one agency, in one role."""

    class Meta:
        model = Invitation
        fields = ["email", "agency", "role"]
        help_texts = {
            "email": gettext_lazy("The invitation link is sent here. It works once."),
            "role": gettext_lazy("Approvers can also sign off filings that need an approver."),
        }

    def clean_email(self):
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned_data = super().clean()
        email, agency = cleaned_data.get("email"), cleaned_data.get("agency")
        if not email or not agency:
            return cleaned_data
        if Membership.objects.filter(user__email__iexact=email, agency=agency).exists():
            self.add_error(
                "email",
                _(
                    "The person with this address is already a member of %(agency)s. "
                    "To change their role, edit their entry under Agency staff instead."
                )
                % {"agency": agency},
            )
        pending = with_state(Invitation.objects.filter(email__iexact=email, agency=agency))
        if pending.filter(state=InvitationState.PENDING).exists():
            self.add_error(
                "email",
                _(
                    "This address already has a pending invitation to %(agency)s. "
                    "Resend that invitation from the list instead."
                )
                % {"agency": agency},
            )
        return cleaned_data
