from django.apps import AppConfig
from django.core import checks


class RulebookConfig(AppConfig):
    name = "content.rulebook"
    label = "rulebook"
    verbose_name = "Rulebook"

    def ready(self):
        checks.register(check_rulebook)


def check_rulebook(app_configs=None, **kwargs):
    """Refuse to run with a rulebook that cannot be loaded, naming every problem."""
    from content.rulebook.rules import RulebookError, get_rulebook

    try:
        get_rulebook()
    except RulebookError as error:
        return [checks.Error(str(error), id="rulebook.E001", hint="Fix the file or RULEBOOK_PATH.")]
    return []
