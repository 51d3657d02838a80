from django.urls import path, register_converter

from opendata import views
from opendata.datasets import DATASETS_BY_SLUG
from portal.public_cache.pages import cache_public_page


class DatasetConverter:
    """Only the published lists' names, so an unknown one is a plain 404."""

    regex = "|".join(DATASETS_BY_SLUG)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(DatasetConverter, "dataset")

app_name = "opendata"

urlpatterns = [
    path("data/", cache_public_page(views.index), name="index"),
    # The Atlas and OCDS forms come first: "inventory.atlas" is no list's name.
    path("data/inventory.atlas.csv", views.inventory_atlas_csv, name="inventory_atlas"),
    path("data/contracts.ocds.json", views.contracts_ocds, name="ocds"),
    path("data/published-record.zip", views.published_record, name="archive"),
    path("data/<dataset:slug>.csv", views.dataset_csv, name="csv"),
    path("data/<dataset:slug>.json", views.dataset_json, name="json"),
]
