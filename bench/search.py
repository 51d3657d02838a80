# ruff: noqa: S608 - the SQL here is assembled from the backend's constant table names and %s
# placeholders only.
"""Search latency on a realistic corpus: the portal's search against the bare engine and Wagtail.

Generates a deterministic corpus of oversight filings (policy and report
language about surveillance technology, a vocabulary of a few thousand words
with Zipf-like frequencies) in a throwaway file database, loads it into the
database search backend with rebuild(), and loads the same texts into
Wagtail's own database search backend for comparison. Then times a fixed mix
of queries, each `--repeat` times, along four paths:

- service: search.service.answer(), as the search page calls it;
- HTTP: GET /search.json from the portal run by gunicorn on the same database;
- raw engine: a bare full-text query for the same words returning the 20
  best-ranked units (FTS5 MATCH with bm25 on SQLite, @@ with ts_rank on
  PostgreSQL), the floor any search on this index has to pay;
- Wagtail: wagtail.search's database backend over the same texts.

Prints p50 and p95 per query and path, the ratios against the baselines, and
where the service's time goes, statement by statement.

    .venv/bin/python -m bench.search [--pages 200000] [--repeat 50] [--skip-http]
        [--skip-wagtail] [--wagtail-budget 60]
"""

import argparse
import contextlib
import datetime
import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.throwaway import throwaway_database

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED = 96_402
WAGTAIL_BATCH = 5_000
PROGRESS_STEPS = 20
GUNICORN_START_SECONDS = 60
RESULTS_PER_PAGE = 20

# --- Vocabulary -----------------------------------------------------------------------------


def _words(block: str) -> list[str]:
    # The lists are written as blocks of words, easier to read and extend than list literals.
    return block.split()


# Word lists in rough order of how often such documents use them. Function words and the core
# terms keep their order and take the top ranks of the Zipf distribution; everything else
# (with plurals and verb forms added) is shuffled into the long tail.

FUNCTION_WORDS = _words(
    """
the of and to in a or for be by shall any with that is as on this such not all may from are
will which other its under each an at no only has have been if within who whether these those
must upon into than when where their they it were was so also but after before during without
between through including unless until both either nor per via about against among over more
most less least same further following prior pursuant herein thereof therein whereas hereby
however therefore otherwise except above below up out then can could would should might do
does did being our we he she his her them us one two three four five six seven eight nine ten
first second third here there what how why while because although even every many much some
"""
)

CORE_TERMS = _words(
    """
surveillance technology data department city information use policy report system access
camera footage retention records public council officer police personnel agency vendor
contract audit annual review approval community privacy civil rights request section
ordinance commission use_policy impact collection storage sharing drone video image
recording analysis investigation evidence incident database software hardware location
purpose authorized staff training deployment operation maintenance cost funding compliance
violation complaint oversight transparency accountability disclosure retention_period
facial_recognition license_plate_reader body_worn_camera data_retention chief_of_police
city_council privacy_advisory_commission law_enforcement third_party audit_log
criminal_investigation personally_identifiable_information public_records_act
surveillance_impact_report annual_surveillance_report gunshot_detection cell_site_simulator
unmanned_aircraft_system real_time_crime_center data_sharing_agreement exigent_circumstances
"""
)

COLLOCATIONS = _words(
    """
fourth_amendment probable_cause search_warrant chain_of_custody role_based_access access_log
immigration_enforcement federal_agency mutual_aid hot_list false_positive error_rate
civil_liberties disparate_impact community_meeting public_comment fiscal_year general_fund
grant_funding cloud_storage encryption_at_rest two_factor_authentication system_administrator
internal_affairs training_records evidence_management video_management_system
department_general_order memorandum_of_understanding automated_license_plate_reader
situational_awareness crime_analysis stolen_vehicle missing_person court_order subpoena_duces_tecum
records_request data_breach need_to_know right_to_know public_safety city_administrator
city_attorney
"""
)

