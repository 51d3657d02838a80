from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "content.vendors"
    label = "vendors"
    verbose_name = "Vendors"
