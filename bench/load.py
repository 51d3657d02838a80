"""A sustained mixed load: many anonymous readers and a few agency submitters at once.

Loads the demo city into a throwaway database (SQLite, or PostgreSQL with
DATABASE_URL=postgres://...), starts gunicorn with production settings as
bench.public_pages does, and a task worker (`db_worker`) beside it, so that uploads are
extracted while the load runs. Then, over loopback, for `--minutes`:

- `--readers` anonymous readers, each asking back to back for a page drawn from a fixed
  mix: home, search, browse lists, filing, agency, document reader, Atom feeds and the
  JSON API (every page is checked to answer 200 before the run starts);
- `--submitters` agency staff (the demo's submitters, signed in once), each going round
  the portal as a person would: start an audit filing, fill it in and save it, upload a
  small PDF, submit it and read the receipt, pausing `--think` seconds between steps.

Every `--report-every` seconds, and at the end, it prints requests, errors (any 5xx or
failed connection; 0 expected), other unexpected answers, p50/p95 latency per kind of
page, and the resident memory of each gunicorn worker and of the task worker, so growth
under load shows. Exits 1 unless every request was answered as expected and the
submitters filed at least one filing.

The submitters' requests carry X-Forwarded-Proto: https and an Origin header, as they
would arrive through the TLS proxy production runs behind (production settings mark the
session and CSRF cookies Secure and check the origin of every form post). The API's
anonymous throttle counts per address and every client here shares 127.0.0.1, so the run
raises it (API_ANON_THROTTLE_RATE) rather than measuring 429s.

Clients and server share the machine's cores, so latencies include the clients' cost.

    .venv/bin/python -m bench.load --minutes 10 [--readers 16] [--submitters 2]
        [--workers 2] [--think 1.0] [--report-every 30]
"""

import argparse
import contextlib
import http.client
import http.cookies
import io
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench.public_pages import PROJECT_ROOT, collect_static, fetch, load_demo, server_environment
from bench.search import free_port
from bench.throwaway import throwaway_database

REQUEST_TIMEOUT_SECONDS = 60
GUNICORN_START_SECONDS = 60
WORKER_START_SECONDS = 5
STOP_SECONDS = 30
# Every client shares one address; real readers each have their own allowance.
UNTHROTTLED_API_RATE = "1000000/min"
SEARCH_QUERIES = ("retention", '"facial recognition"', "camera AND data", "surveil*", "drone")
# Demo submitters (content/demo/jurisdiction.py DEMO_USERS): username, password, agency.
SUBMITTERS = (
    ("police-submitter", "harbor-point-patrol-3", "police"),
    ("transport-submitter", "eastshore-signals-5", "transportation"),
)
# An audit needs no technology from the agency's inventory: only text fields and a document.
FILING_KIND = "audit"
FILING_PATH = re.compile(r"/filings/(\d+)/")
# How often each kind of public page is asked for, relative to the others.
READER_MIX = {
    "home": 3,
    "search": 3,
    "filing": 4,
    "agency": 2,
    "browse": 2,
    "document": 3,
    "feed": 1,
    "api": 2,
}


# --- What is measured -----------------------------------------------------------------------


@dataclass
class KindStats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    unexpected: int = 0
    first_problem: str = ""


class Recorder:
    """Latencies and failures per kind of request, shared by every client thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.kinds: dict[str, KindStats] = defaultdict(KindStats)

    def success(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.kinds[kind].latencies.append(seconds)

    def failure(self, kind: str, problem: str, *, server_error: bool) -> None:
        with self.lock:
            stats = self.kinds[kind]
            if server_error:
                stats.errors += 1
            else:
                stats.unexpected += 1
            stats.first_problem = stats.first_problem or problem

    def snapshot(self) -> dict[str, KindStats]:
        with self.lock:
            return {
                kind: KindStats(list(s.latencies), s.errors, s.unexpected, s.first_problem)
                for kind, s in self.kinds.items()
            }


class UnexpectedAnswer(Exception):
    """A step of the submitters' round got an answer that does not let it go on."""


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def gist(self, characters: int = 300) -> str:
        """The start of what the page says, without markup: its error summary if it has
        one, else its main content."""
        part = re.search(r'<div class="error-summary".*?</div>', self.text, re.DOTALL) or re.search(
            r"<main\b.*?</main>", self.text, re.DOTALL
        )
        words = re.sub(r"<[^>]+>", " ", part[0] if part else self.text)
        return re.sub(r"\s+", " ", words).strip()[:characters]


