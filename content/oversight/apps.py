from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OversightConfig(AppConfig):
    name = "content.oversight"
    label = "oversight"
    verbose_name = "Oversight staff"

    def ready(self):
        from content.oversight.groups import ensure_oversight_group

        post_migrate.connect(ensure_oversight_group, dispatch_uid="ensure_oversight_group")
