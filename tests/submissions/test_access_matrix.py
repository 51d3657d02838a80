"""The access matrix: every agency-portal URL x every role x every filing status.

The expected answers are written out here from the access rules as the issue states
them (PERMITTED_IN, SIGNOFF_KIND and the ROUTES table), never read from
submissions.access, so the matrix checks the implementation instead of restating it:

* anonymous visitors are sent to sign in; a POST is held for after signing in and
  changes nothing in the record;
* oversight staff without a membership get the page that sends them to the admin (403);
* the staff of another agency get 404 for everything of agency A, both under A's slug
  and under their own slug with A's ids, exactly as for ids that do not exist;
* A's own staff may VIEW always, EDIT in draft or changes requested, SUBMIT when they
  may edit and, for kinds the rulebook has signed off by an approver, only as an
  approver; WITHDRAW before review starts or while changes are requested; REPLY while
  the filing is with the reviewer. A status these rules do not name (rejected, say)
  allows VIEW only.

Every request runs in a savepoint rolled back after it, so each meets the same world,
and the record is compared before and after it: a refused request must change nothing.
Requests by anyone outside agency A that read or wrote anything are counted; the figure
is printed at the end of the run and must be zero.
"""

import dataclasses
import datetime
import hashlib
import uuid
from collections import deque
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils.html import escape

from content.agencies.models import Membership
from content.documents.models import Document
from content.documents.storing import store_document
from content.filings.completeness import check_filing
from content.filings.models import (
    TRANSITIONS,
    ContractDetails,
    Filing,
    FilingVersion,
    Status,
)
from content.inventory.models import InventoryEntry
from content.rulebook.rules import get_rulebook
from submissions import urls as portal_urls
from submissions.access import AgencyAccess
from submissions.models import DirectUpload, FilingMessage, HeldForm, Receipt
from submissions.submitting import submit
from tests.conftest import make_pdf
from tests.factories import (
    FilingFactory,
    InventoryEntryFactory,
    MembershipFactory,
    TechnologyFactory,
    VendorFactory,
)

# --- The rules ------------------------------------------------------------------------

VIEW, EDIT, SUBMIT, WITHDRAW, REPLY = "view", "edit", "submit", "withdraw", "reply"
PERMITTED_IN = {
    VIEW: frozenset(Status),
    EDIT: frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
    SUBMIT: frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
    WITHDRAW: frozenset({Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED}),
    REPLY: frozenset(
        {Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ACCEPTED}
    ),
}
# A round already filed is answered with its receipt ("already submitted"), not a refusal.
FILED_THIS_ROUND = frozenset(
    {Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED}
)
SIGNOFF_KIND = "use_policy"  # the rulebook: an approver must sign off before submission
PLAIN_KIND = "audit"  # any member may submit it

SUBMITTER_A, APPROVER_A = "submitter_a", "approver_a"
SUBMITTER_B, REVIEWER, ANONYMOUS = "submitter_b", "reviewer", "anonymous"
MEMBERS_OF_A = (SUBMITTER_A, APPROVER_A)
# Who asks, and under which agency's slug: B's staff try A's ids under both.
AT_A, AT_OWN = "at A's slug", "at own slug"
VARIANTS = (
    (SUBMITTER_A, AT_A),
    (APPROVER_A, AT_A),
    (SUBMITTER_B, AT_A),
    (SUBMITTER_B, AT_OWN),
    (REVIEWER, AT_A),
    (ANONYMOUS, AT_A),
)


def member_may(role: str, kind: str, status: str, action: str) -> bool:
    if status not in PERMITTED_IN[action]:
        return False
    return not (action == SUBMIT and kind == SIGNOFF_KIND and role != APPROVER_A)


@dataclasses.dataclass(frozen=True)
class Allowed:
    """What a permitted request answers, what of the record it changes, and where it goes."""

    status: int
    changes: frozenset = frozenset()
    goes_to: str = ""  # "<route name>[#fragment]" of the same filing; "receipts/" = a receipt


@dataclasses.dataclass(frozen=True)
class Route:
    scope: str  # which ids the URL carries: agency, filing, document or receipt
    action: str
    allowed: dict  # by method
    refused_status: int = 403


def changes(*parts):
    return frozenset(parts)


