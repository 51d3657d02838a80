"""What the agency portal keeps beside the record: invitations, messages, receipts, notices."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models

from content.agencies.models import Agency, Membership
from content.filings.models import Filing, FilingVersion


def hash_token(token: str) -> str:
    """Only a token's hash is stored, so a leaked database holds no usable links."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An oversight staff member's invitation to someone at an agency: a one-time, expiring link."""

    email = models.EmailField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        max_length=20, choices=Membership.Role.choices, default=Membership.Role.SUBMITTER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()}, {self.agency})"


class FilingMessage(models.Model):
    """A comment on a filing: a reviewer's to the agency, the agency's answer, or a staff note.

    Internal notes are for oversight staff only and never reach the agency portal
    or the public site.
    """

    class Audience(models.TextChoices):
        AGENCY = "agency", "Agency and oversight staff"
        INTERNAL = "internal", "Oversight staff only"

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.AGENCY)
    # The submission round the message belongs to: 0 before the first submission.
    round = models.PositiveIntegerField(default=0)
    body = models.TextField(help_text="Markdown.")
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filing", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_audience_display()} message on {self.filing} by {self.author}"


class Receipt(models.Model):
    """Proof that an agency filed: one per submission round, naming the frozen version."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="receipts")
    version = models.OneToOneField(FilingVersion, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField(max_length=40, unique=True)
    # The key the submit form carried: a replayed or doubled request finds this receipt
    # instead of filing twice.
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filing", "created_at"]

    def __str__(self):
        return self.number


class SentNotification(models.Model):
    """An email already sent, by a key naming what it was about, so none is sent twice."""

    key = models.CharField(max_length=255, unique=True)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key


class HeldForm(models.Model):
    """What someone typed into a form when their session had expired, kept until they sign in.

    Nothing is applied to the record until the person signs in again and saves it.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    path = models.CharField(max_length=500)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"held form for {self.path}"


class DirectUpload(models.Model):
    """A signed S3 POST form the portal handed out for sending one file straight to the bucket.

    It lets `issued_to` put a file under incoming/<key>/ for `filing`; the portal ingests
    what arrived there once, for that person and filing only, and then marks it used.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="+")
    issued_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self):
        return f"direct upload {self.key} for {self.filing}"

    @property
    def prefix(self) -> str:
        return f"incoming/{self.key}/"
