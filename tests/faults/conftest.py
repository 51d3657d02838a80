"""Servers a test may break: its own search server and S3 server, each behind a proxy.

Each test module starts one osmem-server (the OpenSearch-compatible stand-in) and one
SeaweedFS, on ports of its own, so killing, freezing (SIGSTOP) and restarting them on the
same port and data directory touches no other test. The portal reaches both through a
TcpProxy, which can slow every byte down or run a hook as a request's bytes pass (to
kill the S3 server in the middle of an upload). Every process here is stopped by its pid.
"""

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from osmem_server import OsmemError, OsmemServer

from search.backends import registry
from search.backends.elasticsearch import ElasticsearchSearchBackend
from tests.search.elasticsearch_fixtures import PlainJsonHttpNode
from tests.search.s3_server import (
    ACCESS_KEY,
    PORT_FLAGS,
    REGION,
    SECRET_KEY,
    S3Bucket,
    SeaweedFS,
    free_ports,
    stop,
    wait_until_answering,
    weed_executable,
    weed_mini_command,
    write_identities,
)
from tests.storage_fixtures import local_storage, spool  # noqa: F401

# Short enough that a frozen server costs the tests little, long enough for a slow one.
SEARCH_TIMEOUT_SECONDS = 1.5
# A slow server: every chunk held back this long, within the client's timeout.
SLOW_DELAY_SECONDS = 0.3
PROXY_CHUNK_BYTES = 64 * 1024


class TcpProxy:
    """Forwards 127.0.0.1:port to an upstream port, byte for byte, in daemon threads.

    `delay_seconds` holds back every chunk in both directions (a slow server or network);
    `on_request_bytes` is called with the running count of bytes a connection has sent
    upstream, so a test can act at a chosen point of a request.
    """

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.delay_seconds = 0.0
        self.on_request_bytes: Callable[[int], None] | None = None
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self.accept_forever, daemon=True).start()

    def accept_forever(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=2)
            except OSError:
                client.close()  # as a server that is down would: nothing listens behind us
                continue
            upstream.settimeout(None)
            with self.lock:
                self.connections |= {client, upstream}
            threading.Thread(target=self.pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self.pump, args=(upstream, client, False), daemon=True).start()

    def pump(self, source: socket.socket, target: socket.socket, is_request: bool) -> None:
        sent = 0
        try:
            while chunk := source.recv(PROXY_CHUNK_BYTES):
                if self.delay_seconds:
                    time.sleep(self.delay_seconds)
                target.sendall(chunk)
                sent += len(chunk)
                if is_request and self.on_request_bytes is not None:
                    self.on_request_bytes(sent)
        except OSError:
            pass  # one end closed: the connection is over, as below
        finally:
            for end in (source, target):
                self.forget(end)

    def forget(self, end: socket.socket) -> None:
        with self.lock:
            self.connections.discard(end)
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def reset(self) -> None:
        self.delay_seconds = 0.0
        self.on_request_bytes = None

    def close(self) -> None:
        self.forget(self.listener)  # shutdown wakes the thread blocked in accept()
        with self.lock:
            open_ends = list(self.connections)
        for end in open_ends:
            self.forget(end)


class ServerProcess:
    """A server this module started: kill, freeze, thaw and start it again on the same port."""

    process: subprocess.Popen | None = None

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        if self.running:
            os.kill(self.process.pid, signal.SIGCONT)

    def ensure_running(self) -> None:
        self.thaw()
        if not self.running:
            self.start()


class SearchServer(ServerProcess):
    """osmem-server on a fixed port. It keeps its indexes in memory: a restart empties them,
    as a real cluster that lost its data would be, which the reconciler then repairs."""

    def __init__(self):
        (self.port,) = free_ports(1)
        self.server: OsmemServer | None = None

    def start(self) -> None:
        try:
            self.server = OsmemServer.start(japanese=False, addr=f"127.0.0.1:{self.port}")
        except OsmemError as error:
            pytest.fail(f"osmem-server did not start on port {self.port}: {error}")
        self.process = self.server.process

    def stop(self) -> None:
        self.thaw()
        if self.server is not None:
            self.server.close()


