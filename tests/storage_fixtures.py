"""Where uploads land in tests: a local media folder or SeaweedFS's S3, and the spool."""

from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class LocalStorage:
    """The file system storage's folder, to see what was kept."""

    root: Path

    def object_keys(self) -> set[str]:
        return {str(path.relative_to(self.root)) for path in self.root.rglob("*") if path.is_file()}

    def read(self, key: str) -> bytes:
        return (self.root / key).read_bytes()


@pytest.fixture
def local_storage(settings, tmp_path):
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return LocalStorage(root)


@pytest.fixture(params=["local", "s3"])
def storage(request):
    """Each test using it runs once on the file system and once on SeaweedFS's S3."""
    return request.getfixturevalue("local_storage" if request.param == "local" else "s3_storage")


@pytest.fixture
def spool(settings, tmp_path):
    """Uploads and ingestion spool here, so tests can see that nothing is left behind."""
    directory = tmp_path / "spool"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    return directory
