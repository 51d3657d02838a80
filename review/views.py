"""The review queue and the review page in the Wagtail admin, for oversight staff only."""

from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from content.agencies.models import Agency, Membership
from content.documents.models import Document
from content.filings.models import Filing, Status
from content.rulebook.rules import get_rulebook
from portal.markdown import render_markdown
from review import forms as review_forms
from review import services
from review.access import ReviewerRequiredMixin, require_reviewer, reviewers
from review.checklist import build_checklist, item_names
from review.models import Review
from submissions.access import REPLYABLE
from submissions.direct_upload import open_stream
from submissions.models import FilingMessage

# The filings waiting on oversight staff, or on the agency after staff asked for changes.
QUEUE_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ACCEPTED)
ACTIVITY_SHOWN = 30


def review_url(filing) -> str:
    return reverse("review:detail", args=[filing.pk])


def age_in_days(filing) -> int | None:
    if filing.submitted_at is None:
        return None
    return (timezone.now() - filing.submitted_at).days


def assignee_of(filing):
    review = getattr(filing, "review", None)
    return review.assigned_to if review else None


def assignee_choices():
    return [
        ("mine", "Me"),
        ("nobody", "Nobody"),
        *((str(user.pk), str(user)) for user in reviewers()),
    ]


def kind_choices():
    return get_rulebook().choices()


class QueueFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=[(status.value, status.label) for status in QUEUE_STATUSES]
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=kind_choices)
    agency = django_filters.ModelChoiceFilter(
        label="Agency", queryset=Agency.objects.order_by("name")
    )
    assignee = django_filters.ChoiceFilter(
        label="Assigned to", choices=assignee_choices, method="filter_assignee"
    )

    class Meta:
        model = Filing
        fields = ["status", "kind", "agency", "assignee"]

    def filter_assignee(self, queryset, name, value):
        if value == "mine":
            return queryset.filter(review__assigned_to=self.request.user)
        if value == "nobody":
            return queryset.filter(review__assigned_to__isnull=True)
        return queryset.filter(review__assigned_to_id=value)


class QueueView(ReviewerRequiredMixin, IndexView):
    model = Filing
    template_name = "review/queue.html"
    page_title = "Review queue"
    header_icon = "tasks"
    filterset_class = QueueFilterSet
    default_ordering = "submitted_at"
    any_permission_required = None
    paginate_by = 50
    search_fields = ["title"]

    def get_base_queryset(self):
        return Filing.objects.filter(status__in=QUEUE_STATUSES).select_related(
            "agency", "review__assigned_to"
        )

    def order_queryset(self, queryset):
        ordered = super().order_queryset(queryset)
        # The pk keeps filings submitted at the same moment in one order across pages.
        return ordered.order_by(*ordered.query.order_by, "pk")

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label="Filing", get_url=review_url, sort_key="title"),
            Column("kind_label", label="Kind", sort_key="kind"),
            Column("agency", label="Agency", sort_key="agency__name"),
            Column("status", label="Status", accessor="get_status_display", sort_key="status"),
            DateColumn("submitted_at", label="Submitted", sort_key="submitted_at"),
            Column("age", label="Age (days)", accessor=age_in_days),
            Column("assignee", label="Assigned to", accessor=assignee_of),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filters:
            # The same filters as a plain form, for browsers without JavaScript.
            context["plain_filter_form"] = type(self.filters.form)(
                self.request.GET or None, auto_id="plain_filter_%s"
            )
        return context


@dataclass(frozen=True)
class ReviewAction:
    """One thing staff can do on the review page: its form, when it is offered, and what
    it does. `perform` returns the message telling the person it was done."""

    form_class: type[forms.Form]
    offered: Callable[[Filing, Review], bool]
    perform: Callable[[Filing, str, object, dict], str]


def _start(filing, seen, user, data):
    services.start_review(filing, seen, user)
    return "Review started. The filing is in review."


def _request_changes(filing, seen, user, data):
    services.request_changes(filing, seen, user, data["comment"])
    return "Changes requested. The agency is emailed your comment."


def _accept(filing, seen, user, data):
    services.accept(filing, seen, user)
    return "Accepted. The agency is told by email."


def _publish(filing, seen, user, data):
    services.publish_now(filing, seen, user)
    return "Published. The filing is on the public site."


def _schedule(filing, seen, user, data):
    services.schedule_publication(filing, seen, user, data["publish_at"])
    when = timezone.localtime(data["publish_at"]).strftime("%Y-%m-%d %H:%M")
    return f"Scheduled: the filing will be published at {when} if it is still accepted then."


def _unschedule(filing, seen, user, data):
    services.cancel_schedule(filing, seen, user)
    return "The scheduled publication is cancelled."