NOUNS = _words(
    """
account action activity address administrator agreement alert algorithm allegation amendment
amount analyst appendix application approach area arrest assessment asset attachment attorney
authority authorization backup badge baseline benefit bias breach budget building camera_feed
capability case category certificate chair change channel charge check circumstance citation
citizen claim clause code commander comment commissioner communication component condition
configuration consent consultant contractor control copy council_member count court coverage
credential crime criterion custodian customer deadline decision default definition deletion
delivery demographic deputy description designee detail detective determination device director
disclosure_log dispatcher display district document duration duty effect element email employee
endpoint entity entry environment equipment error estimate event exception exemption expense
expiration export facility factor failure feature fee field file filing finding firmware flight
form format framework frequency function grant guideline hearing holder hour identifier
identity implementation incident_report individual infrastructure input inquiry inspection
installation instance instruction integration interface interval inventory invoice issue item
jurisdiction justification key label lead level license limit line list log manager manual
match measure meeting member memo method metric minute mission model module month neighborhood
network notice notification number objective obligation occurrence office official operator
order organization outcome output owner page panel paragraph participant partner party password
patrol payment penalty percentage period permission person phase photograph pilot placement
plan plate platform point pole portal position practice procedure process product program
project property protocol provider provision query question quote range rate reader reason
recipient recommendation record_keeper redaction reference region regulation renewal
replacement representative requirement requester resident resolution resource response result
risk role rule safeguard sample scene schedule scope screen server service session setting
sheet signal signature site software_update source specification stakeholder standard statement
station status statute step storage_device subject subscription summary supervisor supplier
support suspect table target task team term test threshold ticket timeline timestamp tool
total track transaction transfer type unit update upgrade user value vehicle version victim
viewer warrant website week witness workflow workstation year zone
accident advocate affiliate allocation analytic antenna archive_copy assistant auditor
barrier battery beat block boundary bureau caller capacity captain card carrier cartridge
census certification checklist classification clerk cluster coalition collision column
condition_report console constituent corporation correction counsel county coordinator
criterion_set dashboard dataset day decade delegate dependency deployment_site designation
diagram directive discrepancy dispute division draft driver enclosure estimate_sheet
examiner exhibit_list expert extension feed figure fine firm fleet folder footnote forum
gateway guardian handbook hash headquarters helicopter highway household hyperlink
inspector instrument intern inventory_item investigator juvenile kit landlord lane lawsuit
layer lease lens lieutenant lot mailbox map marker mechanism merchant message microphone
milestone minor monitor_screen motorist narrative negotiation node objection observer
occupant ordinance_amendment outage overlay packet pamphlet parcel parking_lot partnership
passenger pattern pedestrian permit petition photo pixel plaintiff precinct premise
presentation principal priority proposal prosecutor publication purchase radius ratio
receipt recorder referral registry relay remark repository retailer revision road roster
route router sector segment sensor sergeant shift shooting signage snapshot specialist
sponsor spreadsheet square storefront street subcontractor submission survey synopsis
tablet tenant terminal territory thread tier topic tower trainee trainer transcript_copy
trial trigger truck tutorial uniform vault venue verification vote voucher wall watchlist
window worksheet
"""
)

UNCOUNTABLE = _words(
    """
data information footage evidence software hardware equipment personnel staff oversight
transparency accountability compliance funding maintenance storage collection analysis
retention privacy safety security misuse abuse consent enforcement encryption
anonymization minimization governance liability integrity confidentiality availability
"""
)

VERBS = _words(
    """
access acquire activate adopt allow amend analyze apply approve archive assess assign attach
audit authorize capture certify change collect comply conduct configure confirm consider
consult contain continue coordinate correct create deactivate decide define delete deny deploy
describe designate destroy detect determine develop disable disclose discontinue document
download enable encrypt ensure establish evaluate exceed expire export extend file follow
identify implement include indicate inform inspect install integrate investigate issue limit
locate log maintain manage match mitigate monitor notify obtain operate outline perform post
preserve prevent process produce prohibit protect provide publish purge query receive recommend
record reduce redact register release remove renew replace report request require restrict
retain return review revoke scan search secure select share specify store submit supervise
support suspend track train transfer transmit update upload use verify view
accept address adjust advise aggregate alert anonymize append appoint arrange assist attend
backup balance bill calculate cancel categorize cite clarify classify compile complete
compute connect consolidate contact convene convert count cover cross delay deliver depend
design detain direct discuss dispatch display distribute draft enter escalate estimate
examine exchange execute explain expand flag forward generate grant handle hire host
incorporate index inspect interview invoice label lease list mark measure merge minimize
modify mount negotiate note observe order organize pair patrol place plan prepare present
print prioritize procure program propose qualify quote rate reach reassign reconcile
refer reject relate rely repair replicate represent reset resolve respond restore reveal
route sample schedule screen seal serve sign sort stop summarize survey tag test
"""
)

# Verbs whose last consonant doubles before -ed and -ing.
DOUBLING_VERBS = frozenset(
    _words("commit omit permit submit transmit admit refer occur plan stop log tag flag scan")
)

ADJECTIVES = _words(
    """
able accurate active additional adequate administrative aerial annual applicable appropriate
approved automated automatic available biometric candid central civil clear commercial
complete comprehensive confidential consistent continuous criminal critical current daily
dedicated demographic digital direct discriminatory effective electronic eligible emergency
encrypted entire equal essential exempt existing external federal final financial fixed
formal former full general historical immediate independent individual initial internal
investigative lawful legal limited live local manual mobile monthly municipal national
necessary new non objective official online operational original outside overall particular
pending permanent personal physical pilot possible potential previous primary private proposed
public quarterly reasonable recent regional regular relevant remote reportable required
responsible routine secure sensitive separate serious significant similar specific standard
state strict subsequent substantial sufficient suspicious technical temporary timely total
unauthorized unlawful valid various written yearly
acceptable accessible adverse affected alternative ambiguous analog anonymous applied
archival auditable authentic average aware bilingual binding broad certified chronic
civilian closed cognizable collective combined compatible competitive compliant
conditional consecutive contractual controlled covert cumulative customary defective
deficient designated detailed discrete disproportionate domestic durable economic
equitable erroneous excessive expired explicit exigent expedited fair false favorable
fiscal foreign forensic frequent functional geographic granular hazardous identifiable
illegal impartial inaccurate inadequate incomplete informal inherent intrusive invalid
juvenile lengthy marginalized material measurable minimal minor mutual narrow neutral
nominal noncompliant notable numerous obsolete ongoing open optional ordinary overt
partial passive periodic pertinent preliminary prospective protected punitive qualified
random readable redacted reliable residential restricted retroactive satisfactory
scheduled searchable secondary selective sole stationary statistical statutory stored
strategic supplemental systematic targeted tentative thorough transparent unique
unredacted urgent verified visible vulnerable warrantless
"""
)