# Every agency-scoped URL of the portal. A URL added to submissions.urls without a row
# here fails test_every_agency_url_is_in_the_matrix.
ROUTES = {
    "dashboard": Route("agency", VIEW, {"GET": Allowed(200)}),
    "filing_new": Route(
        "agency", VIEW, {"GET": Allowed(200), "POST": Allowed(303, changes("filings"))}
    ),
    "filing_detail": Route("filing", VIEW, {"GET": Allowed(200)}),
    "filing_edit": Route(
        "filing",
        EDIT,
        {"GET": Allowed(200), "POST": Allowed(303, changes("filings"), "filing_edit")},
    ),
    "document_upload": Route(
        "filing",
        EDIT,
        {"POST": Allowed(302, changes("documents", "stored_files"), "filing_edit#documents")},
    ),
    # No bucket in these tests: the direct upload page sends people back to the form.
    "direct_upload": Route("filing", EDIT, {"GET": Allowed(302, goes_to="filing_edit#documents")}),
    # The upload key is checked before anything else and the matrix was issued none, so
    # A's staff are sent back to the documents, with nothing changed, in every status.
    "direct_upload_done": Route(
        "filing",
        EDIT,
        {"GET": Allowed(302, goes_to="filing_edit#documents")},
        refused_status=302,
    ),
    "document_download": Route("document", VIEW, {"GET": Allowed(200)}),
    "document_status": Route("document", VIEW, {"GET": Allowed(200)}),
    "document_remove": Route(
        # The stored object goes only once the deletion commits, which a test never does.
        "document",
        EDIT,
        {"POST": Allowed(302, changes("documents"), "filing_edit#documents")},
    ),
    "filing_submit": Route(
        "filing",
        SUBMIT,
        {
            "GET": Allowed(200),
            "POST": Allowed(303, changes("filings", "versions", "receipts"), "receipts/"),
        },
    ),
    "receipt": Route("receipt", VIEW, {"GET": Allowed(200)}),
    "filing_withdraw": Route(
        "filing",
        WITHDRAW,
        {
            "GET": Allowed(200),
            "POST": Allowed(303, changes("filings", "messages"), "filing_detail"),
        },
    ),
    "message_reply": Route(
        "filing",
        REPLY,
        {"POST": Allowed(303, changes("messages"), "filing_detail#submission-messages")},
    ),
}
SCOPE_KWARGS = {
    "agency": {"agency"},
    "filing": {"agency", "filing"},
    "document": {"agency", "filing", "document"},
    "receipt": {"agency", "filing", "receipt"},
}
SIGN_IN, STAFF_PAGE, NOT_FOUND = "sign-in", "staff page", "not found"
REFUSED, ALREADY_FILED, ALLOWED = "refused", "already filed", "allowed"
STAFF_PAGE_TEXT = "Oversight staff work in the admin"


@dataclasses.dataclass(frozen=True)
class Expected:
    outcome: str
    status: int
    changes: frozenset = frozenset()
    goes_to: str = ""


def expect(name: str, method: str, role: str, kind: str, status: str) -> Expected:
    """The answer the rules give `role` for `name` on A's filing of `kind` in `status`."""
    route = ROUTES[name]
    if role == ANONYMOUS:
        # A POST is kept (a HeldForm) until the person signs in; the record is untouched.
        return Expected(SIGN_IN, 302, changes("held_forms") if method == "POST" else changes())
    if role == REVIEWER:
        return Expected(STAFF_PAGE, 403)
    if role not in MEMBERS_OF_A:
        return Expected(NOT_FOUND, 404)
    if route.scope == "receipt" and status == Status.DRAFT:
        # A draft has never been filed, so it has no receipt: the row guesses an id.
        return Expected(NOT_FOUND, 404)
    if not member_may(role, kind, status, route.action):
        if route.action == SUBMIT and status in FILED_THIS_ROUND:
            return Expected(ALREADY_FILED, 200 if method == "GET" else 409)
        return Expected(REFUSED, route.refused_status)
    allowed = route.allowed[method]
    return Expected(ALLOWED, allowed.status, allowed.changes, allowed.goes_to)


# --- The world --------------------------------------------------------------------------


def complete_details(kind: str, text: str) -> dict:
    """A valid value for every field the rulebook defines for `kind`."""
    by_type = {
        "markdown": text,
        "text": text,
        "date": "2026-01-15",
        "integer": 3,
        "decimal": "10.00",
    }
    return {
        rule.name: rule.choices[0] if rule.type == "choice" else by_type[rule.type]
        for rule in get_rulebook().kind(kind).fields
    }


def complete_filing(
    agency, kind, title, technology, *, text="As the rulebook asks.", pdf=None, name="evidence.pdf"
):
    filing = FilingFactory(
        agency=agency,
        kind=kind,
        title=title,
        summary=f"Summary: {text}",
        details=complete_details(kind, text),
        technologies=[technology],
    )
    pdf = pdf or make_pdf([f"{title}: the document"])
    store_document(filing, name, pdf)
    assert check_filing(filing) == [], "the matrix needs filings that can really be submitted"
    return filing


def lifecycle_path(source: str, target: str) -> list[str]:
    """The shortest walk along TRANSITIONS from source to target, without source."""
    queue, seen = deque([[source]]), {source}
    while queue:
        path = queue.popleft()
        if path[-1] == target:
            return path[1:]
        for step in sorted(TRANSITIONS[path[-1]]):
            if step not in seen:
                seen.add(step)
                queue.append([*path, step])
    raise AssertionError(f"{target} cannot be reached from {source}")


def bring_to(filing: Filing, status: str, filed_by) -> None:
    """File `filing` (a receipt, through submitting.submit), then walk it to `status`."""
    if status == Status.DRAFT:
        return
    access = AgencyAccess(Membership.objects.get(user=filed_by, agency=filing.agency))
    submit(access, filing, uuid.uuid4())
    for step in lifecycle_path(Status.SUBMITTED, status):
        filing.transition_to(step)
    filing.refresh_from_db()
    assert filing.status == status


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    return root


@pytest.fixture
def clients(sign_in, submitter_a, approver_a, submitter_b, reviewer):
    people = {
        SUBMITTER_A: submitter_a,
        APPROVER_A: approver_a,
        SUBMITTER_B: submitter_b,
        REVIEWER: reviewer,
        ANONYMOUS: None,
    }
    signed_in = {role: sign_in(user) for role, user in people.items()}
    for client in signed_in.values():
        # A server error is one more wrong answer in the matrix, not the end of it.
        client.raise_request_exception = False
    return signed_in


