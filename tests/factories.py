"""factory_boy factories for the record, one per model, named after the domain."""

import datetime

import factory
from django.contrib.auth import get_user_model

from content.agencies.models import Agency, Membership
from content.filings.models import ContractDetails, Filing
from content.inventory.models import InventoryEntry
from content.technologies.models import Category, Technology
from content.vendors.models import Vendor

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(user, create, extracted, **kwargs):
        if create:
            user.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")
    abbreviation = factory.Sequence(lambda n: f"D{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.SUBMITTER


class TechnologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technology

    name = factory.Sequence(lambda n: f"Technology {n}")
    slug = factory.Sequence(lambda n: f"technology-{n}")
    category = Category.ALPR


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n} Inc.")
    slug = factory.Sequence(lambda n: f"vendor-{n}")


class InventoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryEntry

    agency = factory.SubFactory(AgencyFactory)
    technology = factory.SubFactory(TechnologyFactory)
    vendor = factory.SubFactory(VendorFactory)
    status = InventoryEntry.Status.IN_USE
    in_use_since = datetime.date(2020, 1, 1)


class FilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filing
        skip_postgeneration_save = True

    kind = "audit"
    title = factory.Sequence(lambda n: f"Filing {n}")
    agency = factory.SubFactory(AgencyFactory)

    @factory.post_generation
    def technologies(filing, create, extracted, **kwargs):
        if create and extracted:
            filing.technologies.set(extracted)


class ContractDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractDetails

    filing = factory.SubFactory(FilingFactory, kind="contract")
    vendor = factory.SubFactory(VendorFactory)
    amount = "125000.00"
    currency = "USD"
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2027, 12, 31)
    funding_source = "General Fund"
    award_date = datetime.date(2025, 12, 1)
