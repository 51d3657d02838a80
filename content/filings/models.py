import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from content.agencies.models import Agency
from content.filings.signals import filing_status_changed
from content.rulebook.rules import UnknownKind, get_rulebook
from content.technologies.models import Technology
from content.vendors.models import Vendor


class IllegalTransition(ValueError):
    """A status change the filing lifecycle does not allow."""


class ConcurrentChange(RuntimeError):
    """Someone else changed the filing's status first; the caller should reload."""


class FrozenVersionError(RuntimeError):
    """A frozen filing version cannot be changed or deleted."""


class PublishedFilingChanged(RuntimeError):
    """A published filing's content changes only by an amendment, which keeps the old version."""


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("filing status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("filing status", "Submitted")
    IN_REVIEW = "in_review", pgettext_lazy("filing status", "In review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("filing status", "Changes requested")
    ACCEPTED = "accepted", pgettext_lazy("filing status", "Accepted")
    PUBLISHED = "published", pgettext_lazy("filing status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("filing status", "Withdrawn")
    REJECTED = "rejected", pgettext_lazy("filing status", "Rejected")


# The lifecycle: every status a filing may move to from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.IN_REVIEW: frozenset({Status.CHANGES_REQUESTED, Status.ACCEPTED, Status.REJECTED}),
    Status.CHANGES_REQUESTED: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.PUBLISHED, Status.CHANGES_REQUESTED}),
    Status.PUBLISHED: frozenset({Status.WITHDRAWN}),
    Status.WITHDRAWN: frozenset(),
    Status.REJECTED: frozenset(),
}
# Statuses in which the agency has formally filed the document with the body.
FILED_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.ACCEPTED,
        Status.PUBLISHED,
    }
)
# Timestamps stamped the first time a filing enters a status.
STATUS_TIMESTAMPS = {Status.SUBMITTED: "submitted_at", Status.PUBLISHED: "published_at"}
# What the public reads of a filing; once published, only an amendment changes these.
PUBLISHED_CONTENT_FIELDS = (
    "kind",
    "title",
    "agency_id",
    "reporting_period_start",
    "reporting_period_end",
    "due_on",
    "summary",
    "details",
)


def check_transition(current: str, target: str) -> None:
    current, target = str(current), str(target)
    if target not in TRANSITIONS.get(current, ()):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "nothing (final)"
        raise IllegalTransition(
            f"a filing cannot go from {current!r} to {target!r}; from {current!r} it may go to "
            f"{allowed}"
        )


