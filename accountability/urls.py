from django.urls import path

from accountability import views
from portal.public_cache.pages import cache_public_page

app_name = "accountability"

urlpatterns = [
    path("compliance/", cache_public_page(views.compliance_overview), name="compliance"),
    path(
        "compliance/<slug:agency_slug>/",
        cache_public_page(views.agency_compliance),
        name="agency_compliance",
    ),
    path("inventory/", cache_public_page(views.inventory), name="inventory"),
    path(
        "inventory/history/",
        cache_public_page(views.inventory_history_page),
        name="inventory_history",
    ),
    path("spending/", cache_public_page(views.spending), name="spending"),
]
