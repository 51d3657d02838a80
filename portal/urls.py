from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csp import csp_override
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from portal.public_cache.pages import cache_public_page
from portal.public_views import document_pages
from portal.sitemaps import public_sitemap
from search.views import search_json, search_page

# The staff admin's markup is Wagtail's and Django's, with inline script and style.
staff_admin_csp = csp_override(settings.STAFF_ADMIN_CSP)
admin_urls, admin_app, admin_namespace = admin.site.urls

# Staff tools and machine-readable endpoints have one address whatever the reader's language.
urlpatterns = [
    path(
        "django-admin/",
        include((decorate_urlpatterns(admin_urls, staff_admin_csp), admin_app), admin_namespace),
    ),
    path("admin/", include(decorate_urlpatterns(wagtailadmin_urls.urlpatterns, staff_admin_csp))),
    path("editorial-documents/", include(wagtaildocs_urls)),
    path("search.json", search_json, name="search_json"),
    path("api/v1/", include("public_api.urls")),
    path("sitemap.xml", public_sitemap, name="sitemap"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only editorial images are served straight from media; filing documents are
    # private until published and never get a direct URL.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images"
    )

# Pages people read: English at /..., Spanish at /es/.... The prefix, not a cookie or the
# browser's Accept-Language, picks the language, so every page has one linkable, cacheable
# address per language.
urlpatterns += i18n_patterns(
    path("agency/", include("submissions.urls")),
    path("search/", cache_public_page(search_page), name="search"),
    path("documents/<int:pk>/", cache_public_page(document_pages), name="document_pages"),
    path("", include("accountability.urls")),
    path("", include("browse.urls")),
    # The publication log, public filing pages and published files.
    path("", include("publication.urls")),
    path("", include("opendata.urls")),
    # Atom feeds and saved-search email alerts.
    path("", include("subscriptions.urls")),
    # Wagtail's page tree serves every path not matched above.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
