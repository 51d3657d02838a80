"""Throughput of the public pages under concurrent clients, against a trivial Django view.

Loads the demo city (load_demo_data: 113 filings) into a throwaway SQLite file
database, collects static files into the run's own folder, and starts gunicorn
as production runs it (sync workers, production settings with dummy secrets
from the environment, DEBUG off, WhiteNoise with the manifest storage, an
access log) with one change: the URLconf (bench/public_pages_urls.py) adds
/bench/trivial/, a fixed HttpResponse that passes through the same middleware.
Plain HTTP on loopback, so SECURE_SSL_REDIRECT is off.

Then drives each page with `--clients` threads, each on its own http.client
connection (kept alive when the server allows it; gunicorn's sync workers close
it after every response, so clients reconnect): a warm-up, then `--seconds` per
page, the pages taking turns in `--rounds` slices so that load from elsewhere
falls on all of them alike. Prints requests per second, p50 and p95 latency,
errors, and each page's throughput as a fraction of the trivial view's. The
target: the filing page at no less than half the trivial view's throughput.

The clients run on the same machine as the server and share its cores, so
every page's figures include the client's cost; the ratio compares pages
measured alike.

    .venv/bin/python -m bench.public_pages [--clients 16] [--seconds 10] [--workers 2]
        [--rounds 5] [--warmup 2]
"""

import argparse
import contextlib
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bench.search import free_port
from bench.throwaway import throwaway_database

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_START_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 60
FILING_TARGET = 0.5
SEARCH_QUERY = "retention"


@dataclass
class Page:
    label: str
    path: str


@dataclass
class Measurement:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    first_error: str = ""

    def add(self, other: "Measurement") -> None:
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.bytes_read += other.bytes_read
        self.seconds += other.seconds
        self.first_error = self.first_error or other.first_error

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        return self.percentile(0.95)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up time per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--rounds", type=int, default=5, help="turns the pages take, splitting --seconds"
    )
    options = parser.parse_args()
    if min(options.clients, options.workers, options.rounds) < 1 or options.seconds <= 0:
        parser.error("--clients, --seconds, --workers and --rounds must be positive")

    with throwaway_database("public-pages") as workspace:
        from django.conf import settings

        # The test settings make a media folder of their own at import; the demo's PDFs
        # go to the run's folder instead, and both are removed at the end.
        settings_media = Path(settings.MEDIA_ROOT)
        media = workspace / "media"
        try:
            load_demo(media)
            pages = choose_pages()
            environment = server_environment(workspace, media)
            collect_static(environment)
            with running_gunicorn(environment, workspace, options.workers) as port:
                for page in pages:
                    check_page(port, page)
                    drive(port, page, options.clients, options.warmup)  # warm-up, discarded
                results = {page.label: Measurement() for page in pages}
                # Pages take turns, a slice at a time, so that load from elsewhere on the
                # machine falls on all of them alike.
                for round_number in range(1, options.rounds + 1):
                    rates = []
                    for page in pages:
                        part = drive(port, page, options.clients, options.seconds / options.rounds)
                        results[page.label].add(part)
                        rates.append(f"{page.label} {part.requests_per_second:.1f}")
                    print(f"  round {round_number}, req/s: {', '.join(rates)}", flush=True)
        finally:
            shutil.rmtree(settings_media, ignore_errors=True)
    report(pages, results, options)


# --- Data -----------------------------------------------------------------------------------


def load_demo(media: Path) -> None:
    from django.core.management import call_command
    from django.test import override_settings

    print("Loading the demo city (load_demo_data)...", flush=True)
    started = time.perf_counter()
    with override_settings(MEDIA_ROOT=str(media)):
        call_command("load_demo_data", verbosity=0)
    print(f"Loaded in {time.perf_counter() - started:.1f} s", flush=True)


def choose_pages() -> list[Page]:
    """The trivial view and four public pages: the agency with the most published filings,
    and of its published filings the one with the longest publication history."""
    from django.db.models import Count, Q

    from content.agencies.models import Agency
    from content.filings.visibility import public_filings
    from publication.models import PublicationLogEntry

    published = public_filings()
    agency = (
        Agency.objects.annotate(
            published=Count("filings", filter=Q(filings__in=published.values("pk")))
        )
        .order_by("-published", "slug")
        .first()
    )
    entries = (
        PublicationLogEntry.objects.filter(filing__in=published.filter(agency=agency))
        .values("filing")
        .annotate(entries=Count("pk"))
        .order_by("-entries", "filing")
    )
    filing_pk = entries[0]["filing"]
    print(
        f"Pages: agency {agency.slug} ({agency.published} published filings), "
        f"filing {filing_pk} ({entries[0]['entries']} log entries); "
        f"{published.count()} published filings in all",
        flush=True,
    )
    return [
        Page("trivial", "/bench/trivial/"),
        Page("home", "/"),
        Page("filing", f"/filings/{filing_pk}/"),
        Page("agency", f"/agencies/{agency.slug}/"),
        Page("search", "/search/?" + urllib.parse.urlencode({"q": SEARCH_QUERY})),
    ]


