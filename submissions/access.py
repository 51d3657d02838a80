"""Who may do what in the agency portal: the one place every portal view asks.

Agency staff reach only their own agency's filings, documents, messages and
receipts. Anything outside the person's agencies answers 404, the same as an id
that does not exist, so guessing ids tells nobody what exists. Oversight staff
work in the Wagtail admin and are turned away here; anonymous visitors are sent
to sign in.
"""

import functools
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_otp import user_has_device

from content.agencies.models import Membership
from content.documents.models import Document
from content.filings.models import Filing, Status
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from submissions.held_forms import hold_and_sign_in


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REPLY = "reply"


# The statuses in which the agency holds the pen.
EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
# Withdrawal is the agency's until a reviewer picks the filing up, and again when the
# reviewer hands it back.
WITHDRAWABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED})
REPLYABLE = frozenset(
    {Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ACCEPTED}
)


@dataclass(frozen=True)
class AgencyAccess:
    """A signed-in person acting for one agency, in one role."""

    membership: Membership

    @property
    def user(self):
        return self.membership.user

    @property
    def agency(self):
        return self.membership.agency

    @property
    def is_approver(self) -> bool:
        return self.membership.role == Membership.Role.APPROVER

    def filings(self):
        """The only queryset of filings a portal view may start from."""
        return Filing.objects.filter(agency=self.agency)

    def filing(self, pk) -> Filing:
        try:
            return self.filings().get(pk=pk)
        except (Filing.DoesNotExist, ValueError, TypeError):
            raise Http404("No such filing in your agency.") from None

    def document(self, filing: Filing, pk) -> Document:
        """A document of `filing`, which must be one of this agency's; 404 for any other."""
        try:
            return Document.objects.get(pk=pk, filing=filing, filing__agency=self.agency)
        except (Document.DoesNotExist, ValueError, TypeError):
            raise Http404("No such document in this filing.") from None

    def refusal(self, filing: Filing, action: Action) -> str | None:
        """Why this person may not do `action` to `filing` now, or None if they may."""
        if filing.agency_id != self.agency.pk:
            return _("That filing belongs to another agency.")
        status = filing.status
        state = filing.get_status_display().lower()
        if action == Action.VIEW:
            return None
        if action == Action.EDIT:
            if status not in EDITABLE:
                return _(
                    "This filing is %(state)s; it can be changed "
                    "only as a draft or after a reviewer asks for changes."
                ) % {"state": state}
            return None
        if action == Action.SUBMIT:
            if status not in EDITABLE:
                return _("This filing is %(state)s and cannot be submitted.") % {"state": state}
            if filing.kind_rules.approver_signoff and not self.is_approver:
                return _(
                    "A %(kind)s must be signed off by an approver at %(agency)s; "
                    "ask an approver to submit it."
                ) % {"kind": filing.kind_label.lower(), "agency": self.agency.name}
            return None
        if action == Action.WITHDRAW:
            if status not in WITHDRAWABLE:
                return _(
                    "This filing is %(state)s; it can be withdrawn "
                    "only before review starts or while changes are requested."
                ) % {"state": state}
            return None
        if action == Action.REPLY:
            if status not in REPLYABLE:
                return _("Messages are closed while the filing is %(state)s.") % {"state": state}
            return None
        raise ValueError(f"unknown action {action!r}")

    def allows(self, filing: Filing, action: Action) -> bool:
        return self.refusal(filing, action) is None

    def require(self, filing: Filing, action: Action) -> None:
        reason = self.refusal(filing, action)
        if reason:
            raise PermissionDenied(reason)


def memberships_of(user):
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("agency", "user")


def is_oversight_staff(user) -> bool:
    return user.is_superuser or user.groups.filter(name=OVERSIGHT_STAFF_GROUP).exists()


def needs_second_factor(request) -> bool:
    """True while someone who turned on two-factor sign-in has not entered a code this session."""
    user = request.user
    return user.is_authenticated and not user.is_verified() and user_has_device(user)


def agency_view(view):
    """Decorate a portal view taking `agency` (a slug) from the URL; it gets `access` first.

    Anonymous visitors go to the portal's sign-in (a POST is held first, so an expired
    session loses nothing); people who turned on two-factor sign-in enter their code
    first; people with no membership in that agency get 404; oversight
    staff without a membership get a page that sends them to the admin.
    """

    @functools.wraps(view)
    def wrapper(request, agency, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            if request.method == "POST":
                return hold_and_sign_in(request)
            return redirect_to_login(request.get_full_path(), "submissions:sign_in")
        if needs_second_factor(request):
            return redirect_to_login(request.get_full_path(), "submissions:second_factor")
        memberships = memberships_of(user)
        membership = next((m for m in memberships if m.agency.slug == agency), None)
        if membership is None:
            if not memberships and is_oversight_staff(user):
                return render(request, "submissions/staff_elsewhere.html", status=403)
            raise Http404("No such agency among yours.")
        return view(request, AgencyAccess(membership), *args, **kwargs)

    return wrapper