ADVERBS = _words(
    """
annually approximately automatically currently directly generally immediately only
periodically promptly publicly reasonably regularly securely solely specifically strictly
"""
)

LEGAL_TERMS = _words(
    """
article chapter subsection clause exhibit schedule_a resolution_no ordinance_no statute code_section
brown_act sunshine_ordinance california_values_act calecpa sb_34 ab_481 penal_code
government_code evidence_code municipal_code charter bylaws rulemaking adjudication injunction
litigation settlement indemnification warranty termination breach_of_contract liquidated_damages
force_majeure severability jurisdictional venue arbitration mediation appeal remand stipulation
affidavit declaration deposition discovery subpoena summons testimony transcript verdict
judgment precedent doctrine standing remedy damages restitution sanction misdemeanor felony
infraction probation parole bail custody detention seizure search consent_decree
"""
)

PLACES = _words(
    """
harbor downtown uptown eastlake westlake fruitvale chinatown montclair rockridge temescal
jingletown lakeshore broadway telegraph international_boulevard macarthur grand_avenue
market_street airport port waterfront civic_center city_hall police_administration_building
eastmont west_end north_end hills flatlands corridor intersection plaza park library
"""
)

SURNAMES = _words(
    """
alvarez baker chen davis evans fernandez garcia harris ibarra jackson kim lee martinez
nguyen okafor patel quinn rivera singh thompson umar vasquez washington xu yamamoto zhang
abdi brooks castillo dubois ellis foster gupta hernandez ito johnson khan lopez moore
nakamura ortiz price ramirez santos tran walker young
"""
)