def _reject(filing, seen, user, data):
    services.reject(filing, seen, user, data["reason"])
    return "Rejected. The agency sees your reason on their filing page."


def _unpublish(filing, seen, user, data):
    services.unpublish(filing, seen, user, data["reason"])
    return "Unpublished. The filing is off the public site; its history stays public."


def _assign(filing, seen, user, data):
    assignee = data["assignee"]
    services.assign(filing, seen, user, assignee)
    if assignee is None:
        return "The filing is no longer assigned to anyone."
    return "Assigned to you." if assignee == user else f"Assigned to {assignee}."


def _note(filing, seen, user, data):
    services.add_internal_note(filing, seen, user, data["body"])
    return "Internal note added. Only oversight staff can see it."


def _comment(filing, seen, user, data):
    services.comment_to_agency(filing, seen, user, data["body"])
    return "Comment sent. The agency sees it on their filing page."


def _checklist(filing, seen, user, data):
    changed = services.save_checklist(filing, seen, user, data["ticked"])
    return "Checklist saved." if changed else "The checklist already said that; nothing changed."


def _open(filing, review) -> bool:
    return filing.status in QUEUE_STATUSES


ACTIONS = {
    "start": ReviewAction(
        review_forms.ReviewActionForm,
        lambda filing, review: services.may_move(filing, Status.IN_REVIEW),
        _start,
    ),
    "request_changes": ReviewAction(
        review_forms.RequestChangesForm,
        lambda filing, review: services.may_move(filing, Status.CHANGES_REQUESTED),
        _request_changes,
    ),
    "accept": ReviewAction(
        review_forms.ReviewActionForm,
        lambda filing, review: services.may_move(filing, Status.ACCEPTED),
        _accept,
    ),
    "publish": ReviewAction(
        review_forms.ReviewActionForm,
        lambda filing, review: services.may_move(filing, Status.PUBLISHED),
        _publish,
    ),
    "schedule": ReviewAction(
        review_forms.ScheduleForm,
        lambda filing, review: filing.status == Status.ACCEPTED,
        _schedule,
    ),
    "unschedule": ReviewAction(
        review_forms.ReviewActionForm,
        lambda filing, review: filing.status == Status.ACCEPTED and review.publish_at is not None,
        _unschedule,
    ),
    "reject": ReviewAction(
        review_forms.RejectForm,
        lambda filing, review: services.may_move(filing, Status.REJECTED),
        _reject,
    ),
    "unpublish": ReviewAction(
        review_forms.UnpublishForm,
        lambda filing, review: filing.status == Status.PUBLISHED,
        _unpublish,
    ),
    "assign": ReviewAction(review_forms.AssignForm, _open, _assign),
    "note": ReviewAction(review_forms.NoteForm, lambda filing, review: True, _note),
    "comment": ReviewAction(
        review_forms.CommentForm, lambda filing, review: filing.status in REPLYABLE, _comment
    ),
    "checklist": ReviewAction(review_forms.ChecklistForm, _open, _checklist),
}


# The actions that decide where the filing goes, shown together.
DECISIONS = (
    "start",
    "accept",
    "publish",
    "unschedule",
    "request_changes",
    "schedule",
    "reject",
    "unpublish",
)


def thread_of(filing) -> list[dict]:
    """Every message on the filing, internal notes included, oldest first."""
    agency_people = set(
        Membership.objects.filter(agency=filing.agency_id).values_list("user_id", flat=True)
    )
    return [
        {
            "message": message,
            "internal": message.audience == FilingMessage.Audience.INTERNAL,
            "from_agency": message.author_id in agency_people,
            "author": str(message.author) if message.author else "A former user",
            "body": render_markdown(message.body),
        }
        for message in filing.messages.select_related("author").order_by("created_at", "pk")
    ]


def kept_text(form) -> str:
    """What the person typed into a form the page no longer offers, so it is not lost."""
    if form is None:
        return ""
    typed = (form.data.get(name, "").strip() for name in ("comment", "reason", "body"))
    return next((text for text in typed if text), "")


