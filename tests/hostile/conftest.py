"""Uploads land in a local media folder or SeaweedFS's S3, and spool where tests can look."""

from tests.search.s3_server import s3_storage, seaweedfs  # noqa: F401
from tests.storage_fixtures import local_storage, spool, storage  # noqa: F401