# What a request could change: the record's rows (every column that matters) and held
# forms, read with plain SQL because the matrix reads them twice per request.
SNAPSHOT_SOURCES = {
    "filings": (
        Filing,
        "id, agency_id, status, updated_at, title, summary, details, due_on, submitted_at",
    ),
    "filing_technologies": (Filing.technologies.through, "filing_id, technology_id"),
    "contracts": (ContractDetails, "*"),
    "documents": (Document, "id, filing_id, sha256, file, processing"),
    "messages": (FilingMessage, "id, filing_id, body"),
    "receipts": (Receipt, "id, filing_id, version_id"),
    "versions": (FilingVersion, "id, filing_id, number"),
    "direct_uploads": (DirectUpload, "id, used_at"),
    "held_forms": (HeldForm, "id"),
}


def snapshot(media_root: Path) -> dict:
    """The rows of SNAPSHOT_SOURCES, and the files in storage."""
    parts = {}
    with connection.cursor() as cursor:
        for part, (model, columns) in SNAPSHOT_SOURCES.items():
            # Table and column names are this module's constants, not input.
            cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} ORDER BY 1")  # noqa: S608
            parts[part] = cursor.fetchall()
    parts["stored_files"] = sorted(str(p) for p in media_root.rglob("*") if p.is_file())
    return parts


def changed_parts(before: dict, after: dict) -> frozenset:
    return frozenset(part for part in before if before[part] != after[part])


def body_of(response) -> bytes:
    # Reading a streamed answer to its end also closes it, as a WSGI server would.
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Requests and the figure ------------------------------------------------------------


class CrossAgencyFigure:
    """Counts one test's requests, and reads and writes that succeeded for anyone outside
    agency A; the run's figures section sums them over the module's tests."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = 0
        self.outsider_requests = 0
        self.reads = 0
        self.writes = 0


FIGURE = CrossAgencyFigure()


@pytest.fixture(autouse=True)
def cross_agency_figure(add_to_figure):
    FIGURE.reset()
    yield FIGURE
    if FIGURE.requests:
        add_to_figure(
            "access matrix",
            requests=FIGURE.requests,
            **{"from outside agency A": FIGURE.outsider_requests},
            **{"cross-agency reads": FIGURE.reads, "cross-agency writes": FIGURE.writes},
        )


@dataclasses.dataclass
class Answer:
    status: int
    location: str
    body: bytes
    changed: frozenset
    verified: str  # what `verify` found wrong, if anything


def ask(client, method, url, data, media_root, verify=None) -> Answer:
    """Make one request in a savepoint that is rolled back, and say what it changed."""
    with transaction.atomic():
        before = snapshot(media_root)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data() if callable(data) else (data or {}))
        body = body_of(response)
        after = snapshot(media_root)
        problem = verify() if verify and response.status_code < 400 else ""
        transaction.set_rollback(True)
    FIGURE.requests += 1
    return Answer(
        response.status_code,
        response.get("Location", ""),
        body,
        changed_parts(before, after),
        problem or "",
    )


def tally_outsider(role: str, method: str, answer: Answer, secret: str) -> tuple[int, int]:
    """Whether someone outside agency A read (got content) or wrote anything of A's."""
    FIGURE.outsider_requests += 1
    held = changes("held_forms") if role == ANONYMOUS and method == "POST" else changes()
    read = int(200 <= answer.status < 300 or secret.encode() in answer.body)
    write = int(bool(answer.changed - held))
    FIGURE.reads += read
    FIGURE.writes += write
    return read, write


def judge(answer: Answer, expected: Expected, url: str, filing_urls: dict) -> list[str]:
    """Everything about the answer that the rules did not expect."""
    problems = []
    if answer.status != expected.status:
        problems.append(f"status {answer.status}, expected {expected.status}")
    if answer.changed != expected.changes:
        problems.append(
            f"changed {sorted(answer.changed) or 'nothing'}, "
            f"expected {sorted(expected.changes) or 'nothing'}"
        )
    if expected.outcome == SIGN_IN:
        location = urlsplit(answer.location)
        if location.path != reverse("submissions:sign_in") or parse_qs(location.query).get(
            "next"
        ) != [url]:
            problems.append(f"sent to {answer.location!r}, not to sign in and back")
    if expected.outcome == STAFF_PAGE and STAFF_PAGE_TEXT.encode() not in answer.body:
        problems.append("not the page sending oversight staff to the admin")
    already = b"has already been submitted"
    if expected.outcome == ALREADY_FILED and expected.status == 200 and already not in answer.body:
        problems.append("does not say the filing was already submitted")
    if expected.goes_to:
        name, _, fragment = expected.goes_to.partition("#")
        if name == "receipts/":
            if not answer.location.startswith(filing_urls["filing_detail"] + "receipts/"):
                problems.append(f"went to {answer.location!r}, not to the new receipt")
        else:
            target = filing_urls[name] + (f"#{fragment}" if fragment else "")
            if answer.location != target:
                problems.append(f"went to {answer.location!r}, not {target!r}")
    if answer.verified:
        problems.append(answer.verified)
    return problems


