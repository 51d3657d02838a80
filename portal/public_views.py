"""Public reading views; what the public may see comes from content.filings.visibility."""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from content.filings.visibility import public_documents

MAX_QUERY_CHARACTERS = 200
MAX_SEARCH_TERMS = 20
# Control, surrogate, private-use and unassigned characters: never typed into a search box.
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class ShownPage:
    number: int
    has_text: bool
    html: SafeString
    matches: int


def _bad_query(query: str) -> str | None:
    """Why the query cannot be searched for, or None when it can."""
    if len(query) > MAX_QUERY_CHARACTERS:
        return gettext("The search is too long: use at most %(limit)d characters.") % {
            "limit": MAX_QUERY_CHARACTERS
        }
    if any(unicodedata.category(char) in _BAD_CATEGORIES for char in query):
        return gettext("The search contains control or other invisible characters; remove them.")
    return None


def search_terms(query: str) -> list[tuple[str, ...]]:
    """Words and "quoted phrases", each as its words (letters and digits), once each, in order."""
    terms: dict[tuple[str, ...], None] = {}
    for phrase, word in _TERM.findall(unicodedata.normalize("NFKC", query)):
        words = tuple(_WORD.findall((phrase or word).lower()))
        if words:
            terms[words] = None
    return list(terms)[:MAX_SEARCH_TERMS]


def matcher(terms: list[tuple[str, ...]]) -> re.Pattern | None:
    """One pattern for every term: whole words, any case; a phrase's words may be separated
    by spaces or punctuation. Longer terms come first, so a phrase wins over its own words."""
    if not terms:
        return None
    alternatives = [
        r"[\W_]+".join(re.escape(word) for word in words)
        for words in sorted(terms, key=lambda words: -sum(map(len, words)))
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None) -> tuple[SafeString, int]:
    """The text as paragraphs (like the linebreaks filter), every piece HTML-escaped before
    any <mark> is placed around a match; and how many matches there were."""
    paragraphs, count = [], 0
    for paragraph in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        if not paragraph.strip():
            continue
        pieces, position = [], 0
        if pattern is not None:
            for match in pattern.finditer(paragraph):
                pieces.append(html.escape(paragraph[position : match.start()]))
                pieces.append(f"<mark>{html.escape(match.group())}</mark>")
                position = match.end()
                count += 1
        pieces.append(html.escape(paragraph[position:]))
        paragraphs.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs)), count  # noqa: S308 - escaped above, piece by piece


def document_pages(request, pk):
    """Every page's text of a published document, each page linkable as #page-N.

    With ?q=, the pages containing its words or "phrases" are listed first and every match
    is marked in the text. The page rows are read once, in order, whatever the query.
    """
    query = request.GET.get("q", "")
    problem = _bad_query(query)
    if problem:
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
    query = query.strip()
    document = get_object_or_404(public_documents().select_related("filing__agency"), pk=pk)
    pattern = matcher(search_terms(query)) if query else None
    pages = []
    for page in document.pages.order_by("number").only("number", "text").iterator(2000):
        text_html, matches = highlight(page.text, pattern)
        pages.append(ShownPage(page.number, bool(text_html), text_html, matches))
    context = {
        "document": document,
        "pages": pages,
        "query": query,
        "searched": pattern is not None,
        "no_words": bool(query) and pattern is None,
        "found": [page for page in pages if page.matches],
    }
    return render(request, "public/document_pages.html", context)
