from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.public_views import document_pages
from search.views import search_json, search_page

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("editorial-documents/", include(wagtaildocs_urls)),
    path("agency/", include("submissions.urls")),
    path("search/", search_page, name="search"),
    path("search.json", search_json, name="search_json"),
    path("api/v1/", include("public_api.urls")),
    path("documents/<int:pk>/", document_pages, name="document_pages"),
    path("", include("accountability.urls")),
    path("", include("browse.urls")),
    # The publication log, public filing pages and published files.
    path("", include("publication.urls")),
    path("", include("opendata.urls")),
    # Atom feeds and saved-search email alerts.
    path("", include("subscriptions.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only editorial images are served straight from media; filing documents are
    # private until published and never get a direct URL.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images"
    )

# Wagtail's page tree serves every path not matched above.
urlpatterns += [path("", include(wagtail_urls))]
