"""The staff admin: the record's models in one Wagtail menu group."""

from django import forms
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accountability.extension_admin import ExtensionViewSet
from accountability.inventory_admin import InventoryViewSet
from content.agencies.models import Agency, Membership
from content.documents.models import Document
from content.filings.models import Filing
from content.rulebook.rules import get_rulebook
from content.technologies.models import Technology
from content.vendors.models import Vendor
from redaction.columns import public_version_column


def kind_choices():
    """Read when each form is built, so the admin follows the rulebook file as loaded."""
    return get_rulebook().choices()


class AgencyViewSet(ModelViewSet):
    model = Agency
    icon = "group"
    form_fields = ["name", "slug", "abbreviation", "website", "contact_email", "description"]
    list_display = ["name", "abbreviation", "contact_email"]
    search_fields = ["name", "abbreviation"]
    inspect_view_enabled = True


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = "Agency staff"
    form_fields = ["user", "agency", "role"]
    list_display = ["user", "agency", "role"]
    list_filter = ["agency", "role"]


class TechnologyViewSet(ModelViewSet):
    model = Technology
    icon = "cogs"
    form_fields = ["name", "slug", "category", "description"]
    list_display = ["name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "description"]
    inspect_view_enabled = True


class VendorViewSet(ModelViewSet):
    model = Vendor
    icon = "site"
    form_fields = ["name", "slug", "website", "description"]
    list_display = ["name", "website"]
    search_fields = ["name"]
    inspect_view_enabled = True


class FilingViewSet(ModelViewSet):
    model = Filing
    icon = "doc-full"
    form_fields = [
        "kind",
        "title",
        "agency",
        "technologies",
        "reporting_period_start",
        "reporting_period_end",
        "due_on",
        "summary",
    ]
    list_display = ["title", "kind_label", "agency", "status", "due_on", "submitted_at"]
    list_filter = ["status", "agency", "kind"]
    search_fields = ["title", "summary"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "kind":
            return forms.ChoiceField(label="Kind", choices=kind_choices)
        return super().formfield_for_dbfield(db_field, **kwargs)


class DocumentViewSet(ModelViewSet):
    model = Document
    icon = "doc-full-inverse"
    menu_label = "Filing documents"
    form_fields = []
    list_display = [
        "original_name",
        "filing",
        "page_count",
        "processing",
        "processing_error",
        "ocr_pages",
        "size_bytes",
        public_version_column,
    ]
    list_filter = ["processing", "media_type"]
    search_fields = ["original_name", "sha256"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "original_name",
        "filing",
        "media_type",
        "size_bytes",
        "sha256",
        "page_count",
        "processing",
        "processing_error",
        "ocr_pages",
        "created_at",
        "redaction_of",
        "redaction_note",
    ]


class RecordViewSetGroup(ModelViewSetGroup):
    menu_label = "Record"
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (
        FilingViewSet("filings"),
        DocumentViewSet("filing_documents"),
        AgencyViewSet("agencies"),
        MembershipViewSet("agency_staff"),
        TechnologyViewSet("technologies"),
        VendorViewSet("vendors"),
        InventoryViewSet("inventory"),
        ExtensionViewSet("extensions"),
    )


@hooks.register("register_admin_viewset")
def register_record_viewsets():
    return RecordViewSetGroup()