def _numbers() -> list[str]:
    """Numbers as extracted text shows them: counts, days, years, code sections, amounts."""
    counts = [str(number) for number in range(1, 501)]
    years = [str(year) for year in range(2010, 2027)]
    sections = [f"9.64.{number:03d}" for number in range(10, 110, 10)]
    amounts = [f"${thousands},000" for thousands in (5, 10, 25, 50, 75, 100, 250, 500, 750)]
    return counts + years + sections + amounts


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def _verb_forms(verb: str) -> list[str]:
    stem = verb + verb[-1] if verb in DOUBLING_VERBS else verb
    if verb.endswith("e"):
        return [verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return [verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    third_person = verb + "es" if verb.endswith(("s", "x", "z", "ch", "sh")) else verb + "s"
    return [third_person, stem + "ed", stem + "ing"]


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]
    cumulative_weights: tuple[float, ...]


def build_vocabulary(rng: random.Random) -> Vocabulary:
    """Every word (an underscore joins a multi-word term) with Zipf-Mandelbrot weights."""
    head = list(dict.fromkeys(FUNCTION_WORDS + CORE_TERMS))
    tail = COLLOCATIONS + NOUNS + UNCOUNTABLE + VERBS + ADJECTIVES + ADVERBS + LEGAL_TERMS
    tail += PLACES + SURNAMES + _numbers()
    tail += [_plural(noun) for noun in NOUNS]
    tail += [form for verb in VERBS for form in _verb_forms(verb)]
    head_words = set(head)
    tail = [word for word in dict.fromkeys(tail) if word not in head_words]
    rng.shuffle(tail)
    words = [word.replace("_", " ") for word in head + tail]
    # Zipf-Mandelbrot: weight 1/(rank + 2.7); the offset flattens the very top as in real text.
    cumulative = list(itertools.accumulate(1 / (rank + 2.7) for rank in range(len(words))))
    return Vocabulary(tuple(words), tuple(cumulative))


# --- The corpus -----------------------------------------------------------------------------

CITY = "Northbay"
AGENCIES = (  # (slug, name, share of the filings)
    ("police", "Police Department", 40),
    ("transportation", "Department of Transportation", 12),
    ("fire", "Fire Department", 8),
    ("public-works", "Public Works", 8),
    ("port", "Port of Northbay", 7),
    ("information-technology", "Information Technology Department", 6),
    ("library", "Public Library", 4),
    ("parks", "Parks and Recreation", 4),
    ("housing", "Housing and Community Development", 3),
    ("violence-prevention", "Department of Violence Prevention", 3),
    ("human-services", "Human Services", 3),
    ("city-administrator", "Office of the City Administrator", 2),
)
TECHNOLOGIES = (
    ("alpr", "Automated License Plate Readers"),
    ("body-worn-cameras", "Body-Worn Cameras"),
    ("drones", "Unmanned Aircraft Systems (Drones)"),
    ("gunshot-detection", "Gunshot Detection System"),
    ("cell-site-simulator", "Cell-Site Simulator"),
    ("fixed-cameras", "Fixed Surveillance Cameras"),
    ("mobile-id", "Mobile Fingerprint Identification"),
    ("forensic-extraction", "Mobile Device Forensic Extraction"),
    ("gps-trackers", "GPS Tracking Devices"),
    ("social-media-monitoring", "Social Media Monitoring Software"),
    ("crime-analysis", "Crime Analysis and Mapping Software"),
    ("real-time-crime-center", "Real-Time Crime Center"),
    ("traffic-cameras", "Traffic Enforcement Cameras"),
    ("parking-lpr", "Parking Enforcement License Plate Readers"),
    ("smart-streetlights", "Smart Streetlight Sensors"),
    ("video-analytics", "Video Analytics Platform"),
    ("thermal-imaging", "Thermal Imaging Cameras"),
    ("audio-recorders", "Covert Audio Recording Devices"),
    ("remote-robots", "Remotely Operated Robots"),
    ("biometric-access", "Biometric Building Access"),
    ("wifi-analytics", "Wi-Fi Location Analytics"),
    ("records-management", "Records Management System"),
)
VENDORS = (
    ("sentinel-analytics", "Sentinel Analytics Inc."),
    ("northwind-vision", "Northwind Vision LLC"),
    ("bayline-systems", "Bayline Systems"),
    ("clearpath-safety", "ClearPath Safety Corp."),
    ("harborview-tech", "Harborview Technologies"),
    ("arcturus-aerial", "Arcturus Aerial"),
    ("meridian-data", "Meridian Data Services"),
    ("keystone-forensics", "Keystone Forensics"),
    ("lumen-city", "Lumen City Networks"),
    ("vantage-acoustics", "Vantage Acoustics"),
    ("civic-ledger", "Civic Ledger Software"),
    ("orbital-mapping", "Orbital Mapping Co."),
    ("redwood-robotics", "Redwood Robotics"),
    ("signal-harbor", "Signal Harbor Communications"),
    ("tessellate-ai", "Tessellate AI"),
    ("granite-secure", "Granite Secure Identity"),
)
KINDS = (  # (slug, label, share of the filings, fewest pages, most pages)
    ("use_policy", "Surveillance use policy", 20, 6, 60),
    ("impact_report", "Surveillance impact report", 14, 15, 150),
    ("annual_report", "Annual surveillance report", 28, 10, 120),
    ("contract", "Contract or data-sharing agreement", 12, 8, 200),
    ("audit", "Audit result", 6, 10, 80),
    ("acquisition_notice", "Acquisition notice / request for approval", 8, 2, 20),
    ("commission_recommendation", "Commission recommendation and public comment", 8, 2, 30),
    ("exigent_use_report", "Exigent-use report", 4, 1, 10),
)
YEARS = tuple(range(2018, 2026))
# A page of a policy or report PDF holds a few hundred words.
PAGE_WORDS = (150, 450)
SENTENCE_WORDS = (6, 28)
PARAGRAPH_SENTENCES = (2, 7)
MOST_DOCUMENTS_PER_FILING = 3


class CorpusWriter:
    """Deterministic prose from the vocabulary: the same seed always writes the same corpus."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.vocabulary = build_vocabulary(self.rng)

    def prose(self, word_count: int) -> str:
        rng = self.rng
        words = rng.choices(
            self.vocabulary.words, cum_weights=self.vocabulary.cumulative_weights, k=word_count
        )
        sentences = []
        position = 0
        while position < word_count:
            sentence = words[position : position + rng.randint(*SENTENCE_WORDS)]
            position += len(sentence)
            sentences.append(" ".join(sentence).capitalize() + ".")
        paragraphs = []
        position = 0
        while position < len(sentences):
            paragraph = sentences[position : position + rng.randint(*PARAGRAPH_SENTENCES)]
            position += len(paragraph)
            paragraphs.append(" ".join(paragraph))
        return "\n\n".join(paragraphs)

    def filings(self, page_budget: int):
        """IndexedFiling objects, published, until `page_budget` pages have been written."""
        from search.index_documents import IndexedFiling, IndexedPage

        rng = self.rng
        agency_weights = [share for _slug, _name, share in AGENCIES]
        kind_weights = [share for _slug, _label, share, _fewest, _most in KINDS]
        pages_written = 0
        document_id = 0
        for filing_id in itertools.count(1):
            if pages_written >= page_budget:
                return
            agency_slug, agency_name, _share = rng.choices(AGENCIES, agency_weights)[0]
            kind, kind_label, _share, fewest, most = rng.choices(KINDS, kind_weights)[0]
            technology_slug, technology_name = rng.choice(TECHNOLOGIES)
            vendors = tuple(sorted(rng.sample(VENDORS, rng.choice((1, 1, 1, 2)))))
            year = rng.choice(YEARS)
            published_at = datetime.datetime(
                year + 1, rng.randint(1, 12), rng.randint(1, 28), 10, tzinfo=datetime.UTC
            )
            # Few long documents and many short ones, as filed.
            page_count = min(int(rng.triangular(fewest, most, fewest)), page_budget - pages_written)
            page_count = max(page_count, 1)
            header = f"City of {CITY} · {agency_name} · {kind_label}: {technology_name}"
            pages = []
            document_count = min(rng.randint(1, MOST_DOCUMENTS_PER_FILING), page_count)
            split_points = sorted(rng.sample(range(1, page_count), document_count - 1))
            bounds = zip([0, *split_points], [*split_points, page_count], strict=True)
            for part, (first, last) in enumerate(bounds, start=1):
                document_id += 1
                name = f"{agency_slug}-{kind}-{year}-part-{part}.pdf"
                for number in range(1, last - first + 1):
                    body = self.prose(rng.randint(*PAGE_WORDS))
                    text = f"{header}\n\n{body}\n\nPage {number} of {last - first}"
                    pages.append(IndexedPage(document_id, name, number, text))
            pages_written += page_count
            yield IndexedFiling(
                filing_id=filing_id,
                title=f"{kind_label}: {technology_name} ({agency_name}, {year})",
                kind=kind,
                kind_label=kind_label,
                agency_slug=agency_slug,
                agency_name=agency_name,
                technologies=((technology_slug, technology_name),),
                vendors=vendors,
                year=year,
                published_at=published_at,
                summary=self.prose(rng.randint(30, 70)),
                body=self.prose(rng.randint(150, 500)),
                pages=tuple(pages),
            )


# --- The query mix --------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    """One word or phrase the bare engine query must find; `prefix` for word*."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class QueryCase:
    label: str
    # What a resident types, and the facet filters chosen beside the search box.
    text: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The same words for the bare engine query: every lookup required.
    lookups: tuple[Lookup, ...] = ()
    # How Wagtail is asked: "plain" words, a "phrase", or None where it has no equivalent.
    wagtail_query: str | None = "plain"


QUERY_MIX = (
    QueryCase("one word", "retention", lookups=(Lookup(("retention",)),)),
    QueryCase("two words", "drone footage", lookups=(Lookup(("drone",)), Lookup(("footage",)))),
    QueryCase(
        "phrase",
        '"facial recognition"',
        lookups=(Lookup(("facial", "recognition")),),
        wagtail_query="phrase",
    ),
    QueryCase(
        "agency filter + facets",
        "camera",
        filters={"agency": ("police",)},
        lookups=(Lookup(("camera",)),),
    ),
    # Wagtail's database backend matches prefixes only through autocomplete(), which needs
    # the text indexed a second time as an AutocompleteField.
    QueryCase(
        "prefix", "surveil*", lookups=(Lookup(("surveil",), prefix=True),), wagtail_query=None
    ),
)


# --- Measuring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    p50: float
    p95: float
    runs: int
    # Set when a run was stopped after this many seconds: the path is at least that slow.
    stopped_after: float | None = None

    @classmethod
    def of(cls, samples: list[float]) -> "Latency":
        return cls(
            p50=statistics.median(samples),
            p95=statistics.quantiles(samples, n=20, method="inclusive")[18]
            if len(samples) > 1
            else samples[0],
            runs=len(samples),
        )

    def describe(self) -> str:
        if self.stopped_after is not None:
            return f"> {self.stopped_after:.0f} s"
        return f"{self.p50 * 1000:7.1f} {self.p95 * 1000:7.1f}"


def measure_interleaved(paths: dict, repeat: int) -> dict[str, Latency]:
    """Time every path `repeat` times, taking turns, so that anything else the machine
    does at the time slows them alike. The first run of each warms caches and is not counted."""
    for function in paths.values():
        function()
    samples = defaultdict(list)
    for _ in range(repeat):
        for name, function in paths.items():
            start = time.perf_counter()
            function()
            samples[name].append(time.perf_counter() - start)
    return {name: Latency.of(samples[name]) for name in paths}


class StatementTimeout(Exception):
    pass


@contextlib.contextmanager
def statements_stopped_after(seconds: float):
    """Interrupt whatever SQL is still running `seconds` from now (raising StatementTimeout)."""
    from django.db import OperationalError, connection

    connection.ensure_connection()
    try:
        if connection.vendor == "sqlite":
            deadline = time.monotonic() + seconds
            # SQLite calls the handler every 100,000 virtual machine steps; True interrupts.
            connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 100_000)
            try:
                yield
            finally:
                connection.connection.set_progress_handler(None, 0)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{seconds}s"])
            try:
                yield
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', '0', false)")
    except OperationalError as error:
        raise StatementTimeout(str(error)) from error


