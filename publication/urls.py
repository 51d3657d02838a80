from django.urls import path

from portal.public_cache.pages import cache_public_page
from publication import views

app_name = "publication"

urlpatterns = [
    path("publication-log/", cache_public_page(views.publication_log), name="log"),
    path(
        "publication-log/how-to-verify/",
        cache_public_page(views.how_to_verify),
        name="how_to_verify",
    ),
    path("publication-log.json", views.publication_log_json, name="log_json"),
    path("filings/<int:pk>/", views.filing_page, name="filing"),
    path("documents/<int:pk>/download/", views.published_file, name="file"),
]
