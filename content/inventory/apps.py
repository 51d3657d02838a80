from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "content.inventory"
    label = "inventory"
    verbose_name = "Inventory"
