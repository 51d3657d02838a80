import re

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.http import split_header_value

# The agency portal (in any language) and the staff admin: every page there is either
# someone's own work or a form with their CSRF token.
PRIVATE_PATHS = re.compile(r"^/(?:[a-z]{2}/)?agency/|^/admin/|^/django-admin/")


def is_signed_in(request) -> bool:
    """Whether someone is signed in, looking at the session only when a session cookie came:
    looking at request.user otherwise would mark every public page as varying by cookie
    (Vary: Cookie), which no shared cache could then serve to a second reader."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def no_store_for_private_pages(get_response):
    """Drafts, previews and anything shown to a signed-in person must not be kept by the
    browser's cache or any shared cache between it and the portal (Cache-Control: no-store).
    """

    def middleware(request):
        response = get_response(request)
        if is_signed_in(request) or PRIVATE_PATHS.match(request.path_info):
            add_never_cache_headers(response)
        return response

    return middleware


def language_from_the_address_only(get_response):
    """Drop the Vary: Accept-Language that Django's LocaleMiddleware adds to every address
    without a language prefix. Here the address alone picks the language (English without a
    prefix, prefix_default_language=False; Spanish under /es/): the answer never depends on
    the browser's languages, and the header would split a shared cache's one copy of each
    public page into one per Accept-Language value."""

    def middleware(request):
        response = get_response(request)
        if response.has_header("Vary"):
            kept = [
                field
                for field in split_header_value(response["Vary"])
                if field.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response

    return middleware