# --- The server -----------------------------------------------------------------------------


def server_environment(workspace: Path, media: Path) -> dict:
    from django.db import connection

    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE", "ELASTICSEARCH_URL", "S3_BUCKET"}
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.production_settings",
            "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
            "SECRET_KEY": "bench-public-pages-dummy-secret-key-not-for-any-real-deployment",
            "ALLOWED_HOSTS": "127.0.0.1",
            "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
            "EMAIL_HOST": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "MEDIA_ROOT": str(media),
            "BENCH_STATIC_ROOT": str(workspace / "static"),
        }
    )
    return environment


def collect_static(environment: dict) -> None:
    print("Collecting static files (manifest storage, compressed)...", flush=True)
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        raise RuntimeError(f"collectstatic failed:\n{finished.stdout}{finished.stderr}")
    print(f"Collected in {time.perf_counter() - started:.1f} s", flush=True)


@contextlib.contextmanager
def running_gunicorn(environment: dict, workspace: Path, workers: int):
    """gunicorn as the Dockerfile runs it, on a free local port; stops it by its pid."""
    port = free_port()
    log = workspace / "gunicorn.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                str(workspace / "access.log"),
                "--no-control-socket",
            ],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    print(f"Started gunicorn (pid {process.pid}, {workers} workers) on port {port}", flush=True)
    try:
        wait_until_serving(process, port, log)
        yield port
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        print(f"Stopped gunicorn (pid {process.pid})", flush=True)


def wait_until_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + GUNICORN_START_SECONDS
    while True:
        try:
            status, _body = fetch(port, "/bench/trivial/")
            if status == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"gunicorn did not start serving; its log ends:\n{tail}")
        time.sleep(0.2)


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def check_page(port: int, page: Page) -> None:
    status, body = fetch(port, page.path)
    if status != 200:
        raise RuntimeError(f"{page.label} ({page.path}) answered {status}: {body[:500]!r}")


# --- The clients ----------------------------------------------------------------------------


def drive(port: int, page: Page, clients: int, seconds: float) -> Measurement:
    """`clients` threads asking for the page back to back for `seconds`."""
    measurement = Measurement()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        latencies, errors, bytes_read, first_error = [], 0, 0, ""
        start.wait()
        try:
            while time.perf_counter() < deadline[0]:
                began = time.perf_counter()
                try:
                    connection.request("GET", page.path)
                    response = connection.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as error:
                    errors += 1
                    first_error = first_error or repr(error)
                    connection.close()
                    continue
                if response.status == 200:
                    latencies.append(time.perf_counter() - began)
                    bytes_read += len(body)
                else:
                    errors += 1
                    first_error = first_error or f"HTTP {response.status}"
        finally:
            connection.close()
            with lock:
                measurement.latencies.extend(latencies)
                measurement.errors += errors
                measurement.bytes_read += bytes_read
                measurement.first_error = measurement.first_error or first_error

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    measurement.seconds = time.perf_counter() - began
    return measurement


# --- Reporting ------------------------------------------------------------------------------


def report(pages: list[Page], results: dict[str, Measurement], options) -> None:
    baseline = results["trivial"].requests_per_second
    print()
    print(
        f"{options.clients} clients, {options.seconds:g} s per page in {options.rounds} turns "
        f"after {options.warmup:g} s of warm-up, gunicorn with {options.workers} sync workers; "
        "latency in ms"
    )
    print(
        f"{'page':8} {'path':28} {'req/s':>8} {'p50':>8} {'p95':>8} {'errors':>7} "
        f"{'KB/resp':>8} {'vs trivial':>10}"
    )
    for page in pages:
        result = results[page.label]
        rate = result.requests_per_second
        size = result.bytes_read / len(result.latencies) / 1024 if result.latencies else 0
        print(
            f"{page.label:8} {page.path:28} {rate:8.1f} {result.p50 * 1000:8.1f} "
            f"{result.p95 * 1000:8.1f} {result.errors:7} {size:8.1f} "
            f"{rate / baseline if baseline else float('nan'):9.3f}x"
        )
        if result.first_error:
            print(f"         first error: {result.first_error}")
    filing = results["filing"].requests_per_second / baseline if baseline else 0.0
    met = "met" if filing >= FILING_TARGET else "NOT met"
    print()
    print(
        f"Filing page throughput / trivial view's: {filing:.3f}x "
        f"(target >= {FILING_TARGET}x: {met})"
    )


if __name__ == "__main__":
    main()
