"""The portal's URLs plus /bench/trivial/: a fixed response, the benchmark's baseline."""

from django.http import HttpResponse
from django.urls import path

from portal import urls as portal_urls

TRIVIAL_BODY = b"ok\n"


def trivial(request):
    return HttpResponse(TRIVIAL_BODY, content_type="text/plain")


# First, so that Wagtail's catch-all page route never sees the path. The portal's list is
# spliced in, not included: its language-prefixed part may only sit at the top level.
urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    *portal_urls.urlpatterns,
]