class Client:
    """One person's HTTP client: a fresh loopback connection per request (gunicorn's sync
    workers close each one), cookies kept by hand because production marks them Secure."""

    def __init__(self, port: int, recorder: Recorder, *, through_tls_proxy: bool = False):
        self.port = port
        self.recorder = recorder
        self.through_tls_proxy = through_tls_proxy
        self.cookies: dict[str, str] = {}

    def request(
        self, kind, method, path, body=b"", content_type="", expect=(200,), showing=""
    ) -> Answer:
        """One request, recorded under `kind`: a success if its status is one of `expect` and
        its page contains `showing`; raises UnexpectedAnswer otherwise."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.through_tls_proxy:
            origin = f"https://127.0.0.1:{self.port}"
            headers |= {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_SECONDS
        )
        began = time.perf_counter()
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        except (OSError, http.client.HTTPException) as error:
            self.recorder.failure(kind, f"{method} {path}: {error!r}", server_error=True)
            raise UnexpectedAnswer(repr(error)) from None
        finally:
            connection.close()
        elapsed = time.perf_counter() - began
        self.keep_cookies(answer)
        if answer.status in expect and showing in answer.text:
            self.recorder.success(kind, elapsed)
            return answer
        missing = f", without {showing!r}" if answer.status in expect else ""
        problem = f"{method} {path}: HTTP {answer.status}{missing}: {answer.gist()}"
        self.recorder.failure(kind, problem, server_error=answer.status >= 500)
        raise UnexpectedAnswer(problem)

    def get(self, kind: str, path: str) -> Answer:
        return self.request(kind, "GET", path)

    def form(self, kind: str, path: str, field_name: str) -> "Form":
        """GET a page and the form on it with a field named `field_name`."""
        answer = self.request(kind, "GET", path, showing=f'name="{field_name}"')
        return form_with(answer, path, field_name)

    def post_form(self, kind: str, path: str, fields: list[tuple[str, str]]) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        return self.request(
            kind, "POST", path, body, "application/x-www-form-urlencoded", expect=(302, 303)
        )

    def post_file(self, kind, path, fields, file_field, file_name, data) -> Answer:
        boundary = uuid.uuid4().hex
        parts = io.BytesIO()
        for name, value in fields:
            parts.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        parts.write(data + f"\r\n--{boundary}--\r\n".encode())
        return self.request(
            kind,
            "POST",
            path,
            parts.getvalue(),
            f"multipart/form-data; boundary={boundary}",
            expect=(302, 303),
        )

    def keep_cookies(self, answer: Answer) -> None:
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


# --- Forms ----------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, input type

    def names(self) -> set[str]:
        return {name for name, _value, _type in self.fields}

    def values(self, filled: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """What a browser would send, with `filled` replacing values by name."""
        filled = filled or {}
        sent = [
            (name, filled.get(name, value))
            for name, value, kind in self.fields
            if kind not in {"submit", "file"}
        ]
        missing = [(name, value) for name, value in filled.items() if name not in self.names()]
        return sent + missing


class FormParser(HTMLParser):
    """The forms of a page with the fields a browser would submit (checked boxes only)."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.open_form: Form | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.select: str | None = None
        self.select_value: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = attributes.get("action") or self.page_path
            self.open_form = Form(urllib.parse.urljoin(self.page_path, action))
            self.forms.append(self.open_form)
        elif tag == "option" and self.select is not None:
            if self.select_value is None or "selected" in attributes:
                self.select_value = attributes.get("value", "")
        elif self.open_form is None or not attributes.get("name"):
            return
        elif tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.open_form.fields.append((attributes["name"], attributes.get("value", ""), kind))
        elif tag == "textarea":
            self.textarea = (attributes["name"], [])
        elif tag == "select":
            self.select, self.select_value = attributes["name"], None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.open_form = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the newline that follows <textarea>, as Django's widget writes it.
            value = "".join(text).removeprefix("\r").removeprefix("\n")
            self.open_form.fields.append((name, value, "textarea"))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            self.open_form.fields.append((self.select, self.select_value or "", "select"))
            self.select = None


def form_with(answer: Answer, page_path: str, field_name: str) -> Form:
    parser = FormParser(page_path)
    parser.feed(answer.text)
    for form in parser.forms:
        if field_name in form.names():
            return form
    raise UnexpectedAnswer(f"{page_path} has no form with a {field_name!r} field")


# --- The people -----------------------------------------------------------------------------


