"""Deadline extensions in the staff admin: whoever grants one is recorded as its grantor."""

from django import forms
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accountability.roles import public_role
from content.compliance.models import DeadlineExtension
from content.rulebook.rules import get_rulebook


def kind_choices():
    """Read when each form is built, so the admin follows the rulebook file as loaded."""
    return get_rulebook().choices()


class GrantExtensionView(generic.CreateView):
    success_message = "%(object)s granted."

    def get_initial_form_instance(self):
        # Set before validation, so the rulebook's checks see a complete extension.
        return DeadlineExtension(
            granted_by=self.request.user, granted_by_role=public_role(self.request.user)
        )


class ExtensionViewSet(ModelViewSet):
    model = DeadlineExtension
    icon = "date"
    menu_label = "Deadline extensions"
    add_view_class = GrantExtensionView
    inspect_view_enabled = True
    # A copy would carry over the original grantor.
    copy_view_enabled = False
    form_fields = ["agency", "technology", "kind", "reporting_year", "days", "reason"]
    list_display = [
        "agency",
        "technology",
        "kind",
        "reporting_year",
        "days",
        "granted_by",
        "granted_by_role",
        "granted_at",
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "kind":
            return forms.ChoiceField(label="Kind", choices=kind_choices)
        return super().formfield_for_dbfield(db_field, **kwargs)
