"""Pages per second from upload to searchable, against pdftotext; peak memory of a long PDF.

Writes text PDFs of policy language with reportlab (in child processes, so that
writing them neither slows nor inflates this process), then:

- baseline: pdftotext (poppler-utils) over every PDF, pages per second;
- measured: after one uncounted PDF that warms up the process (imports, the URL
  configuration), each PDF through ingest_document (safety checks, storage, Document
  row), extract_document_text.call (text page by page) and publishing its filing
  with Filing.transition_to, which writes the database search index: pages per
  second from upload to searchable, and the ratio to pdftotext. The baseline and
  the measured steps take turns PDF by PDF, so that other work on the machine
  slows both alike. This runs --rounds times over the same PDFs (new filings each
  round); the round with the median ratio is reported, so one round slowed by other
  work does not decide it. Afterwards the PDF safety checks, pypdfium2's reading of
  the text and the index write are timed again on their own, to show where the time
  goes;
- memory: one long PDF through the same steps, the growth of the resident set
  at its peak in each step (Linux: VmHWM after resetting it).

Runs in a throwaway file database (like production, not in memory) with stored
files in a temporary directory.

    .venv/bin/python -m bench.ingestion [--documents 20] [--pages 50] [--rounds 3]
        [--long-pages 2000] [--skip-memory]
"""

import argparse
import multiprocessing
import os
import re
import shutil
import subprocess
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.search import CITY, PAGE_WORDS, SEED, CorpusWriter
from bench.throwaway import throwaway_database

RATIO_TARGET = 0.5
MEMORY_TARGET_MB = 300
# Letter paper, Helvetica 10 on 13 points, 90 characters a line: a dense policy page.
LINE_CHARACTERS = 90
SEARCHED_WORD = CITY.lower()


# --- Writing the PDFs (in child processes) --------------------------------------------------


def write_pdf(path: str, page_count: int, seed: int) -> str:
    """A text PDF of `page_count` pages of policy prose, with a running header and footer."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    writer = CorpusWriter(seed)
    pdf = canvas.Canvas(path, pagesize=LETTER, invariant=1)
    header = f"City of {CITY} · Police Department · Surveillance use policy"
    for number in range(1, page_count + 1):
        text = pdf.beginText(72, 720)
        text.setFont("Helvetica", 10, leading=13)
        text.textLine(header)
        text.textLine("")
        prose = writer.prose(writer.rng.randint(*PAGE_WORDS))
        for paragraph in prose.split("\n\n"):
            for line in textwrap.wrap(paragraph, LINE_CHARACTERS):
                text.textLine(line)
            text.textLine("")
        pdf.drawText(text)
        pdf.drawString(72, 40, f"Page {number} of {page_count}")
        pdf.showPage()
    pdf.save()
    return path


def write_pdfs(directory: Path, sizes: list[int]) -> list[Path]:
    """One PDF per size, written in parallel; the same sizes always give the same files."""
    paths = [directory / f"policy-{index:03d}.pdf" for index in range(len(sizes))]
    with ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn")) as pool:
        written = pool.map(
            write_pdf,
            [str(path) for path in paths],
            sizes,
            [SEED + index for index in range(len(sizes))],
        )
    return [Path(path) for path in written]


# --- Measuring ------------------------------------------------------------------------------


def pdftotext(path: Path) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments, our own files
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607 - found on PATH
        check=True,
        capture_output=True,
    )


def new_filing(agency, technology, title: str):
    from tests.factories import FilingFactory

    return FilingFactory(agency=agency, technologies=[technology], kind="use_policy", title=title)


def ingest(filing, path: Path):
    from search.ingestion import ingest_document

    with path.open("rb") as upload:
        return ingest_document(filing, upload, path.name)


def extract(document) -> None:
    from content.documents.models import Document
    from search.extraction import extract_document_text

    outcome = extract_document_text.call(document.pk)
    if outcome != Document.Processing.EXTRACTED:
        raise RuntimeError(f"{document}: extraction ended {outcome!r}")


def publish(filing) -> None:
    from content.filings.models import Status

    for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED):
        filing.transition_to(status)


def safety_checks(path: Path, workspace: Path) -> None:
    """The PDF checks of ingest_document (pikepdf) alone."""
    from search.ingestion.pdf_safety import inspect_pdf

    inspect_pdf(path, workspace)


def remove_index_entry(filing) -> None:
    from search.backends.registry import get_database_backend

    get_database_backend().remove_filing(filing.pk)


def index_write(filing) -> None:
    """The database search index's entry for a published filing, written as publishing writes
    it (into an index without it; rewriting an entry in place costs more)."""
    from django.db import transaction

    from search.backends.registry import get_database_backend
    from search.indexing import apply_current_state

    with transaction.atomic():
        apply_current_state(get_database_backend(), filing.pk)


def pdfium_text(path: Path) -> None:
    """Every page's text read with pypdfium2 as extraction reads it, without storing it."""
    import pypdfium2

    from search.extraction import page_texts

    with pypdfium2.PdfDocument(path) as pdf:
        for _page in page_texts(pdf, range(1, len(pdf) + 1)):
            pass


