"""Large files straight from the browser to the S3 bucket, then through ingestion like any other.

The portal signs an S3 POST policy letting one person put one PDF of 1 byte to
DOCUMENT_MAX_UPLOAD_BYTES under incoming/<uuid>/ (the bucket appends the chosen file's
name) for EXPIRY_SECONDS, and sends the browser back to the portal afterwards. The
bucket enforces size, type claim and key. What arrived is only a claim too: the portal
checks the key was issued to this person for this filing and not used, streams the
object through ingest_document (which measures, hashes and judges the bytes as for any
upload), and deletes everything under the prefix whether the file was accepted or not.
"""

import re
import uuid
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import boto3
from botocore.client import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.utils import timezone
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from search.ingestion.sniffing import PDF
from submissions.models import DirectUpload

EXPIRY_SECONDS = 15 * 60
# Only PDFs: large files are scans; CSV and XLSX files go through the portal.
CONTENT_TYPE = PDF
# The keys DirectUpload.prefix hands out, followed by the name the browser gave the file.
INCOMING_KEY = re.compile(
    r"(?P<prefix>incoming/(?P<key>[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})/)(?P<name>.+)",
    re.DOTALL,
)


class DirectUploadError(Exception):
    """The direct upload cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class SignedForm:
    """Where the browser posts, and the fields it must send before the file, in order."""

    url: str
    fields: list[tuple[str, str]]


@dataclass(frozen=True)
class Arrived:
    body: BinaryIO
    original_name: str


def s3_storage() -> S3Storage | None:
    storage = storages["default"]
    return storage if isinstance(storage, S3Storage) else None


def available() -> bool:
    # An empty S3_PUBLIC_ENDPOINT_URL says browsers cannot reach the bucket.
    return s3_storage() is not None and settings.S3_PUBLIC_ENDPOINT_URL != ""


def open_stream(storage: Storage, name: str) -> BinaryIO:
    """The stored file as a stream, read as it is sent on. Reading an S3Storage file copies
    the whole object to a temporary file first, so its S3 object is read instead."""
    if isinstance(storage, S3Storage):
        return storage.open(name, "rb").obj.get()["Body"]
    return storage.open(name, "rb")


def browser_client(storage: S3Storage):
    """A client addressing the bucket at the endpoint browsers reach, with the portal's keys."""
    session = boto3.session.Session(
        aws_access_key_id=storage.access_key,
        aws_secret_access_key=storage.secret_key,
        aws_session_token=storage.security_token,
    )
    return session.client(
        "s3",
        endpoint_url=settings.S3_PUBLIC_ENDPOINT_URL or storage.endpoint_url,
        region_name=storage.region_name,
        config=Config(signature_version="s3v4", s3={"addressing_style": storage.addressing_style}),
    )


def issue(filing, user, done_url: str) -> SignedForm:
    """A signed form for one PDF to `filing` from `user`, redirecting to done_url after."""
    storage = s3_storage()
    ticket = DirectUpload.objects.create(filing=filing, issued_to=user)
    fields = {"Content-Type": CONTENT_TYPE, "success_action_redirect": done_url}
    # boto3 signs only the conditions it is given (besides bucket and key), so each field
    # the form sends is listed here too; S3 refuses a form whose fields differ.
    conditions = [
        {"Content-Type": CONTENT_TYPE},
        {"success_action_redirect": done_url},
        ["content-length-range", 1, settings.DOCUMENT_MAX_UPLOAD_BYTES],
    ]
    signed = browser_client(storage).generate_presigned_post(
        storage.bucket_name,
        f"{ticket.prefix}${{filename}}",
        Fields=fields,
        Conditions=conditions,
        ExpiresIn=EXPIRY_SECONDS,
    )
    return SignedForm(url=signed["url"], fields=list(signed["fields"].items()))


@contextmanager
def claim(filing, user, key: str):
    """The object the bucket says arrived at `key`, if the portal issued that key to `user`
    for `filing` and it is unused; everything under its prefix is deleted afterwards."""
    storage = s3_storage()
    match = INCOMING_KEY.fullmatch(key)
    issued = (
        storage is not None
        and match is not None
        and DirectUpload.objects.filter(
            key=uuid.UUID(match["key"]), filing=filing, issued_to=user, used_at__isnull=True
        ).update(used_at=timezone.now())
        == 1
    )
    if not issued:
        raise DirectUploadError(
            _(
                "That upload is not one the portal started for you on this filing, or it was "
                "handled already. Check the documents list; if the file is missing, upload it "
                "again."
            )
        )
    try:
        body = fetch_incoming(storage, key)
        with closing(body):
            yield Arrived(body=body, original_name=match["name"])
    finally:
        discard_incoming(storage, match["prefix"])


def fetch_incoming(storage: S3Storage, key: str) -> BinaryIO:
    try:
        return open_stream(storage, key)
    except (FileNotFoundError, BotoCoreError, ClientError):
        raise DirectUploadError(_("The file did not arrive in storage. Upload it again.")) from None


def discard_incoming(storage: S3Storage, prefix: str) -> None:
    """Delete all the bucket holds under prefix: the policy allowed more than one try."""
    storage.bucket.objects.filter(Prefix=prefix).delete()
