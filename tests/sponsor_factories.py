"""factory_boy factories for the sponsors app."""

import datetime

import factory
from django.utils import timezone

from sponsors.models import PeerLink, Signal, Sponsor, Sponsorship
from tests.factories import AllianceFactory, OrganisationFactory


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class OwnOrganisationFactory(OrganisationFactory):
    class Meta:
        django_get_or_create = ["name"]

    name = "Northwind Systems"
    is_own = True


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sponsor {n}")
    title = "Chief Digital Officer"
    organisation = factory.SubFactory(OwnOrganisationFactory)
    seniority = Sponsor.Seniority.C_SUITE
    business_unit = "Digital"

    @factory.post_generation
    def interests(self, create, extracted, **kwargs):
        if create and extracted:
            self.interests.set(list(extracted))


class SponsorshipFactory(factory.django.DjangoModelFactory):
    """Our executive sponsor of an alliance, for a year so far."""

    class Meta:
        model = Sponsorship

    alliance = factory.SubFactory(AllianceFactory)
    sponsor = factory.SubFactory(SponsorFactory)
    side = Sponsorship.Side.OURS
    role = Sponsorship.Role.EXECUTIVE_SPONSOR
    since = factory.LazyFunction(lambda: days_ago(365))


class PartnerSponsorshipFactory(SponsorshipFactory):
    sponsor = factory.SubFactory(
        SponsorFactory,
        organisation=factory.SelfAttribute("..alliance.partner"),
        title="CEO",
    )
    side = Sponsorship.Side.PARTNER


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    sponsorship = factory.SubFactory(SponsorshipFactory)
    kind = Signal.Kind.KPI_REVIEW
    date = factory.LazyFunction(lambda: days_ago(3))
    note = "Reviewed the pipeline KPIs"


class PeerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerLink

    alliance = factory.SubFactory(AllianceFactory)
    ours = factory.SubFactory(SponsorFactory)
    theirs = factory.SubFactory(
        SponsorFactory, organisation=factory.SelfAttribute("..alliance.partner")
    )
    strength = 2
    last_contact = factory.LazyFunction(lambda: days_ago(10))
