"""The staff admin's redaction page for one document, and its removal confirmation."""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from content.documents.models import MEDIA_TYPE_EXTENSIONS, Document
from content.filings.visibility import public_documents, public_filings
from redaction.forms import RedactionForm
from redaction.services import RedactionRefused, add_redaction, remove_redaction, type_name
from search.ingestion.errors import IngestionError
from submissions.access import is_oversight_staff

# What storage or the database raise when they fail; the service has undone its work by then.
STORING_FAILURES = (OSError, BotoCoreError, ClientError, DatabaseError)

logger = logging.getLogger(__name__)


class DocumentRedactionMixin(WagtailAdminTemplateMixin):
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not is_oversight_staff(request.user):
            raise PermissionDenied
        self.original = get_object_or_404(
            Document.objects.select_related("filing__agency"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def redacted(self) -> Document | None:
        return (
            Document.objects.filter(redaction_of=self.original)
            .select_related("uploaded_by")
            .first()
        )

    @cached_property
    def filing_is_public(self) -> bool:
        return public_filings().filter(pk=self.original.filing_id).exists()

    @cached_property
    def replace_url(self) -> str:
        return reverse("redaction:replace", args=[self.original.pk])

    def get_page_subtitle(self):
        return self.original.original_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("filing_documents:index"), "label": "Filing documents"},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            original=self.original,
            redacted=self.redacted,
            filing=self.original.filing,
            filing_is_public=self.filing_is_public,
            replace_url=self.replace_url,
            **kwargs,
        )


class ReplaceView(DocumentRedactionMixin, TemplateView):
    """The original's identity, its redacted version if any, and the form to add one."""

    template_name = "redaction/replace.html"
    page_title = "Redaction"

    def get(self, request, *args, **kwargs):
        if self.original.redaction_of_id is not None:
            # A redacted version is managed from its original's page.
            return redirect("redaction:replace", self.original.redaction_of_id)
        return super().get(request, *args, **kwargs)

    def make_form(self, data=None, files=None) -> RedactionForm:
        media_type = self.original.media_type
        accept = ",".join(filter(None, [MEDIA_TYPE_EXTENSIONS.get(media_type), media_type]))
        return RedactionForm(data, files, accept=accept)

    def get_context_data(self, **kwargs):
        shown = self.redacted or self.original
        public = public_documents().filter(pk=shown.pk).exists()
        kwargs.setdefault("form", self.make_form())
        return super().get_context_data(
            public_url=reverse("document_pages", args=[shown.pk]) if public else None,
            remove_url=reverse("redaction:remove", args=[self.original.pk]),
            original_type=type_name(self.original.media_type),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.original.redaction_of_id is not None or self.redacted is not None:
            # Sent from a page that no longer shows the form (another tab, another person).
            messages.error(
                request,
                "Nothing was uploaded: this document already has a redacted version. Remove it "
                "first, then upload the new one.",
            )
            return redirect("redaction:replace", self.original.redaction_of_id or self.original.pk)
        form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            redacted = add_redaction(
                self.original, upload, upload.name, form.cleaned_data["note"], by=request.user
            )
        except (IngestionError, RedactionRefused) as refusal:
            form.add_error("file", f"The file was not stored. {refusal}")
            return self.render_to_response(self.get_context_data(form=form))
        except STORING_FAILURES:
            logger.exception("Storing a redacted version of document %s failed", self.original.pk)
            form.add_error(
                "file",
                "The file was not stored: the portal could not save it just now, and kept "
                "nothing of it. Try again in a few minutes.",
            )
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            f"“{redacted.original_name}” now replaces “{self.original.original_name}” for the "
            "public. Its text is being extracted from the redacted file for search.",
        )
        return redirect(self.replace_url)


class RemoveView(DocumentRedactionMixin, TemplateView):
    """Asks before removing the redacted version, since the original becomes public again."""

    template_name = "redaction/confirm_remove.html"
    page_title = "Remove redacted version"

    def get(self, request, *args, **kwargs):
        if self.redacted is None:
            messages.error(request, "This document has no redacted version to remove.")
            return redirect(self.replace_url)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            removed = remove_redaction(self.original, by=request.user)
        except RedactionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            shown = (
                "now sees" if self.filing_is_public else "will see, once the filing is published,"
            )
            messages.success(
                request,
                f"“{removed.original_name}” was removed. The public {shown} "
                f"“{self.original.original_name}” as the agency uploaded it.",
            )
        return redirect(self.replace_url)