def small_pdf(pages: int = 2) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        document.drawString(72, 720, f"Audit of surveillance technology use, page {number}.")
        document.drawString(72, 700, "Findings: retention schedules were not followed.")
        document.showPage()
    document.save()
    return buffer.getvalue()


def reader(port, recorder, pages_by_kind, stop: threading.Event, seed: int) -> None:
    choose = random.Random(seed)
    client = Client(port, recorder)
    kinds, weights = list(READER_MIX), list(READER_MIX.values())
    while not stop.is_set():
        kind = choose.choices(kinds, weights)[0]
        with contextlib.suppress(UnexpectedAnswer):
            client.get(kind, choose.choice(pages_by_kind[kind]))


def submitter(port, recorder, account, think: float, stop: threading.Event, done: list) -> None:
    username, password, agency = account
    client = Client(port, recorder, through_tls_proxy=True)
    pdf = small_pdf()
    signed_in = False
    while not stop.is_set():
        try:
            if not signed_in:
                sign_in(client, username, password)
                signed_in = True
            receipt = file_one_audit(client, agency, pdf, think, stop)
            if receipt:
                done.append(receipt)
        except UnexpectedAnswer:
            # Start the round again, signing in anew in case the session was the problem.
            signed_in = False
            stop.wait(think)


def sign_in(client: Client, username: str, password: str) -> None:
    path = "/agency/sign-in/"
    form = client.form("portal sign-in", path, "username")
    client.post_form(
        "portal sign-in", form.action, form.values({"username": username, "password": password})
    )


def file_one_audit(client: Client, agency: str, pdf: bytes, think: float, stop) -> str:
    """Start, fill in, document and submit one audit filing; the receipt page's path."""
    new_path = f"/agency/{agency}/filings/new/?kind={FILING_KIND}"
    form = client.form("portal new filing", new_path, "title")
    title = f"Load test audit {uuid.uuid4().hex[:8]}"
    created = client.post_form("portal create draft", form.action, form.values({"title": title}))
    edit_path = created.location
    filing = FILING_PATH.search(edit_path)
    if not filing:
        raise UnexpectedAnswer(f"creating a draft led to {edit_path!r}")
    if stop.wait(think):
        return ""

    edit_page = client.request("portal edit filing", "GET", edit_path, showing='name="file"')
    form = form_with(edit_page, edit_path, "title")
    filled = {"action": "save", "summary": "An audit filed by the load benchmark."}
    filled |= {
        name: f"Text for {name}, written by the load benchmark."
        for name, value, kind in form.fields
        if kind in {"text", "textarea"} and not value.strip() and name not in filled
    }
    client.post_form("portal save draft", form.action, form.values(filled))
    if stop.wait(think):
        return ""

    upload = form_with(edit_page, edit_path, "file")
    hidden = [(name, value) for name, value, kind in upload.fields if kind == "hidden"]
    client.post_file("portal upload PDF", upload.action, hidden, "file", "audit.pdf", pdf)
    if stop.wait(think):
        return ""

    submit_path = f"/agency/{agency}/filings/{filing[1]}/submit/"
    form = client.form("portal submit page", submit_path, "submission_key")
    submitted = client.post_form("portal submit", form.action, form.values())
    client.get("portal receipt", submitted.location)
    stop.wait(think)
    return submitted.location


# --- The server side ------------------------------------------------------------------------


def database_url() -> str:
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = urllib.parse.quote(database.get("USER") or "")
    password = urllib.parse.quote(database.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}{database.get('HOST') or '127.0.0.1'}{port}/{database['NAME']}"


def load_environment(workspace: Path, media: Path) -> dict:
    environment = server_environment(workspace, media)
    environment |= {
        # Production's own URLconf: the load needs no baseline view.
        "DJANGO_SETTINGS_MODULE": "bench.production_settings",
        "DATABASE_URL": database_url(),
        "API_ANON_THROTTLE_RATE": UNTHROTTLED_API_RATE,
    }
    return environment


