from django.urls import path

from browse import views

app_name = "browse"

urlpatterns = [
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency"),
    path("technologies/", views.technology_list, name="technologies"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology"),
    path("vendors/", views.vendor_list, name="vendors"),
    path("vendors/<slug:slug>/", views.vendor_detail, name="vendor"),
    path("filings/", views.filing_list, name="filings"),
]
