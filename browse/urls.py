from django.urls import path

from browse import views
from portal.public_cache.pages import cache_public_page

app_name = "browse"

urlpatterns = [
    path("agencies/", cache_public_page(views.agency_list), name="agencies"),
    path("agencies/<slug:slug>/", cache_public_page(views.agency_detail), name="agency"),
    path("technologies/", cache_public_page(views.technology_list), name="technologies"),
    path(
        "technologies/<slug:slug>/", cache_public_page(views.technology_detail), name="technology"
    ),
    path("vendors/", cache_public_page(views.vendor_list), name="vendors"),
    path("vendors/<slug:slug>/", cache_public_page(views.vendor_detail), name="vendor"),
    path("filings/", cache_public_page(views.filing_list), name="filings"),
]
