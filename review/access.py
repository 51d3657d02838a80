"""Who may use the review queue: the one place every review view asks.

Reviewers are people holding review.change_review: the Oversight staff group is
granted it (content.oversight.groups), and superusers hold every permission. Agency
staff never reach the Wagtail admin at all; anyone else signed in to the admin
without the permission is turned away before any view runs.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

REVIEW_PERMISSION = "review.change_review"


def can_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)


def require_reviewer(user) -> None:
    if not can_review(user):
        raise PermissionDenied("Only oversight staff can review filings.")


def reviewers():
    """Everyone who may be assigned a filing to review, by name."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ReviewerRequiredMixin:
    """For class-based views: refuse anyone but reviewers, for every method."""

    def dispatch(self, request, *args, **kwargs):
        require_reviewer(request.user)
        return super().dispatch(request, *args, **kwargs)