class Filing(models.Model):
    """Something the ordinance requires an agency to file, of a kind the rulebook defines."""

    kind = models.CharField(max_length=64, db_index=True)
    title = models.CharField(max_length=300)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="filings")
    technologies = models.ManyToManyField(Technology, related_name="filings", blank=True)
    reporting_period_start = models.DateField(null=True, blank=True)
    reporting_period_end = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="A short Markdown summary for the public.")
    details = models.JSONField(
        default=dict, blank=True, help_text="The kind-specific fields the rulebook defines."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reporting_period_end__isnull=True)
                | Q(reporting_period_start__isnull=True)
                | Q(reporting_period_end__gte=F("reporting_period_start")),
                name="filing_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, amendment=False, **kwargs):
        """Save; a published filing's content changes only with amendment=True (see amend())."""
        try:
            get_rulebook().kind(self.kind)
        except UnknownKind as error:
            raise ValidationError({"kind": str(error)}) from None
        stored = getattr(self, "_stored_status", None)
        if self._state.adding and self.status != Status.DRAFT:
            check_transition(Status.DRAFT, self.status)
        elif stored is not None and stored != self.status:
            check_transition(stored, self.status)
        changed = [] if amendment else self._published_content_changes()
        if changed:
            raise PublishedFilingChanged(
                f"filing {self.pk} is published, so its {', '.join(changed)} cannot be "
                "changed in place; record the change with publication.services.amend(), "
                "which keeps the published version in the history"
            )
        super().save(*args, **kwargs)
        self._stored_status = self.status
        self._stored_content = self._content()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_status = instance.__dict__.get("status")
        instance._stored_content = instance._content()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        # What was just read is what the database holds: compare later edits against it.
        refreshed = {
            name: value
            for name, value in self._content().items()
            if fields is None or name in fields or name.removesuffix("_id") in fields
        }
        self._stored_content = {**getattr(self, "_stored_content", {}), **refreshed}
        if fields is None or "status" in fields:
            self._stored_status = self.status

    def _published_content_changes(self) -> list[str]:
        """The content fields changed since loading, if the filing is published."""
        if getattr(self, "_stored_status", None) != Status.PUBLISHED:
            return []
        stored_content = getattr(self, "_stored_content", {})
        return [
            name
            for name, value in self._content().items()
            if name in stored_content and stored_content[name] != value
        ]

    def _content(self) -> dict:
        # A deep copy, so editing `details` in place still shows as a change.
        loaded = self.__dict__
        return copy.deepcopy(
            {name: loaded[name] for name in PUBLISHED_CONTENT_FIELDS if name in loaded}
        )

    @property
    def kind_rules(self):
        return get_rulebook().kind(self.kind)

    @property
    def kind_label(self) -> str:
        """The kind's name in the active language, for pages."""
        try:
            return self.kind_rules.label
        except UnknownKind:
            return self.kind

    @property
    def default_kind_label(self) -> str:
        """The kind's name in the default language, for what is stored or indexed."""
        try:
            return self.kind_rules.default_label
        except UnknownKind:
            return self.kind

    def clean(self):
        try:
            get_rulebook().kind(self.kind)
        except UnknownKind as error:
            raise ValidationError({"kind": str(error)}) from None
        if self._published_content_changes():
            raise ValidationError(
                "This filing is published, so it cannot be edited here; record a correction "
                "or amendment instead, which keeps the published version in its history."
            )

    def transition_to(self, target: str, at=None) -> None:
        """Move to `target` if the lifecycle allows it and nobody moved the filing first.

        `at` records when it happened, for imports of a history; it defaults to now.
        """
        check_transition(self.status, target)
        now = at or timezone.now()
        changes = {"status": target, "updated_at": now}
        stamp = STATUS_TIMESTAMPS.get(target)
        if stamp and getattr(self, stamp) is None:
            changes[stamp] = now
        source = self.status
        before = {name: getattr(self, name) for name in changes}
        try:
            with transaction.atomic():
                updated = Filing.objects.filter(pk=self.pk, status=source).update(**changes)
                if updated != 1:
                    raise ConcurrentChange(
                        f"filing {self.pk} is no longer {self.get_status_display().lower()}: "
                        "someone else changed it; reload and try again"
                    )
                for name, value in changes.items():
                    setattr(self, name, value)
                self._stored_status = target
                # Listeners (the search index) write in this same transaction.
                filing_status_changed.send(Filing, filing=self, source=source, target=target)
        except BaseException:
            for name, value in before.items():
                setattr(self, name, value)
            self._stored_status = source
            raise


class FilingVersion(models.Model):
    """A frozen snapshot of a filing: its metadata and every document's SHA-256."""

    class Reason(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("filing version reason", "Submitted")
        PUBLISHED = "published", pgettext_lazy("filing version reason", "Published")
        AMENDED = "amended", pgettext_lazy("filing version reason", "Amended")

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    metadata = models.JSONField()
    documents = models.JSONField(help_text="[{id, original_name, sha256, size_bytes}]")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["filing", "number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="one_version_number"),
        ]

    def __str__(self):
        return f"{self.filing} v{self.number} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenVersionError(
                f"version {self.number} of filing {self.filing_id} is frozen; "
                "record a correction as a new version instead"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenVersionError(
            f"version {self.number} of filing {self.filing_id} is part of the record "
            "and cannot be deleted"
        )


class ContractDetails(models.Model):
    """The money side of a contract filing, in the shape OCDS publishes."""

    filing = models.OneToOneField(Filing, on_delete=models.CASCADE, related_name="contract")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. USD.")],
    )
    period_start = models.DateField()
    period_end = models.DateField()
    funding_source = models.CharField(max_length=200)
    award_date = models.DateField()

    class Meta:
        verbose_name_plural = "contract details"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="contract_period_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.vendor}: {self.currency} {self.amount:,.2f}"
