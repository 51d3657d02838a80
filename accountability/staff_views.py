"""The staff side of compliance in the admin: the public numbers plus drafts, people and links."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from content.agencies.models import Agency
from content.compliance.obligations import State, obligations_for_agencies, obligations_for_agency
from submissions.access import is_oversight_staff

STAFF_STATE_LABELS = {
    State.FILED: "Filed on time",
    State.FILED_LATE: "Filed late",
    State.OVERDUE: "Overdue",
    State.IN_PROGRESS: "Draft started",
    State.UPCOMING: "Not yet due",
}


class StaffOnlyMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not is_oversight_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ComplianceOverviewView(StaffOnlyMixin, TemplateView):
    template_name = "accountability/admin/compliance_overview.html"
    page_title = "Compliance"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        agencies = list(Agency.objects.order_by("name"))
        obligations = obligations_for_agencies(agencies, today)
        rows = []
        for agency in agencies:
            counts = Counter(obligation.state for obligation in obligations[agency.pk])
            rows.append((agency, [counts[state] for state in STAFF_STATE_LABELS], counts.total()))
        return super().get_context_data(
            rows=rows, state_labels=STAFF_STATE_LABELS.values(), today=today
        )


class AgencyComplianceView(StaffOnlyMixin, TemplateView):
    template_name = "accountability/admin/agency_compliance.html"
    page_title = "Compliance"

    def get_page_subtitle(self):
        return self.agency.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("compliance_admin:overview"), "label": "Compliance"},
            {"url": "", "label": self.agency.name},
        ]

    def get_context_data(self, **kwargs):
        self.agency = get_object_or_404(Agency, slug=self.kwargs["agency_slug"])
        today = timezone.localdate()
        obligations = obligations_for_agency(self.agency, today)
        return super().get_context_data(
            agency=self.agency,
            obligations=[
                (obligation, STAFF_STATE_LABELS[obligation.state]) for obligation in obligations
            ],
            today=today,
        )