def measure_with_budget(function, repeat: int, budget_seconds: float) -> Latency:
    """Up to `repeat` timed runs after a warm-up, as many as `budget_seconds` allow; a run
    still going when the budget is spent is stopped, and if that is the first the path is
    reported as slower than the time it ran."""
    samples = []
    started = time.perf_counter()
    for _ in range(repeat + 1):
        left = budget_seconds - (time.perf_counter() - started)
        if left <= 0:
            break
        start = time.perf_counter()
        try:
            with statements_stopped_after(left):
                function()
        except StatementTimeout:
            if not samples:
                return Latency(0.0, 0.0, runs=0, stopped_after=time.perf_counter() - start)
            break
        samples.append(time.perf_counter() - start)
    # The first run warms caches; it counts only when the budget allowed no other.
    return Latency.of(samples[1:] or samples)


class Stopwatch:
    """Time spent inside a generator, so generating and loading can be told apart."""

    def __init__(self):
        self.seconds = 0.0

    def timed(self, iterable):
        iterator = iter(iterable)
        while True:
            start = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                self.seconds += time.perf_counter() - start
                return
            self.seconds += time.perf_counter() - start
            yield item


# --- Main -----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--skip-http", action="store_true", help="do not start gunicorn")
    parser.add_argument(
        "--skip-wagtail", action="store_true", help="do not load or time Wagtail's backend"
    )
    parser.add_argument(
        "--wagtail-budget",
        type=float,
        default=60.0,
        help="seconds of Wagtail queries per query of the mix (default 60)",
    )
    options = parser.parse_args()

    with throwaway_database("search"):
        run(options)