@dataclass
class Seconds:
    pdftotext: float = 0.0
    ingest: float = 0.0
    extract: float = 0.0
    publish: float = 0.0

    @property
    def upload_to_searchable(self) -> float:
        return self.ingest + self.extract + self.publish

    @property
    def ratio(self) -> float:
        """Pages per second from upload to searchable over pdftotext's, on the same pages."""
        return self.pdftotext / self.upload_to_searchable


@dataclass
class Parts:
    """Parts of ingest, extract and publish, timed apart from them."""

    safety_checks: float = 0.0
    pdfium_text: float = 0.0
    index_write: float = 0.0


def timed(function, *arguments) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*arguments)
    return time.perf_counter() - start, result


def measure_pipeline(
    paths: list[Path], agency, technology, workspace: Path, rounds: int
) -> tuple[list[Seconds], Parts]:
    """pdftotext and then the portal's three steps on each PDF in turn, so that whatever else
    the machine does at the time slows the baseline and the measured path alike; one Seconds
    per round. Then the parts, timed apart on the last round's PDFs: after the rounds, so
    that rewriting index entries leaves the measured path's index as publishing left it.

    The last PDF goes through every step first, uncounted: it pays one-time costs (imports,
    the URL configuration that publishing loads) that a running worker has paid before.
    """
    *measured, warm_up = paths
    measure_one(warm_up, agency, technology, Seconds())
    results = []
    for round_number in range(1, rounds + 1):
        seconds = Seconds()
        filings = [measure_one(path, agency, technology, seconds) for path in measured]
        print(f"  round {round_number}: {seconds.ratio:.2f}x", flush=True)
        results.append(seconds)
    parts = Parts()
    for path, filing in zip(measured, filings, strict=True):
        parts.safety_checks += timed(safety_checks, path, workspace)[0]
        parts.pdfium_text += timed(pdfium_text, path)[0]
        remove_index_entry(filing)
        parts.index_write += timed(index_write, filing)[0]
    return results, parts


def measure_one(path: Path, agency, technology, seconds: Seconds):
    """Add one PDF's times to `seconds`; its published filing."""
    filing = new_filing(agency, technology, f"Use policy {path.stem}")
    seconds.pdftotext += timed(pdftotext, path)[0]
    elapsed, document = timed(ingest, filing, path)
    seconds.ingest += elapsed
    seconds.extract += timed(extract, document)[0]
    seconds.publish += timed(publish, filing)[0]
    return filing


def _status_kilobytes(field_name: str) -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field_name}:\s+(\d+) kB", status, re.MULTILINE)[1])


