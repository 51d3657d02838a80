"""The staff admin's "Agency invitations": invite people at agencies, list, resend, revoke.

Invitations are never edited or deleted: a resend replaces the link, a revoke closes it,
and the list keeps the history of who was invited by whom.
"""

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from submissions import invitations
from submissions.access import is_oversight_staff
from submissions.account_forms import InvitationForm
from submissions.invitations import InvitationState, InvitationUnusable, with_state
from submissions.models import Invitation


class OversightStaffPolicy(BasePermissionPolicy):
    """Oversight staff and superusers may invite and see invitations; nobody edits or deletes."""

    ALLOWED_ACTIONS = frozenset({"add", "view"})

    def user_has_permission(self, user, action):
        return (
            action in self.ALLOWED_ACTIONS
            and user.is_authenticated
            and user.is_active
            and is_oversight_staff(user)
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.ALLOWED_ACTIONS.intersection(actions):
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=OVERSIGHT_STAFF_GROUP)).distinct()


invitation_policy = OversightStaffPolicy(Invitation)
# Registered before the viewset asks, as Wagtail requires.
register_permission_policy(Invitation, invitation_policy)


def local_time(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class InvitationFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label="State", choices=InvitationState.choices)

    class Meta:
        model = Invitation
        fields = ["state", "agency", "role"]


class InvitationIndexView(IndexView):
    resend_url_name = None
    revoke_url_name = None

    def get_base_queryset(self):
        return with_state(super().get_base_queryset()).select_related("agency", "invited_by")

    def get_list_more_buttons(self, invitation):
        buttons = super().get_list_more_buttons(invitation)
        if invitation.state in (InvitationState.PENDING, InvitationState.EXPIRED):
            buttons.append(
                ListingButton(
                    "Resend",
                    url=reverse(self.resend_url_name, args=[invitation.pk]),
                    icon_name="mail",
                    priority=40,
                )
            )
        if invitation.state == InvitationState.PENDING:
            buttons.append(
                ListingButton(
                    "Revoke",
                    url=reverse(self.revoke_url_name, args=[invitation.pk]),
                    icon_name="cross",
                    priority=50,
                )
            )
        return buttons


class InvitationCreateView(CreateView):
    page_title = "New invitation"
    submit_button_label = "Send invitation"
    submit_button_active_label = "Sending…"

    def save_instance(self):
        data = self.form.cleaned_data
        return invitations.invite(
            email=data["email"],
            agency=data["agency"],
            role=data["role"],
            invited_by=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except OSError as error:  # smtplib's errors are OSErrors too
            self.produced_error_message = (
                f"The invitation email could not be sent ({error}), so no invitation was made. "
                "Try again in a few minutes; if it keeps failing, tell the portal's administrators."
            )
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return (
            f"Invitation sent to {instance.email} for {instance.agency}. "
            f"The link works once, until {local_time(instance.expires_at)}."
        )

    def get_success_buttons(self):
        return []


class InvitationActionView(WagtailAdminTemplateMixin, TemplateView):
    """A confirmation page for one action on one invitation, carried out on POST."""

    template_name = "submissions/admin/confirm_invitation_action.html"
    header_icon = "mail"
    index_url_name = None
    title = ""
    confirm_label = ""

    def dispatch(self, request, *args, **kwargs):
        if not invitation_policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        self.invitation = get_object_or_404(
            with_state(Invitation.objects.select_related("agency")), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.title

    def get_page_subtitle(self):
        return self.invitation.email

    @cached_property
    def index_url(self):
        return reverse(self.index_url_name)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.index_url, "label": "Agency invitations"},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invitation=self.invitation,
            explanation=self.explanation(),
            confirm_label=self.confirm_label,
            index_url=self.index_url,
            **kwargs,
        )

    def explanation(self) -> str:
        raise NotImplementedError

    def perform(self) -> str:
        """Carry out the action; return the message saying what was done."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            done = self.perform()
        except InvitationUnusable as refused:
            messages.error(
                request, f"Nothing was changed: the invitation is {refused.state.label.lower()}."
            )
        except OSError as error:  # smtplib's errors are OSErrors too
            messages.error(
                request,
                f"The email could not be sent ({error}). Nothing was changed: "
                "the link sent before still works until it expires.",
            )
        else:
            messages.success(request, done)
        return redirect(self.index_url)


class ResendInvitationView(InvitationActionView):
    title = "Resend invitation"
    confirm_label = "Yes, send a new link"

    def explanation(self):
        return (
            f"A new link goes to {self.invitation.email}, valid for another "
            f"{settings.INVITATION_MAX_AGE_DAYS} days. The link sent before stops working."
        )

    def perform(self):
        invitations.resend(self.invitation)
        return (
            f"A new invitation link was sent to {self.invitation.email}. It works once, "
            f"until {local_time(self.invitation.expires_at)}."
        )


class RevokeInvitationView(InvitationActionView):
    title = "Revoke invitation"
    confirm_label = "Yes, revoke it"

    def explanation(self):
        return (
            f"The link sent to {self.invitation.email} stops working at once; whoever opens it "
            "is told the invitation was withdrawn. Anyone who already accepted keeps access."
        )

    def perform(self):
        invitations.revoke(self.invitation)
        return f"The invitation to {self.invitation.email} is revoked."


class InvitationViewSet(ModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = "Agency invitations"
    menu_order = 160
    add_to_admin_menu = True
    index_view_class = InvitationIndexView
    add_view_class = InvitationCreateView
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = InvitationFilterSet
    list_display = [
        "email",
        "agency",
        "role",
        Column(
            "state",
            label="State",
            accessor=lambda invitation: InvitationState(invitation.state).label,
            sort_key="state",
        ),
        "expires_at",
        "invited_by",
        "created_at",
    ]
    inspect_view_fields = [
        "email",
        "agency",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]

    def get_form_class(self, for_update=False):
        return InvitationForm

    def get_permissions_to_register(self):
        # Membership of the oversight staff group grants access, so group settings offer none.
        return Permission.objects.none()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            resend_url_name=self.get_url_name("resend"),
            revoke_url_name=self.get_url_name("revoke"),
            **kwargs,
        )

    def get_urlpatterns(self):
        action_kwargs = {"index_url_name": self.get_url_name("index")}
        return [
            *super().get_urlpatterns(),
            path(
                "resend/<int:pk>/",
                ResendInvitationView.as_view(**action_kwargs),
                name="resend",
            ),
            path(
                "revoke/<int:pk>/",
                RevokeInvitationView.as_view(**action_kwargs),
                name="revoke",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_invitation_viewset():
    return InvitationViewSet("agency_invitations")
