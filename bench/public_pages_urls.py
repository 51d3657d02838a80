"""The portal's URLs plus /bench/trivial/: a fixed response, the benchmark's baseline."""

from django.http import HttpResponse
from django.urls import include, path

TRIVIAL_BODY = b"ok\n"


def trivial(request):
    return HttpResponse(TRIVIAL_BODY, content_type="text/plain")


# First, so that Wagtail's catch-all page route never sees the path.
urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("portal.urls")),
]
