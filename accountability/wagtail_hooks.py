"""The Compliance page in the staff admin menu, and its URLs."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accountability.staff_views import AgencyComplianceView, ComplianceOverviewView
from submissions.access import is_oversight_staff

urlpatterns = [
    path("", ComplianceOverviewView.as_view(), name="overview"),
    path("<slug:agency_slug>/", AgencyComplianceView.as_view(), name="agency"),
]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_oversight_staff(request.user)


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [path("compliance/", include((urlpatterns, "compliance_admin")))]


@hooks.register("register_admin_menu_item")
def register_compliance_menu_item():
    return StaffMenuItem(
        "Compliance", reverse("compliance_admin:overview"), icon_name="tasks", order=160
    )
