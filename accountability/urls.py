from django.urls import path

from accountability import views

app_name = "accountability"

urlpatterns = [
    path("compliance/", views.compliance_overview, name="compliance"),
    path("compliance/<slug:agency_slug>/", views.agency_compliance, name="agency_compliance"),
    path("inventory/", views.inventory, name="inventory"),
    path("inventory/history/", views.inventory_history_page, name="inventory_history"),
    path("spending/", views.spending, name="spending"),
]
