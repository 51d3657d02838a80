"""The procedure in docs/verifying-the-publication-log.md, run exactly as written."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from publication.services import amend, publish, unpublish
from tests.publication.conftest import accepted_audit
from tests.publication.test_verification import flip_one_byte, tamper

PROCEDURE = Path(settings.BASE_DIR) / "docs" / "verifying-the-publication-log.md"
TOOLS = ["bash", "curl", "jq", "sha256sum"]


@pytest.fixture(autouse=True)
def tools_installed():
    """The procedure is what a resident runs; without its tools the test cannot vouch for it."""
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    assert not missing, f"install {' '.join(missing)} (./dev setup does, as root)"


def documented_commands() -> tuple[str, str]:
    """The procedure's two shell blocks: where the portal is, and the check itself."""
    blocks = re.findall(r"```sh\n(.*?)```", PROCEDURE.read_text(), flags=re.DOTALL)
    assert len(blocks) == 2, "the procedure should have exactly two sh blocks"
    setting, check = blocks
    assert setting.startswith("export PORTAL=")
    return setting, check


def run_procedure(portal_url: str, folder: Path) -> subprocess.CompletedProcess:
    _, check = documented_commands()
    folder.mkdir()
    # The shell and tools from PATH, as a resident runs them; the script is our own doc.
    return subprocess.run(  # noqa: S603
        ["bash", "-c", check],  # noqa: S607
        cwd=folder,
        env={**os.environ, "PORTAL": portal_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_the_documented_procedure_verifies_the_log_and_names_what_was_changed(
    live_server, agency_a, reviewer, tmp_path
):
    kept, withdrawn = accepted_audit(agency_a, 1), accepted_audit(agency_a, 2)
    publish(kept, by=reviewer)
    publish(withdrawn, by=reviewer)
    amend(kept, by=reviewer, changes={"title": "Audit 1, ünïcode corrected"}, reason="Typo")
    unpublish(withdrawn, by=reviewer, reason="Wrong agency")

    intact = run_procedure(live_server.url, tmp_path / "intact")

    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "OK: all 4 log entries chain correctly; 1 public document(s) match" in intact.stdout
    gone = withdrawn.documents.get()
    assert f"document {gone.pk} ({gone.original_name}): no longer public" in intact.stdout

    document = kept.documents.get()
    flip_one_byte(document)
    tamper(
        "UPDATE publication_publicationlogentry SET canonical = REPLACE(canonical, %s, %s) "
        "WHERE sequence = 2",
        ['"Audit 2"', '"Audit 3"'],
    )

    changed = run_procedure(live_server.url, tmp_path / "changed")

    assert changed.returncode == 1
    assert "entry 2: hash does not match its contents" in changed.stdout
    assert f"document {document.pk} ({document.original_name}): SHA-256 is" in changed.stdout
    assert "FAILED: 2 problem(s) in 4 log entries" in changed.stdout
