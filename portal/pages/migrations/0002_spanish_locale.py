"""The interface speaks Spanish as well as English, so editors can translate pages into it."""

from django.db import migrations


def add_spanish_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="es")


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(add_spanish_locale, migrations.RunPython.noop)]
