"""Load the City of Alameda Bay into the database, all of it or none of it.

Every row has a natural key (a slug, a username, or a filing's agency, kind and
title); rows that already exist are left alone, so a second run changes
nothing. A row that exists but contradicts the demo data stops the load with a
CommandError naming it.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import transaction

from content.agencies.models import Agency, Membership
from content.demo.jurisdiction import (
    AGENCIES,
    DEMO_USERS,
    FILINGS,
    INVENTORY,
    TECHNOLOGIES,
    VENDORS,
)
from content.demo.narratives import ComposedFiling, compose_all
from content.demo.pdfs import render_pdf
from content.demo.specs import Calendar, DemoUser
from content.demo.website import install_pages
from content.documents.models import Document, DocumentPage
from content.documents.storing import store_document
from content.filings.completeness import check_filing
from content.filings.models import ContractDetails, Filing, FilingVersion, Status
from content.filings.versions import freeze_version
from content.inventory.models import InventoryEntry
from content.oversight.groups import ensure_oversight_group
from content.rulebook.rules import get_rulebook
from content.technologies.models import Technology
from content.vendors.models import Vendor
from publication import services as publication
from search.extraction import extract_document_text

PROGRESS_EVERY = 10
DEMO_WITHDRAWAL_REASON = "The agency retired the technology; the policy no longer applies."


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str


@dataclass
class LoadReport:
    logins: list[Login] = field(default_factory=list)
    documents_created: int = 0
    pages_extracted: int = 0
    seconds: float = 0.0


def _silent(message: str) -> None:
    """The default reporter: say nothing."""


class DemoLoader:
    def __init__(
        self,
        today,
        report: Callable[[str], None] = _silent,
        detail: Callable[[str], None] = _silent,
    ):
        self.rulebook = get_rulebook()
        missing_kinds = sorted({plan.kind for plan in FILINGS} - set(self.rulebook.kinds))
        if missing_kinds:
            raise CommandError(
                "The demo data is written for the default Oakland 9.64 rulebook; the configured "
                f"rulebook has no {', '.join(missing_kinds)} kind(s)."
            )
        try:
            self.calendar = Calendar.for_today(today, self.rulebook)
        except ValueError as error:
            raise CommandError(
                f"The demo data cannot use the configured rulebook: {error}"
            ) from None
        self.report = report
        self.detail = detail
        self.stored_files: list[str] = []
        self.summary = LoadReport()

    def load(self) -> LoadReport:
        """Load everything in one transaction; on any failure delete the files stored so far."""
        started = time.monotonic()
        try:
            with transaction.atomic():
                self._load()
        except BaseException:
            for name in self.stored_files:
                default_storage.delete(name)
            raise
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _load(self) -> None:
        composed = compose_all(FILINGS, self.calendar, self.rulebook)
        agencies = self._load_named(
            Agency,
            AGENCIES,
            "Agencies",
            identity=("name",),
            extra=("abbreviation", "website", "contact_email", "description"),
        )
        technologies = self._load_named(
            Technology,
            TECHNOLOGIES,
            "Technologies",
            identity=("name", "category"),
            extra=("description",),
        )
        vendors = self._load_named(
            Vendor, VENDORS, "Vendors", identity=("name",), extra=("website", "description")
        )
        self._load_inventory(agencies, technologies, vendors)
        users = self._load_users(agencies)
        created, present = install_pages()
        self.report(f"Pages: {created} created, {present} already present")
        self._load_filings(composed, agencies, technologies, vendors, users)

    def _load_named(self, model, specs, heading: str, identity: tuple[str, ...], extra) -> dict:
        """Rows keyed by slug. A row that shares the slug or the name but differs in an
        identity field is someone else's data: stop rather than overwrite or duplicate it."""
        label = model._meta.verbose_name
        rows, created = {}, 0
        for spec in specs:
            row = model.objects.filter(slug=spec.slug).first()
            namesake = model.objects.filter(name=spec.name).first()
            if namesake is not None and namesake.slug != spec.slug:
                raise CommandError(
                    f"The {label} {spec.name!r} has slug {namesake.slug!r}, but the demo data "
                    f"gives it {spec.slug!r}. Change its slug, or load the demo into an empty "
                    "database."
                )
            for name in identity if row is not None else ():
                if getattr(row, name) != getattr(spec, name):
                    raise CommandError(
                        f"The {label} with slug {spec.slug!r} has {name} "
                        f"{getattr(row, name)!r}, but the demo data says {getattr(spec, name)!r}. "
                        "Rename or remove it, or load the demo into an empty database."
                    )
            if row is None:
                fields = {name: getattr(spec, name) for name in (*identity, *extra)}
                row = model.objects.create(slug=spec.slug, **fields)
                created += 1
            rows[spec.slug] = row
        self.report(f"{heading}: {created} created, {len(specs) - created} already present")
        return rows

    def _load_inventory(self, agencies, technologies, vendors) -> None:
        created = 0
        for spec in INVENTORY:
            key = {
                "agency": agencies[spec.agency],
                "technology": technologies[spec.technology],
                "vendor": vendors[spec.vendor],
            }
            if InventoryEntry.objects.filter(**key).exists():
                continue
            dates = {
                name: when.resolve(self.calendar) if when else None
                for name, when in (
                    ("proposed_on", spec.proposed_on),
                    ("planned_acquisition_on", spec.planned_acquisition_on),
                    ("approved_on", spec.approved_on),
                    ("in_use_since", spec.in_use_since),
                    ("retired_on", spec.retired_on),
                )
            }
            InventoryEntry.objects.create(**key, status=spec.status, notes=spec.notes, **dates)
            created += 1
        self.report(f"Inventory: {created} created, {len(INVENTORY) - created} already present")

    def _load_users(self, agencies) -> dict[str, object]:
        staff_group = ensure_oversight_group()
        users, created = {}, 0
        for spec in DEMO_USERS:
            user = get_user_model().objects.filter(username=spec.username).first()
            if user is None:
                user = self._create_user(spec, staff_group)
                created += 1
                password = spec.password
            else:
                self._check_existing_user(user, spec, staff_group)
                password = (
                    spec.password
                    if user.check_password(spec.password)
                    else "(unchanged: the user existed before)"
                )
            if spec.agency:
                self._ensure_membership(user, agencies[spec.agency], spec.membership_role)
            users[spec.username] = user
            self.summary.logins.append(Login(spec.username, password, spec.role))
        self.report(f"Users: {created} created, {len(DEMO_USERS) - created} already present")
        return users

    @staticmethod
    def _create_user(spec: DemoUser, staff_group):
        user_model = get_user_model()
        owner = user_model.objects.filter(email__iexact=spec.email).first()
        if owner is not None:
            raise CommandError(
                f"The email address {spec.email} belongs to user {owner.username!r}; the demo "
                f"user {spec.username!r} needs it."
            )
        user = user_model(
            username=spec.username,
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
        )
        user.set_password(spec.password)
        user.save()
        if spec.oversight_staff:
            user.groups.add(staff_group)
        return user

    @staticmethod
    def _check_existing_user(user, spec: DemoUser, staff_group) -> None:
        if spec.superuser and not user.is_superuser:
            raise CommandError(
                f"The user {spec.username!r} exists but is not a superuser; the demo data needs "
                "it to be one."
            )
        if spec.oversight_staff and not user.groups.filter(pk=staff_group.pk).exists():
            raise CommandError(
                f"The user {spec.username!r} exists but is not in the {staff_group.name!r} group."
            )

    @staticmethod
    def _ensure_membership(user, agency, role) -> None:
        membership = Membership.objects.filter(user=user, agency=agency).first()
        if membership is None:
            Membership.objects.create(user=user, agency=agency, role=role)
        elif membership.role != role:
            raise CommandError(
                f"The user {user.username!r} is a {membership.get_role_display().lower()} at "
                f"{agency.name}, but the demo data makes them a {role.label.lower()}."
            )

    def _load_filings(self, composed, agencies, technologies, vendors, users) -> None:
        submitters = {
            spec.agency: users[spec.username]
            for spec in DEMO_USERS
            if spec.membership_role == Membership.Role.SUBMITTER
        }
        staff = next(users[spec.username] for spec in DEMO_USERS if spec.oversight_staff)
        missing = [
            filing
            for filing in composed
            if not Filing.objects.filter(
                agency=agencies[filing.agency.slug], kind=filing.plan.kind, title=filing.title
            ).exists()
        ]
        for number, filing in enumerate(missing, start=1):
            author = (
                staff
                if filing.plan.kind == "commission_recommendation"
                else submitters.get(filing.agency.slug)
            )
            self._create_filing(filing, agencies, technologies, vendors, author, staff)
            if number % PROGRESS_EVERY == 0 and number < len(missing):
                self.report(f"Filings: {number}/{len(missing)}")
        self.report(
            f"Filings: {len(missing)} created, {len(composed) - len(missing)} already present "
            f"({self.summary.documents_created} PDF documents, {self.summary.pages_extracted} "
            "pages of extracted text)"
        )

    def _create_filing(
        self, composed: ComposedFiling, agencies, technologies, vendors, author, staff
    ):
        period = composed.reporting_period or (None, None)
        filing = Filing.objects.create(
            kind=composed.plan.kind,
            title=composed.title,
            agency=agencies[composed.agency.slug],
            reporting_period_start=period[0],
            reporting_period_end=period[1],
            due_on=composed.due_on,
            summary=composed.summary,
            details=composed.details,
            created_by=author,
        )
        filing.technologies.set([technologies[slug] for slug in composed.technology_slugs])
        if composed.contract:
            terms = dict(composed.contract)
            ContractDetails.objects.create(
                filing=filing, vendor=vendors[terms.pop("vendor")], **terms
            )
        if composed.document:
            self._attach_document(filing, composed, author)
        if composed.steps:
            problems = check_filing(filing)
            if problems:
                raise CommandError(
                    f"The demo filing {composed.title!r} is incomplete: "
                    + "; ".join(str(problem) for problem in problems)
                )
        for step in composed.steps:
            # Publication and take-down go through the publication log, as in real use,
            # so the demo's log verifies.
            if step.status == Status.PUBLISHED:
                publication.publish(filing, staff, at=step.at)
            elif step.status == Status.WITHDRAWN and filing.status == Status.PUBLISHED:
                publication.withdraw(filing, author, reason=DEMO_WITHDRAWAL_REASON)
            else:
                filing.transition_to(step.status, at=step.at)
                if step.status == Status.SUBMITTED:
                    freeze_version(filing, FilingVersion.Reason.SUBMITTED, author, at=step.at)
        self._backdate(filing, composed)
        self.detail(
            f"  {composed.agency.abbreviation} {composed.plan.kind}: {composed.title} "
            f"({filing.get_status_display().lower()})"
        )

    def _attach_document(self, filing, composed: ComposedFiling, author) -> None:
        document = store_document(
            filing, composed.document.file_name, render_pdf(composed.document), by=author
        )
        self.stored_files.append(document.file.name)
        outcome = extract_document_text.call(document.pk)
        if outcome != Document.Processing.EXTRACTED:
            raise CommandError(
                f"Text extraction of {composed.document.file_name} ended as {outcome!r}."
            )
        self.summary.documents_created += 1
        self.summary.pages_extracted += DocumentPage.objects.filter(document=document).count()

    @staticmethod
    def _backdate(filing, composed: ComposedFiling) -> None:
        """Give the filing and its documents the day the story says they were made.

        Their creation times are stamped automatically; a demo whose whole history is
        written in one go would otherwise show every filing made today.
        """
        last_change = composed.steps[-1].at if composed.steps else composed.created_at
        Filing.objects.filter(pk=filing.pk).update(
            created_at=composed.created_at, updated_at=last_change
        )
        Document.objects.filter(filing=filing).update(created_at=composed.created_at)
