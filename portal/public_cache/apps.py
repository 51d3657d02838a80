from django.apps import AppConfig


class PublicCacheConfig(AppConfig):
    name = "portal.public_cache"
    label = "public_cache"
    verbose_name = "Public page cache"

    def ready(self):
        from portal.public_cache import invalidation

        invalidation.connect()
