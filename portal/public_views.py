"""Public reading views; what the public may see comes from content.filings.visibility."""

from django.shortcuts import get_object_or_404, render

from content.filings.visibility import public_documents


def document_pages(request, pk):
    """Every page's text of a published document, each page linkable as #page-N."""
    document = get_object_or_404(public_documents().select_related("filing__agency"), pk=pk)
    pages = document.pages.order_by("number")
    return render(request, "public/document_pages.html", {"document": document, "pages": pages})
