"""A filing's documents in the agency portal: upload, download, status, removal.

Every file goes through search.ingestion's ingest_document, which judges it by its bytes
and either stores both the object and the Document row or neither. Large files may go
straight from the browser to an S3 bucket (submissions.direct_upload) and are then fetched
and ingested the same way.
"""

import logging
import unicodedata
from functools import partial

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, transaction
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from content.documents.models import MEDIA_TYPE_EXTENSIONS
from search.ingestion.errors import IngestionError
from search.ingestion.service import describe_size, ingest_document
from submissions import direct_upload
from submissions.access import Action, agency_view

FILE_FIELD = "file"
ACCEPTED_TYPES_HINT = gettext_lazy("PDF, CSV or Excel workbook (.xlsx)")
# Browsers offer these in the file picker; the server still judges the bytes.
ACCEPT_ATTRIBUTE = ",".join([*MEDIA_TYPE_EXTENSIONS.values(), *MEDIA_TYPE_EXTENSIONS])
SHORT_HASH_CHARACTERS = 12
NO_FILE_MESSAGE = gettext_lazy(
    "No file arrived. Choose a file, then press Upload; if you had chosen one, the upload was "
    "interrupted, so try again."
)
# What storage or the database raise when they fail; ingestion has undone its work by then.
STORING_FAILURES = (OSError, BotoCoreError, ClientError, DatabaseError)

logger = logging.getLogger(__name__)


def panel_context(access, filing) -> dict:
    """What the documents panel shows on a filing's pages (see templatetags/document_panel)."""
    edit_refusal = access.refusal(filing, Action.EDIT)
    return {
        "access": access,
        "filing": filing,
        "documents": filing.documents.order_by("created_at", "pk"),
        "edit_refusal": edit_refusal,
        "editable": edit_refusal is None,
        "file_field": FILE_FIELD,
        "accept": ACCEPT_ATTRIBUTE,
        "accepted_types": ACCEPTED_TYPES_HINT,
        "max_size": describe_size(settings.DOCUMENT_MAX_UPLOAD_BYTES),
        "short_hash_characters": SHORT_HASH_CHARACTERS,
        "direct_upload_available": direct_upload.available(),
    }


def back_to_documents(access, filing):
    url = reverse(
        "submissions:filing_edit", kwargs={"agency": access.agency.slug, "filing": filing.pk}
    )
    return redirect(f"{url}#documents")


def shown_name(original_name: str) -> str:
    """The uploader's file name without control or direction-flipping characters, for a
    message about a file that was not stored (stored ones have a cleaned name already)."""
    return "".join(c for c in original_name if unicodedata.category(c)[0] != "C")


def ingest_and_report(request, access, filing, source, original_name):
    """Ingest one file and tell the person what became of it, by name."""
    try:
        document = ingest_document(filing, source, original_name, by=access.user)
    except IngestionError as error:
        messages.error(
            request,
            _("“%(name)s” was not uploaded. %(error)s")
            % {"name": shown_name(original_name), "error": error},
        )
    except STORING_FAILURES:
        logger.exception("Storing an upload to filing %s failed", filing.pk)
        messages.error(
            request,
            _(
                "“%(name)s” was not uploaded: the portal could not store it just now, and kept "
                "nothing of it. Try again in a few minutes; if it keeps failing, tell oversight "
                "staff."
            )
            % {"name": shown_name(original_name)},
        )
    else:
        messages.success(
            request,
            _(
                "“%(name)s” was uploaded. Its text is being extracted; "
                "the status in the documents list shows when that is done."
            )
            % {"name": document.original_name},
        )


@require_POST
@agency_view
def document_upload(request, access, filing):
    filing = access.filing(filing)
    access.require(filing, Action.EDIT)
    upload = request.FILES.get(FILE_FIELD)
    if upload is None:
        # An interrupted upload arrives the same way as none: Django drops the partial file.
        messages.error(request, NO_FILE_MESSAGE)
    else:
        ingest_and_report(request, access, filing, upload, upload.name)
    return back_to_documents(access, filing)


@require_GET
@agency_view
def document_download(request, access, filing, document):
    document = access.document(access.filing(filing), document)
    response = FileResponse(
        direct_upload.open_stream(document.file.storage, document.file.name),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.media_type,
    )
    response["Content-Length"] = str(document.size_bytes)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@agency_view
def document_remove(request, access, filing, document):
    filing = access.filing(filing)
    document = access.document(filing, document)
    access.require(filing, Action.EDIT)
    if document.redaction_of_id is not None:
        messages.error(
            request,
            _(
                "“%(name)s” is the public version oversight staff redacted; "
                "only they can remove it. Removing your original removes it too."
            )
            % {"name": document.original_name},
        )
        return back_to_documents(access, filing)
    stored_name = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        document.delete()
        # The object goes only once the row is gone for good, so a rollback loses nothing;
        # a failed delete is logged (robust) rather than shown for a removal that happened.
        transaction.on_commit(partial(storage.delete, stored_name), robust=True)
    messages.success(
        request,
        _("“%(name)s” was removed from this filing.") % {"name": document.original_name},
    )
    return back_to_documents(access, filing)


@require_GET
@agency_view
def document_status(request, access, filing, document):
    document = access.document(access.filing(filing), document)
    response = JsonResponse(
        {
            "processing": document.processing,
            "processing_display": document.get_processing_display(),
            "page_count": document.page_count,
            "error": document.processing_error,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@agency_view
def direct_upload_form(request, access, filing):
    filing = access.filing(filing)
    access.require(filing, Action.EDIT)
    if not direct_upload.available():
        messages.info(request, _("Files are uploaded through the portal here; use the form below."))
        return back_to_documents(access, filing)
    done_url = request.build_absolute_uri(
        reverse(
            "submissions:direct_upload_done",
            kwargs={"agency": access.agency.slug, "filing": filing.pk},
        )
    )
    form = direct_upload.issue(filing, access.user, done_url)
    return render(
        request,
        "submissions/documents/direct_upload.html",
        {
            "access": access,
            "filing": filing,
            "form": form,
            "max_size": describe_size(settings.DOCUMENT_MAX_UPLOAD_BYTES),
            "expiry_minutes": direct_upload.EXPIRY_SECONDS // 60,
        },
    )


@require_GET
@agency_view
def direct_upload_done(request, access, filing):
    filing = access.filing(filing)
    try:
        with direct_upload.claim(filing, access.user, request.GET.get("key", "")) as arrived:
            # Checked after claiming, so a file that may no longer be added is still deleted.
            access.require(filing, Action.EDIT)
            ingest_and_report(request, access, filing, arrived.body, arrived.original_name)
    except direct_upload.DirectUploadError as error:
        messages.error(request, str(error))
    return back_to_documents(access, filing)


DOCUMENT = "<slug:agency>/filings/<int:filing>/documents/"
urlpatterns = [
    path(f"{DOCUMENT}", document_upload, name="document_upload"),
    path(f"{DOCUMENT}direct/", direct_upload_form, name="direct_upload"),
    path(f"{DOCUMENT}direct/done/", direct_upload_done, name="direct_upload_done"),
    path(f"{DOCUMENT}<int:document>/", document_download, name="document_download"),
    path(f"{DOCUMENT}<int:document>/remove/", document_remove, name="document_remove"),
    path(f"{DOCUMENT}<int:document>/status.json", document_status, name="document_status"),
]
