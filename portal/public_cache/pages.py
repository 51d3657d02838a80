"""Rendered public pages shared by anonymous readers until the public record changes."""

from functools import wraps
from hashlib import sha256

from django.core.cache import cache
from django.template.response import SimpleTemplateResponse
from django.utils import timezone

from portal.middleware import is_signed_in
from portal.public_cache.invalidation import current_revision

# Stale copies are never served (the key moves with the record); this only bounds memory.
PUBLIC_PAGE_CACHE_SECONDS = 60 * 60


def cache_public_page(view):
    """Serve anonymous GETs from the cache, keyed by the record's revision, today's date
    (deadlines fall due at midnight) and the full address (language prefix and query)."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method != "GET" or is_signed_in(request):
            return view(request, *args, **kwargs)
        address = request.build_absolute_uri()
        fingerprint = f"{current_revision()}:{timezone.localdate()}:{address}"
        key = "public-page:" + sha256(fingerprint.encode()).hexdigest()
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse):
                response.render()
            # Only complete answers without anything personal are shared: no cookies and no
            # form carrying this reader's CSRF token.
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            if response.status_code == 200 and not personal:
                cache.set(key, response, PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return cached_view