def peak_growth_mb(function) -> float:
    """How far the resident set grew above its size before `function`, at its highest.

    Resetting the high-water mark (Linux: "5" into clear_refs) first makes the peak this
    step's own, whatever the process held before.
    """
    before = _status_kilobytes("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    function()
    return (_status_kilobytes("VmHWM") - before) / 1024


# --- Main -----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20, help="PDFs to ingest (default 20)")
    parser.add_argument("--pages", type=int, default=50, help="pages per PDF (default 50)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds over the PDFs; the median is reported"
    )
    parser.add_argument(
        "--long-pages", type=int, default=2000, help="pages of the memory test's PDF (default 2000)"
    )
    parser.add_argument("--skip-memory", action="store_true", help="no long PDF, no memory test")
    options = parser.parse_args()
    if shutil.which("pdftotext") is None:
        parser.error("pdftotext is missing: apt-get install -y poppler-utils")
    for name in ("documents", "pages", "rounds"):
        if getattr(options, name) < 1:
            parser.error(f"--{name} must be at least 1")

    with throwaway_database("ingestion") as workspace:
        from django.test.utils import override_settings

        # Stored files go to the workspace. Tasks are only recorded, so extraction runs where
        # the benchmark calls it (and is timed there), not a second time when the upload commits.
        with override_settings(
            MEDIA_ROOT=str(workspace / "media"),
            TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
        ):
            run(options, workspace)


def run(options, workspace: Path):
    from tests.factories import AgencyFactory, TechnologyFactory

    agency = AgencyFactory(name="Police Department", slug="police")
    technology = TechnologyFactory(name="Automated License Plate Readers", slug="alpr")
    if not options.skip_memory:
        # First, while this process holds little, and with the PDF written by a child.
        print(f"Writing one {options.long_pages:,}-page PDF...", flush=True)
        long_directory = workspace / "long-pdf"
        long_directory.mkdir()
        [long_pdf] = write_pdfs(long_directory, [options.long_pages])
        measure_memory(long_pdf, agency, technology)

    print(
        f"Writing {options.documents} PDFs of {options.pages} pages and one to warm up "
        f"({os.cpu_count()} processes)...",
        flush=True,
    )
    pdf_directory = workspace / "pdfs"
    pdf_directory.mkdir()
    # One more than measured, to warm up; the measured PDFs stay those of earlier runs.
    paths = write_pdfs(pdf_directory, [options.pages] * (options.documents + 1))
    page_count = options.documents * options.pages
    size_mb = sum(path.stat().st_size for path in paths[:-1]) / 1024**2
    print(f"  {page_count:,} pages, {size_mb:.1f} MB", flush=True)

    print(
        "pdftotext, then ingesting, extracting and publishing, each PDF in turn "
        f"(the first uncounted, as a warm-up), {options.rounds} rounds...",
        flush=True,
    )
    rounds, parts = measure_pipeline(paths, agency, technology, workspace, options.rounds)
    check_searchable()
    seconds = sorted(rounds, key=lambda measured: measured.ratio)[len(rounds) // 2]
    baseline_rate = page_count / seconds.pdftotext
    rate = page_count / seconds.upload_to_searchable

    print()
    print(f"The median round of {len(rounds)}:")
    print(f"pdftotext:            {seconds.pdftotext:6.2f} s, {baseline_rate:,.0f} pages/s")
    print(f"Upload to searchable: {seconds.upload_to_searchable:6.2f} s, {rate:,.0f} pages/s")
    print(
        f"  ingest_document        {seconds.ingest:6.2f} s "
        f"(the PDF safety checks alone: {parts.safety_checks:.2f} s)"
    )
    print(
        f"  extract_document_text  {seconds.extract:6.2f} s "
        f"(reading the text with pypdfium2 alone: {parts.pdfium_text:.2f} s)"
    )
    print(
        f"  publishing + indexing  {seconds.publish:6.2f} s "
        f"(writing the index entry alone: {parts.index_write:.2f} s)"
    )
    met = "met" if seconds.ratio >= RATIO_TARGET else "NOT met"
    print(f"Ratio to pdftotext: {seconds.ratio:.2f}x (target >= {RATIO_TARGET}: {met})")
    print(f"Load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def check_searchable() -> None:
    """Every published filing is found by a word printed on each of its pages."""
    from content.filings.models import Filing, Status
    from search.query import parse_query
    from search.results import SearchRequest
    from search.service import answer

    found = answer(SearchRequest(query=parse_query(SEARCHED_WORD))).results.total
    expected = Filing.objects.filter(status=Status.PUBLISHED).count()
    if found != expected:
        raise RuntimeError(f"searching '{SEARCHED_WORD}' found {found} filings, not {expected}")
    print(f"Searchable: '{SEARCHED_WORD}' finds all {found} published filings")


def measure_memory(path: Path, agency, technology) -> None:
    filing = new_filing(agency, technology, "Long use policy")
    size_mb = path.stat().st_size / 1024**2
    documents = []
    growth = {
        "ingest_document": peak_growth_mb(lambda: documents.append(ingest(filing, path))),
        "extract_document_text": peak_growth_mb(lambda: extract(documents[0])),
        "publishing + indexing": peak_growth_mb(lambda: publish(filing)),
    }
    print(
        f"Peak memory growth for one {documents[0].page_count:,}-page PDF ({size_mb:.1f} MB), "
        "resident set above its size before each step:"
    )
    for step, megabytes in growth.items():
        print(f"  {step:22} {megabytes:6.1f} MB")
    worst = max(growth["ingest_document"], growth["extract_document_text"])
    met = "met" if worst < MEMORY_TARGET_MB else "NOT met"
    print(f"  ingestion + extraction peak {worst:.1f} MB (target < {MEMORY_TARGET_MB} MB: {met})")


if __name__ == "__main__":
    main()
