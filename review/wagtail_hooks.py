"""The review queue in the staff admin, and its actions' entries in filings' history."""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import LogFormatter

from content.filings.models import Status
from review import services
from review.access import can_review
from review.views import DocumentFileView, QueueView, ReviewActionView, ReviewView


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


class ReviewQueueViewSet(ViewSet):
    name = "review"
    icon = "tasks"
    menu_label = "Review queue"
    menu_order = 140
    add_to_admin_menu = True
    menu_item_class = ReviewerMenuItem

    def get_urlpatterns(self):
        queue = {
            "index_url_name": self.get_url_name("index"),
            "index_results_url_name": self.get_url_name("index_results"),
        }
        return [
            path("", QueueView.as_view(**queue), name="index"),
            path("results/", QueueView.as_view(**queue, results_only=True), name="index_results"),
            path("<int:pk>/", ReviewView.as_view(), name="detail"),
            path("<int:pk>/<slug:action>/", ReviewActionView.as_view(), name="act"),
            path(
                "<int:pk>/documents/<int:document>/file/",
                DocumentFileView.as_view(),
                name="document_file",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_review_queue():
    return ReviewQueueViewSet()


@hooks.register("register_permissions")
def register_review_permission():
    return Permission.objects.filter(content_type__app_label="review", codename="change_review")


def status_label(value) -> str:
    try:
        return Status(value).label.lower()
    except ValueError:
        return str(value)


def local_time(value) -> str:
    moment = parse_datetime(value or "")
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "?"


class ReviewLogFormatter(LogFormatter):
    """A review action as "<what was done> (<from status> → <to status>)"."""

    def describe(self, data: dict) -> str:
        return self.message

    def format_message(self, log_entry):
        data = log_entry.data or {}
        source, target = data.get("from_status"), data.get("to_status")
        states = (
            status_label(source)
            if source == target
            else f"{status_label(source)} → {status_label(target)}"
        )
        return f"{self.describe(data)} ({states})"

    def format_comment(self, log_entry):
        data = log_entry.data or {}
        return data.get("comment") or data.get("reason") or ""


class Published(ReviewLogFormatter):
    label = "Review: publish"

    def describe(self, data):
        if data.get("scheduled_for"):
            return f"Published as scheduled for {local_time(data['scheduled_for'])}"
        return "Published"


class Scheduled(ReviewLogFormatter):
    label = "Review: schedule publication"

    def describe(self, data):
        return f"Scheduled publication for {local_time(data.get('publish_at'))}"


class ScheduledPublicationRefused(ReviewLogFormatter):
    label = "Review: scheduled publication refused"

    def describe(self, data):
        return "Scheduled publication refused: " + "; ".join(data.get("problems", []))


class Assigned(ReviewLogFormatter):
    label = "Review: assign"

    def describe(self, data):
        if data.get("assigned_to"):
            return f"Assigned to {data['assigned_to']}"
        return "Unassigned"


class ChecklistSaved(ReviewLogFormatter):
    label = "Review: checklist"

    def describe(self, data):
        parts = []
        if data.get("ticked"):
            parts.append("ticked " + ", ".join(data["ticked"]))
        if data.get("unticked"):
            parts.append("unticked " + ", ".join(data["unticked"]))
        return "Checklist: " + "; ".join(parts)


def simple(label: str, message: str) -> type[ReviewLogFormatter]:
    return type(
        "SimpleReviewLogFormatter", (ReviewLogFormatter,), {"label": label, "message": message}
    )


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    formatters = {
        services.START: simple("Review: start", "Started review"),
        services.REQUEST_CHANGES: simple("Review: request changes", "Requested changes"),
        services.ACCEPT: simple("Review: accept", "Accepted"),
        services.PUBLISH: Published,
        services.SCHEDULE: Scheduled,
        services.UNSCHEDULE: simple("Review: cancel schedule", "Cancelled scheduled publication"),
        services.SCHEDULED_PUBLISH_REFUSED: ScheduledPublicationRefused,
        services.REJECT: simple("Review: reject", "Rejected"),
        services.UNPUBLISH: simple("Review: unpublish", "Unpublished"),
        services.ASSIGN: Assigned,
        services.NOTE: simple("Review: internal note", "Added an internal note"),
        services.COMMENT: simple("Review: comment to agency", "Commented to the agency"),
        services.CHECKLIST: ChecklistSaved,
    }
    for action, formatter in formatters.items():
        actions.register_action(action)(formatter)
