from django.apps import AppConfig


class DatabaseSearchConfig(AppConfig):
    name = "search.backends.database"
    label = "search_database"
    verbose_name = "Search index (database)"
