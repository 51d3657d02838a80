"""The public side of the publication log: the log itself, filing pages, published files."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from content.documents.models import MEDIA_TYPE_EXTENSIONS
from content.filings.models import Filing
from content.filings.visibility import public_documents, public_documents_of, public_filings
from portal.markdown import render_markdown
from portal.public_cache.pages import cache_public_page
from publication.history import metadata_fields, version_history
from publication.models import PublicationLogEntry

LOG_PAGE_SIZE = 50
JSON_PAGE_SIZE = 200
VERIFICATION_PROCEDURE = settings.BASE_DIR / "docs" / "verifying-the-publication-log.md"


@require_GET
def publication_log(request):
    """Every entry, newest first, each linking to its filing's page."""
    entries = PublicationLogEntry.objects.select_related("version").order_by("-sequence")
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publication/log.html", {"page": page})


def _after_sequence(request) -> int:
    raw = request.GET.get("after", "0")
    if not raw.isdigit():
        raise ValueError(f"after must be an entry's sequence number (0 or more), not {raw!r}")
    return int(raw)


@require_GET
def publication_log_json(request):
    """Every entry, oldest first, with the exact hashed text; `next` links to the rest."""
    try:
        after = _after_sequence(request)
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    entries = list(
        PublicationLogEntry.objects.filter(sequence__gt=after).order_by("sequence")[
            : JSON_PAGE_SIZE + 1
        ]
    )
    more = len(entries) > JSON_PAGE_SIZE
    entries = entries[:JSON_PAGE_SIZE]
    next_url = None
    if more:
        next_url = request.build_absolute_uri(
            f"{reverse('publication:log_json')}?after={entries[-1].sequence}"
        )
    return JsonResponse(
        {
            "entries": [
                {
                    "sequence": entry.sequence,
                    "action": entry.action,
                    "recorded_at": entry.recorded_at.isoformat(),
                    "filing_url": request.build_absolute_uri(
                        reverse("publication:filing", args=[entry.filing_id])
                    ),
                    "canonical": entry.canonical,
                    "previous_hash": entry.previous_hash,
                    "entry_hash": entry.entry_hash,
                }
                for entry in entries
            ],
            "next": next_url,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@cache_public_page
def filing_page(request, pk):
    """A filing as published, with its history; a withdrawn filing says so (status 200)."""
    entries = list(
        PublicationLogEntry.objects.filter(filing_id=pk)
        .select_related("version")
        .order_by("sequence")
    )
    if not entries:
        raise Http404(gettext("No filing with this number has been published."))
    filing = get_object_or_404(Filing.objects.select_related("agency"), pk=pk)
    filing_is_public = public_filings().filter(pk=pk).exists()
    history = version_history(entries, with_text=filing_is_public)
    # None for a filing published before the log existed and only taken down since.
    current = history[-1] if history else None
    is_public = current is not None and filing_is_public
    context = {
        "filing": filing,
        "title": entries[-1].contents["filing"]["title"],
        "is_public": is_public,
        "taken_down": None if entries[-1].makes_public else entries[-1],
        "current": current,
        "history": list(reversed(history)),
        "fields": metadata_fields(current.version.metadata) if is_public else [],
        "public_document_ids": set(public_documents_of(filing).values_list("pk", flat=True)),
    }
    return render(request, "publication/filing.html", context)


# A short shared-cache lifetime: a file taken down stops being served within minutes.
PUBLISHED_FILE_CACHE_SECONDS = 5 * 60
_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def _download_name(document) -> str:
    """The uploader's file name without path, quote or control characters, ending in the
    extension of the type the bytes were sniffed as."""
    extension = MEDIA_TYPE_EXTENSIONS.get(document.media_type, "")
    name = _UNSAFE_NAME_CHARACTERS.sub("_", document.original_name).strip(" ._")[:150]
    if extension and not name.lower().endswith(extension):
        name = f"{name}{extension}" if name else ""
    return name or f"document-{document.pk}{extension}"


@require_GET
def published_file(request, pk):
    """The stored bytes of a public document, so anyone can check its SHA-256.

    Sent as an attachment: the file opens in the reader's own PDF viewer, never as a page of
    this site (a sandboxing CSP stops browsers' built-in viewers anyway), and the accessible
    text of every page is the document page's to show.
    """
    document = get_object_or_404(public_documents(), pk=pk)
    media_type = document.media_type
    if media_type not in MEDIA_TYPE_EXTENSIONS:
        media_type = "application/octet-stream"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=_download_name(document),
        content_type=media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, public=True, max_age=PUBLISHED_FILE_CACHE_SECONDS)
    return response


@require_GET
def how_to_verify(request):
    """The verification procedure, the same text as docs/verifying-the-publication-log.md."""
    procedure = render_markdown(VERIFICATION_PROCEDURE.read_text(encoding="utf-8"))
    return render(request, "publication/how_to_verify.html", {"procedure": procedure})
