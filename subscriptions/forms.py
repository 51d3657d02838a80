"""The saved-search alert form: an email address and the search, checked as search checks it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from content.agencies.models import Agency
from content.rulebook.rules import get_rulebook
from content.technologies.models import Technology
from subscriptions.models import SearchSubscription
from subscriptions.publications import search_form
from subscriptions.tokens import CONFIRMATION_MAX_AGE

# Unconfirmed requests one address may have at once, so the form cannot flood an inbox.
MAX_PENDING_PER_EMAIL = 3


def pending_for(email: str):
    return SearchSubscription.objects.filter(
        email__iexact=email,
        confirmed_at__isnull=True,
        requested_at__gt=timezone.now() - CONFIRMATION_MAX_AGE,
    )


class AlertSignupForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"), max_length=254)
    q = forms.CharField(label=gettext_lazy("Search words"), required=False, max_length=1000)
    agency = forms.ChoiceField(label=gettext_lazy("Agency"), required=False)
    technology = forms.ChoiceField(label=gettext_lazy("Technology"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of filing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", gettext("Any"))]
        self.fields["agency"].choices = anything + list(
            Agency.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["technology"].choices = anything + list(
            Technology.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["kind"].choices = anything + get_rulebook().choices()

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if pending_for(email).count() >= MAX_PENDING_PER_EMAIL:
            raise ValidationError(
                ngettext(
                    "This address already has %(count)d alert waiting for confirmation. "
                    "Use the link in that email, or try again in a few days.",
                    "This address already has %(count)d alerts waiting for confirmation. "
                    "Use the links in those emails, or try again in a few days.",
                    MAX_PENDING_PER_EMAIL,
                ),
                code="rate_limited",
                params={"count": MAX_PENDING_PER_EMAIL},
            )
        return email

    def clean(self):
        cleaned = super().clean()
        params = {"q": cleaned.get("q") or ""}
        for name in ("agency", "technology", "kind"):
            params[name] = [cleaned[name]] if cleaned.get(name) else []
        checked = search_form(params)
        if not checked.is_valid():
            for messages in checked.errors.values():
                for message in messages:
                    self.add_error(None, message)
        cleaned["search_params"] = params
        return cleaned

    def is_rate_limited(self) -> bool:
        return self.has_error("email", code="rate_limited")
