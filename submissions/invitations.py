"""Oversight staff invite people at agencies to the portal with a one-time, expiring link.

Only a hash of each link's token is stored. Accepting claims the invitation with one
conditional UPDATE inside the transaction that adds the membership, so two clicks on the
same link, or two browser tabs, give exactly one membership.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.agencies.models import Membership
from submissions.models import Invitation, hash_token, new_token
from submissions.notifications import absolute_url, in_site_language


class InvitationState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class InvitationUnusable(Exception):
    """The invitation can no longer be accepted, resent or revoked; `state` says why."""

    def __init__(self, state: InvitationState):
        super().__init__(f"the invitation is {state.label.lower()}")
        self.state = state


def with_state(queryset, now: datetime.datetime | None = None):
    """Annotate each invitation with `state`, an InvitationState value."""
    now = now or timezone.now()
    return queryset.annotate(
        state=models.Case(
            models.When(accepted_at__isnull=False, then=models.Value(InvitationState.ACCEPTED)),
            models.When(revoked_at__isnull=False, then=models.Value(InvitationState.REVOKED)),
            models.When(expires_at__lte=now, then=models.Value(InvitationState.EXPIRED)),
            default=models.Value(InvitationState.PENDING),
            output_field=models.CharField(),
        )
    )


def find_by_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, with its state, or None."""
    return (
        with_state(Invitation.objects.filter(token_hash=hash_token(token)))
        .select_related("agency")
        .first()
    )


def new_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def invite(*, email: str, agency, role: str, invited_by) -> Invitation:
    """Record an invitation and email its link; if the email cannot be sent, nothing is kept."""
    token = new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            agency=agency,
            role=role,
            invited_by=invited_by,
            token_hash=hash_token(token),
            expires_at=new_expiry(),
        )
        send_invitation(invitation, token)
    return invitation


def resend(invitation: Invitation) -> None:
    """Email a fresh link with a fresh expiry; the link sent before stops working."""
    token = new_token()
    with transaction.atomic():
        replaced = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(token_hash=hash_token(token), expires_at=new_expiry())
        if not replaced:
            raise InvitationUnusable(current_state(invitation))
        invitation.refresh_from_db()
        send_invitation(invitation, token)


def revoke(invitation: Invitation) -> None:
    revoked = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not revoked:
        raise InvitationUnusable(current_state(invitation))


def current_state(invitation: Invitation) -> InvitationState:
    return InvitationState(with_state(Invitation.objects.filter(pk=invitation.pk)).get().state)


@in_site_language
def send_invitation(invitation: Invitation, token: str) -> None:
    link = absolute_url(reverse("submissions:accept_invitation", kwargs={"token": token}))
    inviter = invitation.invited_by
    body = render_to_string(
        "submissions/accounts/email/invitation.txt",
        {"invitation": invitation, "link": link, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    EmailMessage(
        subject=settings.EMAIL_SUBJECT_PREFIX
        + _("Your invitation to file for %(agency)s") % {"agency": invitation.agency.name},
        body=body,
        to=[invitation.email],
        # Questions about an invitation go to the person who sent it.
        reply_to=[inviter.email] if inviter and inviter.email else None,
    ).send()


def accept(invitation: Invitation, user) -> Membership:
    """Give `user` the invited role at the agency, claiming the invitation first.

    If another request accepted the invitation a moment ago, this one raises
    InvitationUnusable, and a caller's enclosing transaction rolls back what it did too.
    """
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(accepted_at=timezone.now(), accepted_by=user)
        if not claimed:
            raise InvitationUnusable(current_state(invitation))
        membership, created = Membership.objects.get_or_create(
            user=user, agency=invitation.agency, defaults={"role": invitation.role}
        )
        # The newest invitation is staff's latest word on the person's role.
        if not created and membership.role != invitation.role:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
    return membership
