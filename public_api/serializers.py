"""What the public API shows of each record: public fields and links, never staff-only ones."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content.agencies.models import Agency
from content.documents.models import Document, DocumentPage
from content.filings.models import Filing
from content.technologies.models import Technology
from content.vendors.models import Vendor


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class AgencySerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="public_api:agency-detail", lookup_field="slug"
    )

    class Meta:
        model = Agency
        fields = ("url", "slug", "name", "abbreviation", "website", "description")


class TechnologySerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="public_api:technology-detail", lookup_field="slug"
    )
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Technology
        fields = ("url", "slug", "name", "category", "category_label", "description")


class VendorSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="public_api:vendor-detail", lookup_field="slug"
    )

    class Meta:
        model = Vendor
        fields = ("url", "slug", "name", "website", "description")


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="public_api:document-detail")
    filing = serializers.HyperlinkedRelatedField(
        view_name="public_api:filing-detail", read_only=True
    )
    filing_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField()
    reading_url = serializers.SerializerMethodField()
    pages_url = serializers.SerializerMethodField()
    redacted = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = (
            "id",
            "url",
            "filing",
            "filing_id",
            "name",
            "media_type",
            "size_bytes",
            "sha256",
            "page_count",
            # Not the redaction note: staff write it for the filing's history and it may say
            # what was removed (redaction.services keeps it private).
            "redacted",
            "download_url",
            "reading_url",
            "pages_url",
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str:
        return absolute(
            self.context.get("request"), reverse("publication:file", args=[document.pk])
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_reading_url(self, document) -> str:
        return absolute(self.context.get("request"), reverse("document_pages", args=[document.pk]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_pages_url(self, document) -> str:
        return absolute(
            self.context.get("request"),
            reverse("public_api:document-pages", kwargs={"document_id": document.pk}),
        )

    def get_redacted(self, document) -> bool:
        return document.redaction_of_id is not None


class DocumentPageSerializer(serializers.ModelSerializer):
    reading_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentPage
        fields = ("number", "text", "reading_url")

    @extend_schema_field(OpenApiTypes.URI)
    def get_reading_url(self, page) -> str:
        path = reverse("document_pages", args=[page.document_id])
        return absolute(self.context.get("request"), f"{path}#page-{page.number}")


class FilingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="public_api:filing-detail")
    public_url = serializers.SerializerMethodField()
    kind_label = serializers.CharField(read_only=True)
    agency = AgencySerializer(read_only=True)
    technologies = TechnologySerializer(many=True, read_only=True)
    documents = DocumentSerializer(source="public_document_list", many=True, read_only=True)
    details = serializers.JSONField(
        read_only=True, help_text="The kind-specific fields the rulebook defines, by name."
    )

    class Meta:
        model = Filing
        fields = (
            "id",
            "url",
            "public_url",
            "title",
            "kind",
            "kind_label",
            "agency",
            "technologies",
            "summary",
            "details",
            "reporting_period_start",
            "reporting_period_end",
            "due_on",
            "published_at",
            "documents",
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, filing) -> str:
        return absolute(
            self.context.get("request"), reverse("publication:filing", args=[filing.pk])
        )


class SearchPageHitSerializer(serializers.Serializer):
    document_id = serializers.IntegerField()
    document_name = serializers.CharField()
    page_number = serializers.IntegerField()
    snippet_html = serializers.CharField(help_text="The page's text, matching words in <mark>.")
    reading_url = serializers.URLField()


class SearchHitSerializer(serializers.Serializer):
    filing_id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    agency = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField()
    snippet_html = serializers.CharField()
    url = serializers.URLField(help_text="The filing in this API.")
    public_url = serializers.URLField(help_text="The filing's public page.")
    pages = SearchPageHitSerializer(many=True)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())
    degraded = serializers.BooleanField(
        help_text="True when the search engine was down and the database index answered."
    )
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    hits = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