class S3Server(ServerProcess):
    """SeaweedFS (weed mini) on fixed ports with one data directory that outlives restarts."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        (workdir / "data").mkdir()
        write_identities(workdir / "s3.json")
        self.ports = dict(zip(PORT_FLAGS, free_ports(len(PORT_FLAGS)), strict=True))
        self.endpoint = SeaweedFS(
            endpoint_url=f"http://127.0.0.1:{self.ports['s3.port']}",
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region=REGION,
        )

    def start(self) -> None:
        with (self.workdir / "weed.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (the command is built from fixed flags)
                weed_mini_command(weed_executable(), self.workdir, self.ports),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        if not wait_until_answering(self.endpoint, self.process):
            log_tail = (self.workdir / "weed.log").read_text(errors="replace")[-3000:]
            self.stop()
            pytest.fail(f"SeaweedFS did not start on {self.endpoint.endpoint_url}:\n{log_tail}")

    def stop(self) -> None:
        self.thaw()
        if self.running:
            stop(self.process)


class Faults:
    """The faults a test schedules, by name."""

    def __init__(self, search_server, search_proxy, s3_server, s3_proxy):
        self.search_server = search_server
        self.search_proxy = search_proxy
        self.s3_server = s3_server
        self.s3_proxy = s3_proxy

    def apply(self, change: str) -> None:
        match change:
            case "search killed":
                self.search_server.kill()
            case "search frozen":
                self.search_server.freeze()
            case "search slow":
                self.search_proxy.delay_seconds = SLOW_DELAY_SECONDS
            case "search back":
                self.search_proxy.delay_seconds = 0.0
                self.search_server.ensure_running()
            case "s3 killed":
                self.s3_server.kill()
            # An ingestion sends a HEAD (is the key free?), then the PUT's headers, then
            # its body, each a chunk of its own on the connection.
            case "s3 killed mid-upload":
                self.kill_s3_after_chunks(2)
            case "s3 killed before answering an upload":
                self.kill_s3_after_chunks(3)
            case "s3 back":
                self.s3_proxy.on_request_bytes = None
                self.s3_server.ensure_running()
            case _:
                raise ValueError(f"no such fault: {change}")

    def kill_s3_after_chunks(self, count: int) -> None:
        """Kill the S3 server as soon as `count` more request chunks have reached it."""
        passed = []

        def kill_at_count(_sent: int) -> None:
            passed.append(1)
            if len(passed) == count:
                self.s3_server.kill()

        self.s3_proxy.on_request_bytes = kill_at_count


@pytest.fixture(scope="module")
def search_server():
    server = SearchServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def search_proxy(search_server):
    proxy = TcpProxy(search_server.port)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("faults-seaweedfs"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def s3_proxy(s3_server):
    proxy = TcpProxy(s3_server.ports["s3.port"])
    yield proxy
    proxy.close()


@pytest.fixture
def faults(search_server, search_proxy, s3_server, s3_proxy):
    return Faults(search_server, search_proxy, s3_server, s3_proxy)


@pytest.fixture
def search_engine(settings, search_server, search_proxy, monkeypatch):
    """Elasticsearch answers searches, reached through the proxy, with a fresh index.

    Afterwards the server runs again and the proxy forwards plainly, for the next test.
    """
    backend = ElasticsearchSearchBackend.for_url(
        search_proxy.url,
        index_prefix=f"faults-{uuid.uuid4().hex[:8]}",
        node_class=PlainJsonHttpNode,
        request_timeout=SEARCH_TIMEOUT_SECONDS,
    )
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = search_proxy.url
    database_backend = registry._backend
    monkeypatch.setattr(
        registry,
        "_backend",
        lambda name: backend if name == "elasticsearch" else database_backend(name),
    )
    yield backend
    search_proxy.reset()
    search_server.ensure_running()
    backend.client.close()


@pytest.fixture
def bucket(settings, s3_server, s3_proxy):
    """A private bucket for one test, Django's default storage on it through the proxy."""
    s3_server.ensure_running()
    client = s3_server.endpoint.client()
    bucket = S3Bucket(name=f"faults-{uuid.uuid4().hex[:12]}", client=client)
    client.create_bucket(Bucket=bucket.name, ACL="private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": s3_proxy.url,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    yield bucket
    s3_proxy.reset()
    s3_server.ensure_running()
    for key in bucket.object_keys():
        client.delete_object(Bucket=bucket.name, Key=key)
    client.delete_bucket(Bucket=bucket.name)