@contextlib.contextmanager
def running_process(label: str, arguments: list[str], environment: dict, log: Path):
    """A child process of this one, logging to `log`; stopped by its pid, whatever happens."""
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [sys.executable, *arguments],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    print(f"Started {label} (pid {process.pid})", flush=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        print(f"Stopped {label} (pid {process.pid})", flush=True)


@contextlib.contextmanager
def running_gunicorn(environment: dict, workspace: Path, workers: int):
    """gunicorn as the Dockerfile runs it (sync workers), on a free local port."""
    port = free_port()
    arguments = ["-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    arguments += ["--workers", str(workers), "--no-control-socket"]
    arguments += ["--access-logfile", str(workspace / "access.log")]
    log = workspace / "gunicorn.log"
    with running_process(f"gunicorn ({workers} workers)", arguments, environment, log) as process:
        deadline = time.monotonic() + GUNICORN_START_SECONDS
        while True:
            with contextlib.suppress(OSError):
                if fetch(port, "/")[0] == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"gunicorn did not start serving; its log ends:\n{tail}")
            time.sleep(0.2)
        yield port


@contextlib.contextmanager
def running_task_worker(environment: dict, workspace: Path):
    """manage.py db_worker as the compose worker runs it."""
    arguments = ["manage.py", "db_worker", "--no-reload", "--interval", "0.5"]
    log = workspace / "worker.log"
    with running_process("the task worker", arguments, environment, log) as process:
        # It checks the project before it takes tasks; a failed check ends it at once.
        time.sleep(WORKER_START_SECONDS)
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the task worker exited at start; its log ends:\n{tail}")
        yield process.pid


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                # The field after the parenthesised command name is the state, then the ppid.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return sorted(found)


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
    return ""


def resident_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def server_memory(worker_pid: int) -> dict[str, float]:
    """Resident MB of each gunicorn worker (children of the master this process started)
    and of the task worker."""
    memory = {}
    for child in children_of(os.getpid()):
        if "gunicorn" in command_line(child):
            for number, worker in enumerate(children_of(child), start=1):
                memory[f"gunicorn worker {number}"] = resident_mb(worker)
    memory["task worker"] = resident_mb(worker_pid)
    return memory


# --- Pages ----------------------------------------------------------------------------------


def reader_pages() -> dict[str, list[str]]:
    from content.agencies.models import Agency
    from content.filings.visibility import public_documents, public_filings

    filings = list(public_filings().order_by("pk").values_list("pk", flat=True))
    documents = list(public_documents().order_by("pk").values_list("pk", flat=True))
    agencies = list(
        Agency.objects.filter(filings__in=public_filings().values("pk"))
        .distinct()
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    queries = [urllib.parse.urlencode({"q": query}) for query in SEARCH_QUERIES]
    pages = {
        "home": ["/"],
        "search": [f"/search/?{query}" for query in queries],
        "filing": [f"/filings/{pk}/" for pk in filings],
        "agency": [f"/agencies/{slug}/" for slug in agencies],
        "browse": ["/agencies/", "/technologies/", "/vendors/", "/filings/"],
        "document": [f"/documents/{pk}/" for pk in documents],
        "feed": [
            "/feeds/publications.atom",
            f"/feeds/search.atom?{queries[0]}",
            *(f"/feeds/agencies/{slug}.atom" for slug in agencies),
        ],
        "api": [
            "/api/v1/filings/",
            "/api/v1/agencies/",
            f"/api/v1/search/?{queries[0]}",
            *(f"/api/v1/filings/{pk}/" for pk in filings[:20]),
        ],
    }
    print(
        "Reader pages: "
        + ", ".join(f"{kind} {len(paths)}" for kind, paths in pages.items())
        + f" ({len(filings)} published filings, {len(documents)} public documents)",
        flush=True,
    )
    return pages


def check_pages(port: int, pages_by_kind: dict[str, list[str]]) -> None:
    """Every page the readers will ask for answers 200 now, before any load."""
    recorder = Recorder()
    client = Client(port, recorder)
    for kind, paths in pages_by_kind.items():
        for path in paths:
            try:
                client.get(kind, path)
            except UnexpectedAnswer as problem:
                raise RuntimeError(f"before the run, {problem}") from None


# --- Reporting ------------------------------------------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def print_report(title, snapshot, elapsed, memory_start, memory_now) -> tuple[int, int]:
    total = sum(len(s.latencies) + s.errors + s.unexpected for s in snapshot.values())
    errors = sum(s.errors for s in snapshot.values())
    unexpected = sum(s.unexpected for s in snapshot.values())
    print(
        f"\n{title}: {elapsed:.0f} s, {total} requests ({total / elapsed:.1f}/s), "
        f"{errors} errors, {unexpected} other unexpected answers",
        flush=True,
    )
    print(f"  {'kind':22} {'requests':>9} {'errors':>7} {'other':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in sorted(snapshot):
        stats = snapshot[kind]
        ordered = sorted(stats.latencies)
        median = statistics.median(ordered) if ordered else 0.0
        print(
            f"  {kind:22} {len(ordered) + stats.errors + stats.unexpected:9} {stats.errors:7} "
            f"{stats.unexpected:6} {median * 1000:8.1f} {percentile(ordered, 0.95) * 1000:8.1f}"
        )
        if stats.first_problem:
            print(f"  {'':22} first problem: {stats.first_problem}")
    memory = ", ".join(
        f"{name} {memory_start.get(name, float('nan')):.0f} -> {mb:.0f}"
        for name, mb in memory_now.items()
    )
    print(f"  resident MB (at start -> now): {memory}", flush=True)
    return errors, unexpected


# --- The run --------------------------------------------------------------------------------


def print_last_failed_request(log: Path) -> None:
    """The server's own account of the last request that failed, before the workspace is
    deleted. (Mail to the benchmark's dummy SMTP host fails after every submission; those
    are logged and do not fail a request, so they are not what this looks for.)"""
    text = log.read_text(errors="replace")
    start = text.rfind("Internal Server Error:")
    if start == -1:
        print(f"{log.name} records no failed request; its end:\n{text[-3000:]}")
    else:
        print(f"The last failed request in {log.name}:\n{text[start : start + 8000]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the load")
    parser.add_argument("--readers", type=int, default=16, help="concurrent anonymous readers")
    parser.add_argument("--submitters", type=int, default=2, help="concurrent agency submitters")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--think", type=float, default=1.0, help="submitters' pause, seconds")
    parser.add_argument("--report-every", type=float, default=30.0, help="seconds between reports")
    options = parser.parse_args()
    if min(options.minutes, options.readers, options.workers, options.report_every) <= 0:
        parser.error("--minutes, --readers, --workers and --report-every must be positive")
    if not 0 <= options.submitters <= len(SUBMITTERS) * 4:
        parser.error(f"--submitters must be between 0 and {len(SUBMITTERS) * 4}")

    with throwaway_database("load") as workspace:
        from django.conf import global_settings, settings
        from django.test import override_settings

        settings_media = Path(settings.MEDIA_ROOT)
        media = workspace / "media"
        try:
            # The test settings hash with MD5, which production settings do not accept: the
            # demo submitters' passwords are hashed as the server will check them.
            with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
                load_demo(media)
            pages_by_kind = reader_pages()
            environment = load_environment(workspace, media)
            collect_static(environment)
            with (
                running_gunicorn(environment, workspace, options.workers) as port,
                running_task_worker(environment, workspace) as worker_pid,
            ):
                check_pages(port, pages_by_kind)
                clean = run_load(port, worker_pid, pages_by_kind, options)
            if not clean:
                print_last_failed_request(workspace / "gunicorn.log")
        finally:
            shutil.rmtree(settings_media, ignore_errors=True)
    sys.exit(0 if clean else 1)


def run_load(port, worker_pid, pages_by_kind, options) -> bool:
    """Drive the load; whether every request was answered as expected."""
    recorder = Recorder()
    stop = threading.Event()
    receipts: list[str] = []
    memory_start = server_memory(worker_pid)
    threads = [
        threading.Thread(
            target=reader, args=(port, recorder, pages_by_kind, stop, seed), daemon=True
        )
        for seed in range(options.readers)
    ]
    threads += [
        threading.Thread(
            target=submitter,
            args=(port, recorder, SUBMITTERS[n % len(SUBMITTERS)], options.think, stop, receipts),
            daemon=True,
        )
        for n in range(options.submitters)
    ]
    print(
        f"\nLoad: {options.readers} readers and {options.submitters} submitters for "
        f"{options.minutes:g} min against gunicorn with {options.workers} sync workers",
        flush=True,
    )
    began = time.monotonic()
    deadline = began + options.minutes * 60
    for thread in threads:
        thread.start()
    while (now := time.monotonic()) < deadline:
        time.sleep(min(options.report_every, deadline - now))
        if time.monotonic() < deadline:
            print_report(
                "So far",
                recorder.snapshot(),
                time.monotonic() - began,
                memory_start,
                server_memory(worker_pid),
            )
    stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_SECONDS + 5)
    errors, unexpected = print_report(
        "Finished",
        recorder.snapshot(),
        time.monotonic() - began,
        memory_start,
        server_memory(worker_pid),
    )
    print(f"  filings submitted: {len(receipts)}", flush=True)
    return not errors and not unexpected and bool(receipts or not options.submitters)


if __name__ == "__main__":
    main()
