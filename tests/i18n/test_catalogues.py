"""The Spanish catalogues are complete, current with the code, and compiled as committed.

`./dev messages` regenerates them; these tests fail when someone adds an interface string
without translating it, or edits a catalogue without compiling it.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPOSITORY = Path(settings.BASE_DIR)
CATALOGUE_ROOTS = sorted(path.parent for path in REPOSITORY.glob("*/locale"))
# Changes on every run of makemessages, so it is not compared.
CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*"$', re.MULTILINE)


def catalogue(root: Path) -> Path:
    return root / "locale" / "es" / "LC_MESSAGES" / "django.po"


def gettext_tool(name: str, *arguments: str) -> subprocess.CompletedProcess:
    program = shutil.which(name)
    if program is None:
        pytest.fail(f"{name} is missing: install GNU gettext (apt-get install gettext)")
    # The arguments are this test's own flags and the repository's catalogue paths.
    return subprocess.run(  # noqa: S603
        [program, *arguments], capture_output=True, text=True, check=True
    )


def test_catalogues_exist_for_the_public_interface():
    names = {root.name for root in CATALOGUE_ROOTS}
    assert {"portal", "browse", "search", "publication"} <= names
    for root in CATALOGUE_ROOTS:
        assert catalogue(root).is_file(), f"{root.name}: no Spanish catalogue; run ./dev messages"


@pytest.mark.parametrize("root", CATALOGUE_ROOTS, ids=lambda root: root.name)
def test_every_string_is_translated(root):
    statistics = gettext_tool(
        "msgfmt", "--check", "--statistics", "-o", os.devnull, str(catalogue(root))
    ).stderr
    advice = (
        f"{catalogue(root).relative_to(REPOSITORY)}: {statistics.strip()}; "
        "translate those entries (and remove their fuzzy flags), then run ./dev messages"
    )
    assert "untranslated" not in statistics, advice
    assert "fuzzy" not in statistics, advice


@pytest.mark.parametrize("root", CATALOGUE_ROOTS, ids=lambda root: root.name)
def test_catalogue_lists_exactly_the_strings_in_the_code(root, tmp_path):
    copy = tmp_path / root.name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run(  # noqa: S603 (Django's own command, with fixed flags)
        [str(django_admin), "makemessages", "--locale", "es", "--no-location", "--no-obsolete"],
        cwd=copy,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "PYTHONPATH": str(REPOSITORY),
        },
        capture_output=True,
        check=True,
    )
    regenerated = CREATION_DATE.sub("", catalogue(copy).read_text())
    committed = CREATION_DATE.sub("", catalogue(root).read_text())
    assert regenerated == committed, (
        f"{catalogue(root).relative_to(REPOSITORY)} is out of date with the code: "
        "run ./dev messages and translate what it adds"
    )


@pytest.mark.parametrize("root", CATALOGUE_ROOTS, ids=lambda root: root.name)
def test_compiled_catalogue_matches_its_source(root, tmp_path):
    compiled = tmp_path / "django.mo"
    gettext_tool("msgfmt", "--check-format", "-o", str(compiled), str(catalogue(root)))
    committed = catalogue(root).with_suffix(".mo")
    advice = f"{committed.relative_to(REPOSITORY)} is not compiled from its .po: run ./dev messages"
    assert committed.is_file(), advice
    assert committed.read_bytes() == compiled.read_bytes(), advice


def test_a_string_reads_the_same_in_every_catalogue():
    """Django merges the catalogues into one, so two translations of one string would show
    whichever app comes first: the same English must get the same Spanish everywhere."""
    shared = gettext_tool(
        "msgcat", "--more-than=1", "--no-wrap", *map(str, map(catalogue, CATALOGUE_ROOTS))
    ).stdout
    conflicting = [
        entry.split("\nmsgstr", 1)[0]
        for entry in shared.split("\n\n")
        if "#-#-#-#-#" in entry and 'msgid ""\n' not in entry
    ]
    assert not conflicting, "translated differently in different catalogues:\n" + "\n".join(
        conflicting
    )
