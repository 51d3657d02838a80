import re

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# The agency portal (in any language) and the staff admin: every page there is either
# someone's own work or a form with their CSRF token.
PRIVATE_PATHS = re.compile(r"^/(?:[a-z]{2}/)?agency/|^/admin/|^/django-admin/")


def no_store_for_private_pages(get_response):
    """Drafts, previews and anything shown to a signed-in person must not be kept by the
    browser's cache or any shared cache between it and the portal (Cache-Control: no-store).
    """

    def middleware(request):
        response = get_response(request)
        # Only a request carrying a session cookie can be signed in; looking at request.user
        # otherwise would mark every public page as varying by cookie.
        signed_in = (
            settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
        )
        if signed_in or PRIVATE_PATHS.match(request.path_info):
            add_never_cache_headers(response)
        return response

    return middleware
