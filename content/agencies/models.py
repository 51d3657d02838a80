from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# The agency portal serves /agency/<slug>/ beside its own pages (/agency/sign-in/ and the
# like); an agency with one of these slugs could never reach its dashboard.
RESERVED_SLUGS = frozenset({"account", "invitations", "password-reset", "sign-in", "sign-out"})


def validate_not_reserved(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            f"{slug!r} is the name of a page of the agency portal; choose another slug, "
            "e.g. one made from the agency's name."
        )


class Agency(models.Model):
    """A city department that the ordinance requires to file."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_not_reserved])
    abbreviation = models.CharField(max_length=20, blank=True, help_text="e.g. OPD")
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's role at an agency. Agency staff see only their own agency's work."""

    class Role(models.TextChoices):
        SUBMITTER = "submitter", "Submitter"
        APPROVER = "approver", "Approver"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUBMITTER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.agency})"
