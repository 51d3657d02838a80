from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "portal.assets"
    label = "assets"
    verbose_name = "Editorial images and documents"