# --- Every URL is in the matrix ---------------------------------------------------------

ACCOUNT_ROUTES = {
    # name: (kwargs, method, anonymous answer, signed-in answer); an answer is a status, or
    # (status, route name the redirect goes to).
    "home": ({}, "GET", SIGN_IN, (302, "dashboard")),
    "sign_in": ({}, "GET", 200, 200),
    "second_factor": ({}, "GET", (302, "sign_in"), (302, "home")),
    "sign_out": ({}, "POST", (302, "sign_in"), (302, "sign_in")),
    "password_reset": ({}, "GET", 200, 200),
    "password_reset_done": ({}, "GET", 200, 200),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "guessed-token"}, "GET", 200, 200),
    "password_reset_complete": ({}, "GET", 200, 200),
    "account": ({}, "GET", SIGN_IN, 200),
    "password_change": ({}, "GET", SIGN_IN, 200),
    "two_factor": ({}, "GET", SIGN_IN, 200),
    "two_factor_off": ({}, "POST", SIGN_IN, (302, "account")),
    "accept_invitation": ({"token": "guessed-token"}, "GET", 404, 404),
}


def portal_patterns():
    return [pattern for pattern in portal_urls.urlpatterns if pattern.name]


def test_every_agency_url_is_in_the_matrix():
    agency_patterns = {
        pattern.name: set(pattern.pattern.converters)
        for pattern in portal_patterns()
        if "agency" in pattern.pattern.converters
    }
    missing = sorted(set(agency_patterns) - set(ROUTES))
    assert not missing, f"add {missing} to ROUTES in this file: every portal URL is tested"
    assert not set(ROUTES) - set(agency_patterns), "ROUTES names a URL the portal no longer has"
    for name, kwargs in agency_patterns.items():
        assert SCOPE_KWARGS[ROUTES[name].scope] == kwargs, name


def test_every_account_url_is_in_the_account_table():
    names = {p.name for p in portal_patterns() if "agency" not in p.pattern.converters}
    assert names == set(ACCOUNT_ROUTES), "add the portal's new account URLs to ACCOUNT_ROUTES"


def test_the_rulebook_has_one_signoff_kind_and_one_without():
    rulebook = get_rulebook()
    assert rulebook.kind(SIGNOFF_KIND).approver_signoff
    assert not rulebook.kind(PLAIN_KIND).approver_signoff


def test_account_pages_for_anonymous_visitors_and_signed_in_staff(
    sign_in, submitter_a, agency_a, media
):
    failures = []
    for name, (kwargs, method, anonymous, signed_in) in ACCOUNT_ROUTES.items():
        url = reverse(f"submissions:{name}", kwargs=kwargs)
        for who, user, expected in (
            ("anonymous", None, anonymous),
            ("signed in", submitter_a, signed_in),
        ):
            answer = ask(sign_in(user), method, url, {}, media)
            if expected == SIGN_IN:
                status, goes_to = 302, None
                location = urlsplit(answer.location)
                if location.path != reverse("submissions:sign_in") or parse_qs(location.query).get(
                    "next"
                ) != [url]:
                    failures.append(f"{who} {method} {url}: sent to {answer.location!r}")
            elif isinstance(expected, tuple):
                status, goes_to = expected
                target = reverse(
                    f"submissions:{goes_to}",
                    kwargs={"agency": agency_a.slug} if goes_to == "dashboard" else {},
                )
                if urlsplit(answer.location).path != target:
                    failures.append(f"{who} {method} {url}: went to {answer.location!r}")
            else:
                status = expected
            if answer.status != status:
                failures.append(f"{who} {method} {url}: {answer.status}, expected {status}")
            if answer.changed - changes("held_forms"):
                failures.append(f"{who} {method} {url}: changed {sorted(answer.changed)}")
    assert not failures, "\n".join(failures)


# --- The matrix -------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    filing: Filing
    document: Document
    receipt_id: int
    technology_ids: list


def post_data(name: str, world: World):
    """What each form sends when filled in properly."""
    filing = world.filing
    if name == "filing_edit":
        return {
            "loaded_updated_at": filing.updated_at.isoformat(),
            "title": "Edited through the matrix",
            "technologies": [str(pk) for pk in world.technology_ids],
            "action": "save",
        }
    if name == "document_upload":
        return lambda: {"file": SimpleUploadedFile("added.pdf", make_pdf(["Added"]))}
    if name == "filing_submit":
        return lambda: {"submission_key": str(uuid.uuid4())}
    if name == "filing_withdraw":
        return {"reason": "The matrix withdrew it."}
    if name == "message_reply":
        return {"body": "The matrix answers the reviewer."}
    if name == "filing_new":
        return {"kind": PLAIN_KIND, "title": "Started through the matrix"}
    return {}