class ReviewView(WagtailAdminTemplateMixin, TemplateView):
    """Everything about one filing a reviewer needs, and every action open to them now."""

    template_name = "review/review.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        # Before the lookup, so nobody else learns which filings exist.
        require_reviewer(request.user)
        self.load(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def load(self, pk) -> None:
        self.filing = get_object_or_404(
            Filing.objects.select_related("agency", "contract__vendor"), pk=pk
        )
        self.review = Review.objects.filter(filing=self.filing).first() or Review(
            filing=self.filing
        )

    def get_page_title(self):
        return "Review"

    def get_page_subtitle(self):
        return self.filing.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("review:index"), "label": "Review queue"},
            {"url": "", "label": self.filing.title},
        ]

    def fresh_forms(self) -> dict:
        forms_by_action = {}
        for name, action in ACTIONS.items():
            if not action.offered(self.filing, self.review):
                continue
            kwargs = {"filing": self.filing, "auto_id": f"{name}-%s"}
            if name == "checklist":
                kwargs["item_names"] = item_names(self.filing)
            if name == "assign":
                kwargs["initial"] = {"assignee": self.review.assigned_to}
            forms_by_action[name] = action.form_class(**kwargs)
        return forms_by_action

    def get_context_data(self, bound_action=None, bound_form=None, refusal=None, **kwargs):
        forms_by_action = self.fresh_forms()
        if bound_action in forms_by_action:
            # What the person typed stays in the form they used.
            forms_by_action[bound_action] = bound_form
        context = super().get_context_data(**kwargs)
        context.update(
            filing=self.filing,
            review=self.review,
            checklist=build_checklist(self.filing, self.review.checklist),
            details=self.details(),
            documents=self.filing.documents.order_by("pk").prefetch_related("pages"),
            thread=thread_of(self.filing),
            forms=forms_by_action,
            decisions_open=any(name in forms_by_action for name in DECISIONS),
            summary_html=render_markdown(self.filing.summary),
            assign_to_me="assign" in forms_by_action
            and self.review.assigned_to != self.request.user,
            refusal=refusal,
            problems=getattr(refusal, "problems", None),
            kept_text=kept_text(bound_form) if bound_action not in forms_by_action else "",
            activity=self.activity(),
            history_url=reverse("filings:history", args=[self.filing.pk]),
            age_in_days=age_in_days(self.filing),
        )
        return context

    def details(self) -> list[dict]:
        """The kind's fields with what the agency wrote, in the rulebook's order."""
        values = self.filing.details if isinstance(self.filing.details, dict) else {}
        return [
            {
                "label": rule.label,
                "value": values.get(rule.name),
                "markdown": rule.type == "markdown",
                "html": render_markdown(values.get(rule.name)) if rule.type == "markdown" else None,
            }
            for rule in self.filing.kind_rules.fields
        ]

    def activity(self) -> list:
        log_model = log_registry.get_log_model_for_instance(self.filing)
        return list(
            log_model.objects.for_instance(self.filing).select_related("user")[:ACTIVITY_SHOWN]
        )


class ReviewActionView(ReviewView):
    """POST only: carry out one action, then back to the review page; on a refusal or an
    invalid form, the review page again with what the person typed and why."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        try:
            review_action = ACTIONS[action]
        except KeyError:
            raise Http404("No such review action.") from None
        form = self.bound_form(action, review_action)
        if not form.is_valid():
            if "status" in form.errors:
                return self.refuse(
                    action,
                    form,
                    services.ReviewRefused(
                        "The form did not say which status it was shown for; reload the page "
                        "and try again. Nothing was changed."
                    ),
                    status=400,
                    offer_form_back=False,
                )
            return self.render_to_response(
                self.get_context_data(bound_action=action, bound_form=form), status=400
            )
        try:
            done = review_action.perform(
                self.filing, form.cleaned_data["status"], request.user, form.cleaned_data
            )
        except services.StaleFiling as stale:
            # Show the filing as it is now; the stale form is not offered back.
            self.load(pk)
            return self.refuse(action, form, stale, status=409, offer_form_back=False)
        except services.ReviewRefused as refused:
            return self.refuse(action, form, refused, status=409)
        messages.success(request, done)
        # 303: the browser fetches the page with GET, so reloading never repeats the action.
        return HttpResponseRedirect(review_url(self.filing), status=303)

    def bound_form(self, action, review_action):
        kwargs = {"data": self.request.POST, "filing": self.filing, "auto_id": f"{action}-%s"}
        if action == "checklist":
            kwargs["item_names"] = item_names(self.filing)
        return review_action.form_class(**kwargs)

    def refuse(self, action, form, refusal, status, offer_form_back=True):
        context = self.get_context_data(
            bound_action=action if offer_form_back else None, bound_form=form, refusal=refusal
        )
        return self.render_to_response(context, status=status)


class DocumentFileView(ReviewerRequiredMixin, View):
    """The stored file of one of the filing's documents, for staff to read in full."""

    def get(self, request, pk, document):
        document = get_object_or_404(Document, pk=document, filing_id=pk)
        response = FileResponse(
            open_stream(document.file.storage, document.file.name),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.media_type,
        )
        response["Content-Length"] = str(document.size_bytes)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