def run(options):
    from search.backends.database.backend import DatabaseSearchBackend

    print(f"Engine: {describe_engine()}; {os.cpu_count()} cores; load average {describe_load()}")
    backend = DatabaseSearchBackend()
    load_seconds, generate_seconds = load_corpus(backend, options.pages)
    counts = corpus_counts()
    print(
        f"Corpus: {counts['pages']:,} pages in {counts['filings']:,} filings "
        f"({counts['units']:,} searchable units with the filings' own text); "
        f"generating {generate_seconds:.0f} s, loading with rebuild() "
        f"{load_seconds - generate_seconds:.0f} s",
        flush=True,
    )
    results = {case.label: {} for case in QUERY_MIX}
    if not options.skip_wagtail:
        measure_wagtail(options, counts["units"], results)
    print(f"Database size: {database_size_mb():,.0f} MB", flush=True)
    with contextlib.ExitStack() as stack:
        base_url = None if options.skip_http else stack.enter_context(running_portal())
        for case in QUERY_MIX:
            print(f"Timing '{case.label}' ({options.repeat} runs per path)...", flush=True)
            paths = {
                "raw engine": lambda case=case: raw_engine_query(case),
                "service": lambda case=case: service_query(case),
            }
            if base_url:
                check_http_matches_service(base_url, case)
                paths["HTTP"] = lambda case=case: http_query(base_url, case)
            results[case.label].update(measure_interleaved(paths, options.repeat))
    report(results)
    report_service_breakdown()
    print(f"Load average (1, 5, 15 min) at the end: {describe_load()}")


def measure_wagtail(options, unit_count: int, results) -> None:
    from django.db import connection

    unit_model = define_wagtail_unit_model()
    with connection.schema_editor() as editor:
        editor.create_model(unit_model)
    wagtail_seconds = load_wagtail(unit_model)
    print(f"Wagtail index loaded with the same {unit_count:,} texts in {wagtail_seconds:.0f} s")
    for case in QUERY_MIX:
        if case.wagtail_query is None:
            continue
        print(
            f"Timing Wagtail on '{case.label}' (at most {options.repeat} runs or "
            f"{options.wagtail_budget:.0f} s)...",
            flush=True,
        )
        results[case.label]["Wagtail"] = measure_with_budget(
            lambda case=case: wagtail_search(unit_model, case),
            options.repeat,
            options.wagtail_budget,
        )


def describe_load() -> str:
    return ", ".join(f"{load:.1f}" for load in os.getloadavg())


def describe_engine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} (FTS5)"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def load_corpus(backend, page_budget: int) -> tuple[float, float]:
    """Generate and rebuild() in one pass; return the total and the generating seconds."""
    writer = CorpusWriter(SEED)
    generating = Stopwatch()
    started = time.perf_counter()
    pages_loaded = 0
    next_report = page_budget / PROGRESS_STEPS

    def filings_with_progress():
        nonlocal pages_loaded, next_report
        for filing in generating.timed(writer.filings(page_budget)):
            yield filing
            pages_loaded += len(filing.pages)
            if pages_loaded >= next_report:
                next_report += page_budget / PROGRESS_STEPS
                elapsed = time.perf_counter() - started
                print(
                    f"  {pages_loaded:,} pages generated and loaded in {elapsed:.0f} s "
                    f"(generating {generating.seconds:.0f} s)",
                    flush=True,
                )

    print(f"Generating {page_budget:,} pages and loading them with rebuild()...", flush=True)
    backend.rebuild(filings_with_progress())
    return time.perf_counter() - started, generating.seconds


def corpus_counts() -> dict[str, int]:
    from search.backends.database.models import SearchFiling, SearchUnit

    return {
        "filings": SearchFiling.objects.count(),
        "units": SearchUnit.objects.count(),
        "pages": SearchUnit.objects.filter(page_number__isnull=False).count(),
    }


def database_size_mb() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0] / 1024**2


# --- Wagtail's database backend over the same texts -----------------------------------------


def define_wagtail_unit_model():
    """A model holding each searchable unit's text, indexed by Wagtail as an ordinary site would.

    No app model holds long text in search_fields (EditorialDocument indexes a 255-character
    title), so the comparison gets its own model, created only in the throwaway database:
    one row per unit of the portal's index, the text as a SearchField, and the filing's
    agency, kind, year, technology and vendor as FilterFields for filters and facets.
    """
    from django.db import models
    from modelsearch.abstract_models import TextIDGenericRelation
    from modelsearch.conf import get_app_config
    from wagtail.search import index

    class SearchBenchUnit(index.Indexed, models.Model):
        filing_id = models.BigIntegerField()
        agency_slug = models.CharField(max_length=100)
        kind = models.CharField(max_length=64)
        year = models.IntegerField(null=True)
        technology_slug = models.CharField(max_length=100)
        vendor_slug = models.CharField(max_length=100)
        text = models.TextField()

        search_fields = [
            index.SearchField("text"),
            index.FilterField("agency_slug"),
            index.FilterField("kind"),
            index.FilterField("year"),
            index.FilterField("technology_slug"),
            index.FilterField("vendor_slug"),
        ]

        class Meta:
            app_label = "bench"

        def __str__(self):
            return f"unit {self.pk} of filing {self.filing_id}"

    # What Wagtail gives every indexed model when the apps load; this one comes later. The
    # PostgreSQL backend joins the index through it.
    index_entry = get_app_config().get_model("IndexEntry")
    TextIDGenericRelation(index_entry).contribute_to_class(SearchBenchUnit, "index_entries")
    return SearchBenchUnit


