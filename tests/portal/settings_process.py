"""Load a settings module in a fresh interpreter with an environment the test controls.

Settings read the environment once, at import, so each variation needs its own process;
the test process's own environment (CI sets DATABASE_URL, for one) must not leak in.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SETTINGS = "portal.settings.production"

# Values that production settings accept, for a process that must get past them.
VALID_PRODUCTION_VALUES = {
    "SECRET_KEY": "settings-test-key-" + "k" * 60,
    "ALLOWED_HOSTS": "portal.example.org",
    "WAGTAILADMIN_BASE_URL": "https://portal.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "postgres://portal@db.example.org:5432/portal",
}

# Importing the module is all Django does with the environment at start-up.
IMPORT_SETTINGS = (
    "import importlib, os; importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE'])"
)
CONFIGURATION_ERROR = re.compile(r"^django\.core\.exceptions\.ImproperlyConfigured: (.*)$", re.M)


def clean_environment(settings_module: str, variables: dict[str, str]) -> dict[str, str]:
    """Only what the interpreter needs to run, the settings module, and `variables`."""
    return {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": settings_module, **variables}


def import_settings(environment: dict[str, str]) -> subprocess.CompletedProcess:
    # This interpreter running a fixed snippet: nothing untrusted reaches the command.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", IMPORT_SETTINGS],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def import_settings_concurrently(
    environments: dict[str, dict[str, str]],
) -> dict[str, subprocess.CompletedProcess]:
    """Like import_settings for each named environment, all processes running at once."""
    processes = {
        name: subprocess.Popen(  # noqa: S603 - as in import_settings
            [sys.executable, "-c", IMPORT_SETTINGS],
            cwd=REPO_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, environment in environments.items()
    }
    results = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=60)
        results[name] = subprocess.CompletedProcess(
            process.args, process.returncode, stdout, stderr
        )
    return results


def configuration_error(result: subprocess.CompletedProcess) -> str:
    """The ImproperlyConfigured message the process stopped with, or '' if it did not."""
    match = CONFIGURATION_ERROR.search(result.stderr)
    return match.group(1) if match else ""