def verifier(name: str, method: str, world: World, agency):
    """Checks, before the rollback, that a permitted write did what it says to A's filing."""
    filing = world.filing
    documents_before = filing.documents.count()

    def current():
        return Filing.objects.get(pk=filing.pk)

    checks = {
        ("filing_edit", "POST"): lambda: current().title == "Edited through the matrix",
        ("document_upload", "POST"): lambda: filing.documents.count() == documents_before + 1,
        ("document_remove", "POST"): lambda: (
            not Document.objects.filter(pk=world.document.pk).exists()
        ),
        ("filing_submit", "POST"): lambda: current().status == Status.SUBMITTED,
        ("filing_withdraw", "POST"): lambda: current().status == Status.WITHDRAWN,
        ("message_reply", "POST"): lambda: FilingMessage.objects.filter(
            filing=filing, body="The matrix answers the reviewer."
        ).exists(),
        ("filing_new", "POST"): lambda: Filing.objects.filter(
            agency=agency, title="Started through the matrix", status=Status.DRAFT
        ).exists(),
    }
    check = checks.get((name, method))
    if check is None:
        return None
    return lambda: "" if check() else f"the {name} {method} did not do its work on A's filing"


def url_of(name: str, slug: str, world: World) -> str:
    kwargs = {"agency": slug}
    scope = ROUTES[name].scope
    if scope != "agency":
        kwargs["filing"] = world.filing.pk
    if scope == "document":
        kwargs["document"] = world.document.pk
    if scope == "receipt":
        kwargs["receipt"] = world.receipt_id
    return reverse(f"submissions:{name}", kwargs=kwargs)