def load_wagtail(unit_model) -> float:
    """Copy every unit of the portal's index into the model and Wagtail's index, in batches."""
    from wagtail.search.backends import get_search_backend

    from search.backends.database.models import (
        SearchFilingTechnology,
        SearchFilingVendor,
        SearchUnit,
    )

    started = time.perf_counter()
    backend = get_search_backend("default")
    technology_of = dict(SearchFilingTechnology.objects.values_list("filing_id", "slug"))
    vendor_of = dict(SearchFilingVendor.objects.values_list("filing_id", "slug"))
    total = SearchUnit.objects.count()
    print(f"Loading {total:,} texts into Wagtail's index ({backend.__class__.__name__})...")
    loaded, last_id = 0, 0
    while True:
        batch = list(
            SearchUnit.objects.filter(id__gt=last_id)
            .order_by("id")
            .values_list(
                "id", "filing_id", "text", "filing__agency_slug", "filing__kind", "filing__year"
            )[:WAGTAIL_BATCH]
        )
        if not batch:
            break
        last_id = batch[-1][0]
        rows = unit_model.objects.bulk_create(
            unit_model(
                id=unit_id,
                filing_id=filing_id,
                text=text,
                agency_slug=agency_slug,
                kind=kind,
                year=year,
                technology_slug=technology_of.get(filing_id, ""),
                vendor_slug=vendor_of.get(filing_id, ""),
            )
            for unit_id, filing_id, text, agency_slug, kind, year in batch
        )
        backend.add_bulk(unit_model, rows)
        loaded += len(rows)
        if loaded // WAGTAIL_BATCH % 5 == 0 or loaded == total:
            print(f"  {loaded:,} of {total:,} in {time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


WAGTAIL_FACETS = {
    "agency": "agency_slug",
    "technology": "technology_slug",
    "vendor": "vendor_slug",
    "kind": "kind",
    "year": "year",
}


def wagtail_search(unit_model, case: QueryCase):
    """Twenty hits and the total, and for a filtered search the same facets the portal shows."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.query import Phrase

    backend = get_search_backend("default")
    query = Phrase(" ".join(case.lookups[0].words)) if case.wagtail_query == "phrase" else case.text

    def search(ignoring=None):
        queryset = unit_model.objects.all()
        for name, values in case.filters.items():
            if name != ignoring:
                queryset = queryset.filter(**{f"{WAGTAIL_FACETS[name]}__in": values})
        return backend.search(query, queryset, operator="and")

    results = search()
    hits = list(results[:RESULTS_PER_PAGE])
    total = results.count()
    if case.filters:
        # Facets as the portal counts them: each ignores its own filter.
        facets = {
            name: search(ignoring=name).facet(column) for name, column in WAGTAIL_FACETS.items()
        }
        return hits, total, facets
    return hits, total


# --- The portal's paths ---------------------------------------------------------------------


def service_request(case: QueryCase):
    from search.query import parse_query
    from search.results import SearchRequest

    return SearchRequest(
        query=parse_query(case.text), filters=case.filters, per_page=RESULTS_PER_PAGE
    )


def service_query(case: QueryCase):
    from search.service import answer

    return answer(service_request(case))


def fts5_match(case: QueryCase) -> str:
    return " AND ".join(
        '"' + " ".join(lookup.words) + '"' + ("*" if lookup.prefix else "")
        for lookup in case.lookups
    )


def tsquery_source(case: QueryCase) -> str:
    return " & ".join(
        "(" + " <-> ".join(lookup.words) + (":*" if lookup.prefix else "") + ")"
        for lookup in case.lookups
    )


def raw_engine_query(case: QueryCase) -> list[int]:
    """The 20 best-ranked units containing every lookup: no filters, facets, pages or snippets."""
    from django.db import connection

    from search.backends.database.backend import FTS_TABLE, UNITS

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                f"ORDER BY bm25({FTS_TABLE}) LIMIT %s",
                [fts5_match(case), RESULTS_PER_PAGE],
            )
        else:
            cursor.execute(
                f"SELECT id FROM {UNITS}, to_tsquery('english', %s) AS wanted(query) "
                "WHERE search_vector @@ wanted.query "
                "ORDER BY ts_rank(search_vector, wanted.query) DESC LIMIT %s",
                [tsquery_source(case), RESULTS_PER_PAGE],
            )
        return [row[0] for row in cursor.fetchall()]


def matching_units(case: QueryCase) -> int:
    from django.db import connection

    from search.backends.database.backend import FTS_TABLE, UNITS

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts5_match(case)]
            )
        else:
            cursor.execute(
                f"SELECT count(*) FROM {UNITS} WHERE search_vector @@ to_tsquery('english', %s)",
                [tsquery_source(case)],
            )
        return cursor.fetchone()[0]


# --- HTTP through gunicorn ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = urllib.parse.quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(settings["PASSWORD"], safe="")
    return (
        f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}"
    )


@contextlib.contextmanager
def running_portal():
    """gunicorn serving the portal on a free local port; yields its URL, stops it by its pid."""
    port = free_port()
    # One sync worker: requests are sent one at a time, and 2 cores leave none to spare.
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
            "portal.wsgi:application",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
    )
    base_url = f"http://127.0.0.1:{port}"
    print(f"Started gunicorn (pid {process.pid}) on {base_url}", flush=True)
    try:
        wait_until_serving(process, base_url)
        yield base_url
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        print(f"Stopped gunicorn (pid {process.pid})", flush=True)


def wait_until_serving(process: subprocess.Popen, base_url: str) -> None:
    deadline = time.monotonic() + GUNICORN_START_SECONDS
    while True:
        try:
            probe = f"{base_url}/search.json?q="
            with urllib.request.urlopen(probe, timeout=30) as response:  # noqa: S310 - local server
                response.read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start serving /search.json") from None
            time.sleep(0.2)


def http_query(base_url: str, case: QueryCase) -> bytes:
    parameters = [("q", case.text)] + [
        (name, value) for name, values in case.filters.items() for value in values
    ]
    url = f"{base_url}/search.json?{urllib.parse.urlencode(parameters)}"
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our local server
        return response.read()


def check_http_matches_service(base_url: str, case: QueryCase) -> None:
    served = json.loads(http_query(base_url, case))
    expected = service_query(case).results.total
    if served["total"] != expected:
        raise RuntimeError(
            f"'{case.label}': HTTP found {served['total']} filings, the service {expected}"
        )


# --- Reporting ------------------------------------------------------------------------------

PATHS = ("raw engine", "service", "HTTP", "Wagtail")
RAW_ENGINE_TARGET = 1.5
WAGTAIL_TARGET = 1.0


def report(results):
    print()
    print("Latency in ms (p50 p95), 20 results per query:")
    header = f"{'query':24} {'units':>8} {'filings':>8}" + "".join(f" {path:>15}" for path in PATHS)
    print(header)
    for case in QUERY_MIX:
        paths = results[case.label]
        total = service_query(case).results.total
        cells = "".join(
            f" {paths[path].describe():>15}" if path in paths else f" {'n/a':>15}" for path in PATHS
        )
        print(f"{case.label:24} {matching_units(case):>8,} {total:>8,}{cells}")
    wagtail_runs = ", ".join(
        f"{label} {paths['Wagtail'].runs}" for label, paths in results.items() if "Wagtail" in paths
    )
    print(
        "(units: units the raw engine matches; filings: the service's total"
        + (f"; timed Wagtail runs: {wagtail_runs})" if wagtail_runs else ")")
    )
    print()
    print(
        f"Ratios of p95: service / raw engine (target <= {RAW_ENGINE_TARGET}), "
        f"service / Wagtail (target < {WAGTAIL_TARGET:g})"
    )
    for case in QUERY_MIX:
        paths = results[case.label]
        service = paths["service"].p95
        to_raw = service / paths["raw engine"].p95
        line = (
            f"  {case.label:24} vs raw engine {to_raw:6.2f}x {verdict(to_raw <= RAW_ENGINE_TARGET)}"
        )
        wagtail = paths.get("Wagtail")
        if case.wagtail_query is None:
            line += "   vs Wagtail n/a (no prefix search outside autocomplete)"
        elif wagtail is None:
            line += "   vs Wagtail not measured"
        elif wagtail.stopped_after is not None:
            line += f"   vs Wagtail < {service / wagtail.stopped_after:.4f}x {verdict(True)}"
        else:
            to_wagtail = service / wagtail.p95
            line += f"   vs Wagtail {to_wagtail:6.4f}x {verdict(to_wagtail < WAGTAIL_TARGET)}"
        print(line)
    print()
    print(
        "What each path does: the raw engine query returns 20 unit ids for the words and\n"
        "nothing else (filters ignored). The service answers per filing: the total, five\n"
        "facet counts, 20 filings ranked by relevance (bm25 of the whole filing on SQLite,\n"
        "of its best unit on PostgreSQL), each with up to 3 best pages and a highlighted\n"
        "snippet for each. HTTP adds the form, the view and JSON.\n"
        "Wagtail returns 20 matching units (not grouped by filing, no highlights) and their\n"
        "count, plus the five facets for the filtered search only; its index is one model\n"
        "row per unit of the portal's index, text in a SearchField, filing metadata in\n"
        "FilterFields. On SQLite its FTS5 table has no stemming ('retention' does not match\n"
        "'retentions' there), and its ranked query finds each hit's score with a correlated\n"
        "subquery that runs the MATCH again per matching row, so its cost grows with the\n"
        "square of the matches."
    )


def verdict(met: bool) -> str:
    return "(met)" if met else "(NOT met)"


STATEMENT_LABELS = (
    ("numnode(", "stop-word check"),
    ("'total'", "filings, total + facets"),
    ("best_of_kind", "best pages"),
    ("snippet(", "snippets"),
    ("ts_headline", "snippets"),
)
BREAKDOWN_RUNS = 5


def report_service_breakdown():
    """Where the service's time goes: from each SQL statement's start to the next one's."""
    from django.db import connection

    print()
    print(
        f"Where the service's time goes (median of {BREAKDOWN_RUNS} runs, ms; each statement's\n"
        "time runs until the next starts, so fetching and Python work on its rows count):"
    )
    for case in QUERY_MIX:
        samples = defaultdict(list)
        for _ in range(BREAKDOWN_RUNS):
            marks = []

            def record_start(execute, sql, params, many, context, marks=marks):
                label = next((name for key, name in STATEMENT_LABELS if key in sql), "other SQL")
                marks.append((label, time.perf_counter()))
                return execute(sql, params, many, context)

            started = time.perf_counter()
            with connection.execute_wrapper(record_start):
                service_query(case)
            finished = time.perf_counter()
            spent = defaultdict(float)
            spent["before SQL"] = marks[0][1] - started
            for (label, start), (_next_label, end) in zip(
                marks, [*marks[1:], ("end", finished)], strict=True
            ):
                spent[label] += end - start
            for label, seconds in spent.items():
                samples[label].append(seconds)
        parts = ", ".join(
            f"{label} {statistics.median(values) * 1000:.1f}" for label, values in samples.items()
        )
        print(f"  {case.label:24} {parts}")


if __name__ == "__main__":
    main()
