from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from public_api import views

app_name = "public_api"

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("technologies", views.TechnologyViewSet, basename="technology")
router.register("vendors", views.VendorViewSet, basename="vendor")
router.register("filings", views.FilingViewSet, basename="filing")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [
    *router.urls,
    path(
        "documents/<int:document_id>/pages/",
        views.DocumentPageList.as_view(),
        name="document-pages",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The reference inside the site's own frame; its start-up script is a separate file, so
    # the page has no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="public_api:schema", template_name="public_api/docs.html"
        ),
        name="docs",
    ),
]