def run_matrix(names, world, kind, status, clients, agency_a, agency_b, media):
    failures, reads, writes = [], 0, 0
    secret = world.filing.title
    slugs = {AT_A: agency_a.slug, AT_OWN: agency_b.slug}
    own_urls = {
        name: reverse(
            f"submissions:{name}", kwargs={"agency": agency_a.slug, "filing": world.filing.pk}
        )
        for name in ("filing_detail", "filing_edit")
    }
    for name in names:
        for method in ROUTES[name].allowed:
            for role, where in VARIANTS:
                if ROUTES[name].scope == "agency" and where == AT_OWN:
                    continue  # B's own dashboard and new-filing page are B's to use
                url = url_of(name, slugs[where], world)
                expected = expect(name, method, role, kind, status)
                check = verifier(name, method, world, agency_a) if role in MEMBERS_OF_A else None
                answer = ask(clients[role], method, url, post_data(name, world), media, check)
                if role not in MEMBERS_OF_A:
                    read, write = tally_outsider(role, method, answer, secret)
                    reads += read
                    writes += write
                elif expected.outcome == ALLOWED and expected.status == 200:
                    if name == "document_download":
                        if answer.body != world.document.file.open("rb").read():
                            failures.append(f"{role} {url}: not the document's bytes")
                        world.document.file.close()
                    elif (
                        name not in ("filing_new", "document_status")
                        and secret.encode() not in answer.body
                    ):
                        failures.append(f"{role} {method} {url}: does not show the filing")
                for problem in judge(answer, expected, url, own_urls):
                    failures.append(
                        f"{role} {where} {method} {url} ({expected.outcome}): {problem}"
                    )
    return failures, reads, writes


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("kind", [SIGNOFF_KIND, PLAIN_KIND])
def test_every_filing_url_for_every_role_in_every_status(
    kind, status, clients, agency_a, agency_b, approver_a, alpr_in_use_at_a, media
):
    filing = complete_filing(
        agency_a, kind, f"Matrix filing {kind} {status}", alpr_in_use_at_a.technology
    )
    bring_to(filing, status, approver_a)
    receipt = filing.receipts.order_by("-pk").first()
    guessed_receipt = (
        Receipt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    world = World(
        filing=filing,
        document=filing.documents.get(),
        receipt_id=receipt.pk if receipt else guessed_receipt,
        technology_ids=[alpr_in_use_at_a.technology.pk],
    )
    assert (receipt is None) == (status == Status.DRAFT)

    # Starting a filing concerns no existing filing, so once per kind is enough for it;
    # the dashboard lists the filing, so it is asked in every status.
    names = [name for name in ROUTES if name != "filing_new" or status == Status.DRAFT]
    failures, reads, writes = run_matrix(
        names, world, kind, status, clients, agency_a, agency_b, media
    )

    assert not failures, "\n".join(failures)
    assert (reads, writes) == (0, 0), f"cross-agency reads: {reads}, writes: {writes}"


# --- Guessed ids ------------------------------------------------------------------------

HUGE_ID = 2**63  # past a 64-bit primary key


def test_guessed_ids_answer_404_like_ids_that_do_not_exist(
    clients, agency_a, agency_b, approver_a, submitter_b, alpr_in_use_at_a, media
):
    technology_b = InventoryEntryFactory(agency=agency_b).technology
    filed_a = complete_filing(
        agency_a, PLAIN_KIND, "Guess: A's filed audit", alpr_in_use_at_a.technology
    )
    bring_to(filed_a, Status.SUBMITTED, approver_a)
    draft_a = complete_filing(agency_a, PLAIN_KIND, "Guess: A's draft", alpr_in_use_at_a.technology)
    filed_b = complete_filing(agency_b, PLAIN_KIND, "Guess: B's filed audit", technology_b)
    bring_to(filed_b, Status.SUBMITTED, submitter_b)
    doc = {f: f.documents.get().pk for f in (filed_a, draft_a, filed_b)}
    receipt = {f: f.receipts.get().pk for f in (filed_a, filed_b)}
    unused = {
        "filing": Filing.objects.order_by("-pk").first().pk + 1000,
        "document": Document.objects.order_by("-pk").first().pk + 1000,
        "receipt": Receipt.objects.order_by("-pk").first().pk + 1000,
    }
    a, b = agency_a.slug, agency_b.slug
    document_routes = [n for n, r in ROUTES.items() if r.scope == "document"]
    filing_routes = [n for n, r in ROUTES.items() if r.scope == "filing"]
    # (who, route names, kwargs, whose objects a success would expose)
    guesses = [
        # B's staff: A's filings under B's own slug; A's documents and receipts under B's filing.
        (SUBMITTER_B, filing_routes, {"agency": b, "filing": filed_a.pk}, filed_a),
        (SUBMITTER_B, filing_routes, {"agency": b, "filing": draft_a.pk}, draft_a),
        (
            SUBMITTER_B,
            document_routes,
            {"agency": b, "filing": filed_b.pk, "document": doc[filed_a]},
            filed_a,
        ),
        (
            SUBMITTER_B,
            document_routes,
            {"agency": b, "filing": filed_b.pk, "document": doc[draft_a]},
            draft_a,
        ),
        (
            SUBMITTER_B,
            ["receipt"],
            {"agency": b, "filing": filed_b.pk, "receipt": receipt[filed_a]},
            filed_a,
        ),
        (
            SUBMITTER_B,
            ["receipt"],
            {"agency": b, "filing": filed_a.pk, "receipt": receipt[filed_a]},
            filed_a,
        ),
        # ...and ids that do not exist at all, which must look the same.
        (SUBMITTER_B, filing_routes, {"agency": b, "filing": unused["filing"]}, None),
        (
            SUBMITTER_B,
            document_routes,
            {"agency": b, "filing": filed_b.pk, "document": unused["document"]},
            None,
        ),
        (
            SUBMITTER_B,
            ["receipt"],
            {"agency": b, "filing": filed_b.pk, "receipt": unused["receipt"]},
            None,
        ),
        (SUBMITTER_B, ["filing_detail"], {"agency": b, "filing": HUGE_ID}, None),
        (
            SUBMITTER_B,
            ["document_download"],
            {"agency": b, "filing": filed_b.pk, "document": HUGE_ID},
            None,
        ),
        (SUBMITTER_B, ["receipt"], {"agency": b, "filing": filed_b.pk, "receipt": HUGE_ID}, None),
        (SUBMITTER_B, ["dashboard"], {"agency": "no-such-agency"}, None),
        # A's own staff: B's objects under A's filings, and A's under the wrong filing of A.
        (APPROVER_A, filing_routes, {"agency": a, "filing": filed_b.pk}, filed_b),
        (
            APPROVER_A,
            document_routes,
            {"agency": a, "filing": draft_a.pk, "document": doc[filed_b]},
            filed_b,
        ),
        (
            APPROVER_A,
            ["receipt"],
            {"agency": a, "filing": filed_a.pk, "receipt": receipt[filed_b]},
            filed_b,
        ),
        (
            SUBMITTER_A,
            document_routes,
            {"agency": a, "filing": draft_a.pk, "document": doc[filed_a]},
            None,
        ),
        (
            SUBMITTER_A,
            document_routes,
            {"agency": a, "filing": filed_a.pk, "document": doc[draft_a]},
            None,
        ),
        (
            SUBMITTER_A,
            ["receipt"],
            {"agency": a, "filing": draft_a.pk, "receipt": receipt[filed_a]},
            None,
        ),
        (SUBMITTER_A, filing_routes, {"agency": a, "filing": unused["filing"]}, None),
        (SUBMITTER_A, ["filing_detail", "filing_edit"], {"agency": a, "filing": HUGE_ID}, None),
    ]
    failures, bodies, requests = [], set(), 0
    for role, names, kwargs, exposed in guesses:
        for name in names:
            url = reverse(f"submissions:{name}", kwargs=kwargs)
            world = World(draft_a, draft_a.documents.get(), 0, [])
            for method in ROUTES[name].allowed:
                answer = ask(clients[role], method, url, post_data(name, world), media)
                requests += 1
                # Each page names its own address (in the language switcher); apart from that
                # every answer must be the same.
                bodies.add(answer.body.replace(url.encode(), b"<requested address>"))
                if exposed is not None:
                    # A read or write of another agency's object, whichever agency asks.
                    FIGURE.outsider_requests += 1
                    FIGURE.reads += int(
                        answer.status < 300 or exposed.title.encode() in answer.body
                    )
                    FIGURE.writes += int(bool(answer.changed))
                if (answer.status, answer.changed) != (404, changes()):
                    failures.append(
                        f"{role} {method} {url}: {answer.status}, changed {sorted(answer.changed)}"
                    )
    assert not failures, "\n".join(failures)
    assert requests > 60
    # One and the same "not found" page, so a guess tells nobody whether the id exists.
    assert len(bodies) == 1


# --- Form fields naming another agency's objects ----------------------------------------


def form_data(response) -> dict:
    """What a browser sends back from the filing form on the page, unchanged."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None:
            continue
        if isinstance(value, list):
            data[field.html_name] = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(value)
    data["action"] = "save"
    return data


COMPLETE_CONTRACT = {
    "contract.amount": "125000.00",
    "contract.currency": "USD",
    "contract.period_start": "2026-01-01",
    "contract.period_end": "2027-12-31",
    "contract.funding_source": "General Fund",
    "contract.award_date": "2025-12-01",
}


def test_form_fields_naming_another_agencys_objects_are_refused_and_nothing_is_saved(
    clients, agency_a, agency_b, approver_a, media
):
    only_a = InventoryEntryFactory(
        agency=agency_a,
        technology=TechnologyFactory(name="Gunshot detectors of A"),
        vendor=VendorFactory(name="Acoustics vendor of A"),
    )
    a_technology, a_vendor = only_a.technology, only_a.vendor
    own = InventoryEntryFactory(
        agency=agency_b,
        technology=TechnologyFactory(name="Traffic cameras"),
        vendor=VendorFactory(name="Camera Co."),
    )
    assert not InventoryEntry.objects.filter(agency=agency_b, technology=a_technology).exists()
    assert not InventoryEntry.objects.filter(agency=agency_b, vendor=a_vendor).exists()
    contract = FilingFactory(
        agency=agency_b, kind="contract", title="B's camera contract", technologies=[own.technology]
    )
    filed_a = complete_filing(agency_a, PLAIN_KIND, "A's filed audit", a_technology)
    bring_to(filed_a, Status.SUBMITTED, approver_a)
    a_receipt = Receipt.objects.get(filing=filed_a)
    audit_b = complete_filing(agency_b, PLAIN_KIND, "B's audit", own.technology)
    client = clients[SUBMITTER_B]
    b = agency_b.slug
    new_url = reverse("submissions:filing_new", kwargs={"agency": b})
    edit_url = reverse("submissions:filing_edit", kwargs={"agency": b, "filing": contract.pk})
    loaded = form_data(client.get(edit_url))
    not_our_technology = escape(
        f"Technology {a_technology.pk} is not in Department of Transportation's inventory"
    )
    not_our_vendor = escape("That vendor is not in Department of Transportation's inventory")
    new_report = {
        "kind": "annual_report",
        "title": "B's annual report",
        "reporting_period_start": "2026-01-01",
        "reporting_period_end": "2026-12-31",
    }
    # (what, url, data, expected status, expected changes, text the answer must show)
    posts = [
        (
            "new filing with A's technology",
            new_url,
            {**new_report, "technologies": [str(a_technology.pk)]},
            400,
            changes(),
            not_our_technology,
        ),
        (
            "edit with A's technology",
            edit_url,
            {**loaded, "technologies": [str(a_technology.pk)]},
            400,
            changes(),
            not_our_technology,
        ),
        (
            "edit with its own and A's technology",
            edit_url,
            {**loaded, "technologies": [str(own.technology.pk), str(a_technology.pk)]},
            400,
            changes(),
            not_our_technology,
        ),
        (
            "contract details with A's vendor",
            edit_url,
            {**loaded, **COMPLETE_CONTRACT, "contract.vendor": str(a_vendor.pk)},
            400,
            changes(),
            not_our_vendor,
        ),
        (
            "submitting with the submission key of A's receipt",
            reverse("submissions:filing_submit", kwargs={"agency": b, "filing": audit_b.pk}),
            {"submission_key": str(a_receipt.submission_key)},
            400,
            changes(),
            "already used for a different filing",
        ),
        # The same forms with B's own objects do save: the refusals above are the ids'.
        (
            "new filing with its own technology",
            new_url,
            {**new_report, "technologies": [str(own.technology.pk)]},
            303,
            changes("filings", "filing_technologies"),
            "",
        ),
        (
            "contract details with its own vendor",
            edit_url,
            {**loaded, **COMPLETE_CONTRACT, "contract.vendor": str(own.vendor.pk)},
            303,
            changes("filings", "contracts"),
            "",
        ),
    ]
    failures = []
    secrets = (a_technology.name, a_vendor.name, a_receipt.number, filed_a.title)
    for what, url, data, status, expected_changes, shows in posts:
        answer = ask(client, "POST", url, data, media)
        if (answer.status, answer.changed) != (status, expected_changes):
            failures.append(f"{what}: {answer.status}, changed {sorted(answer.changed)}")
        if shows and shows.encode() not in answer.body:
            failures.append(f"{what}: does not say {shows!r}")
        shown = [s for s in secrets if escape(s).encode() in answer.body]
        if shown:
            failures.append(f"{what}: shows A's {shown}")
        if "A's" in what:  # the form names agency A's object
            FIGURE.outsider_requests += 1
            FIGURE.reads += int(bool(shown))
            FIGURE.writes += int(bool(answer.changed))
    # A "start this filing" link naming A's technology does not offer or check it.
    prefilled = client.get(new_url, {"kind": "annual_report", "technology": a_technology.pk})
    assert prefilled.status_code == 200
    assert escape("is not in Department of Transportation's inventory") in prefilled.text
    assert a_technology.name not in prefilled.text
    # A's document ids in B's remove (and download) URLs.
    a_document = filed_a.documents.get()
    for kwargs in (
        {"agency": b, "filing": contract.pk, "document": a_document.pk},
        {"agency": b, "filing": filed_a.pk, "document": a_document.pk},
    ):
        for name, method in (("document_remove", "POST"), ("document_download", "GET")):
            url = reverse(f"submissions:{name}", kwargs=kwargs)
            answer = ask(client, method, url, {}, media)
            tally_outsider(SUBMITTER_B, method, answer, filed_a.title)
            if (answer.status, answer.changed) != (404, changes()):
                failures.append(
                    f"{method} {url}: {answer.status}, changed {sorted(answer.changed)}"
                )
    assert not failures, "\n".join(failures)
    assert Document.objects.filter(pk=a_document.pk).exists()
    assert not ContractDetails.objects.exists()


# --- A marker of agency A never reaches agency B ----------------------------------------

MARKER = "QZX-MARKER-7731"


def crawl(client, start: str, limit: int = 400) -> dict:
    """GET every /agency/ page reachable by links (and redirects) from `start`."""
    pages, queue = {}, deque([start])
    while queue:
        url = queue.popleft()
        if url in pages:
            continue
        response = client.get(url)
        body = body_of(response)
        pages[url] = (response.status_code, body)
        found = []
        if response.get("Location"):
            found.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html"):
            soup = BeautifulSoup(body, "html.parser")
            found += [link["href"] for link in soup.find_all("a", href=True)]
        for href in found:
            parts = urlsplit(urljoin(url, href))
            if parts.netloc in ("", "testserver") and parts.path.startswith("/agency/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert len(pages) < limit, "the crawl does not end"
    return pages


def test_agency_as_marker_never_appears_on_any_page_agency_b_reaches(
    sign_in,
    agency_a,
    agency_b,
    submitter_a,
    approver_a,
    submitter_b,
    reviewer,
    alpr_in_use_at_a,
    media,
    django_capture_on_commit_callbacks,
):
    # Agency A: a draft carrying the marker everywhere, and a filed audit with messages.
    a_pdf = make_pdf([f"Page text {MARKER}"])
    with django_capture_on_commit_callbacks(execute=True):
        draft_a = complete_filing(
            agency_a,
            SIGNOFF_KIND,
            f"Use policy {MARKER}",
            alpr_in_use_at_a.technology,
            text=f"Details {MARKER}",
            pdf=a_pdf,
            name=f"{MARKER}.pdf",
        )
    assert MARKER in draft_a.summary
    assert draft_a.documents.get().pages.filter(text__contains=MARKER).exists()
    filed_a = complete_filing(
        agency_a, PLAIN_KIND, f"Audit {MARKER}", alpr_in_use_at_a.technology, text=MARKER
    )
    bring_to(filed_a, Status.CHANGES_REQUESTED, approver_a)
    for audience in FilingMessage.Audience:
        FilingMessage.objects.create(
            filing=filed_a, author=reviewer, audience=audience, round=1, body=f"Note {MARKER}"
        )
    # Agency B: what its own staff should see, so the crawl has much to go through.
    own = InventoryEntryFactory(
        agency=agency_b,
        technology=TechnologyFactory(name="Traffic cameras"),
        in_use_since=datetime.date(2023, 1, 1),
    )
    draft_b = complete_filing(agency_b, PLAIN_KIND, "B's draft audit", own.technology)
    filed_b = complete_filing(agency_b, SIGNOFF_KIND, "B's use policy", own.technology)
    MembershipFactory(agency=agency_b, role=Membership.Role.APPROVER)
    bring_to(
        filed_b, Status.CHANGES_REQUESTED, filed_b.agency.memberships.get(role="approver").user
    )
    FilingMessage.objects.create(
        filing=filed_b, author=reviewer, round=1, body="Please add the training plan."
    )

    pages = crawl(sign_in(submitter_b), reverse("submissions:home"))

    b = agency_b.slug
    must_visit = {
        reverse("submissions:dashboard", kwargs={"agency": b}),
        reverse("submissions:filing_detail", kwargs={"agency": b, "filing": draft_b.pk}),
        reverse("submissions:filing_edit", kwargs={"agency": b, "filing": filed_b.pk}),
        reverse("submissions:filing_submit", kwargs={"agency": b, "filing": draft_b.pk}),
        reverse("submissions:filing_withdraw", kwargs={"agency": b, "filing": filed_b.pk}),
        reverse(
            "submissions:receipt",
            kwargs={"agency": b, "filing": filed_b.pk, "receipt": filed_b.receipts.get().pk},
        ),
        reverse(
            "submissions:document_download",
            kwargs={"agency": b, "filing": draft_b.pk, "document": draft_b.documents.get().pk},
        ),
        reverse("submissions:account"),
    }
    assert must_visit <= set(pages), sorted(must_visit - set(pages))
    a_pdf_hash = hashlib.sha256(draft_a.documents.get().file.read()).hexdigest()
    draft_a.documents.get().file.close()
    leaks = [
        url
        for url, (_, body) in pages.items()
        if MARKER.encode() in body or hashlib.sha256(body).hexdigest() == a_pdf_hash
    ]
    FIGURE.outsider_requests += len(pages)
    FIGURE.reads += len(leaks)
    FIGURE.requests += len(pages)
    assert not leaks, leaks
    assert all(not url.startswith(f"/agency/{agency_a.slug}/") for url in pages)
    assert all(status < 500 for status, _ in pages.values())

    # The same crawl by A's own staff finds the marker: the check above can see a leak.
    own_pages = crawl(sign_in(submitter_a), reverse("submissions:home"))
    FIGURE.requests += len(own_pages)
    assert sum(MARKER.encode() in body for _, body in own_pages.values()) >= 3
    assert any(hashlib.sha256(body).hexdigest() == a_pdf_hash for _, body in own_pages.values())
