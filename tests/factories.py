"""factory_boy factories shared by the test modules."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from alliances.models import KPI, Alliance, Membership, Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: browser tests flush the tables the data migration filled.
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in extracted])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner {n} Ltd")
    industry = "Software"
    country = "Netherlands"


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"Alliance {n}")
    slug = factory.Sequence(lambda n: f"alliance-{n}")
    partner = factory.SubFactory(OrganisationFactory)
    type = Alliance.Type.TECHNOLOGY
    stage = Alliance.Stage.ASSESSING
    origin = Alliance.Origin.BOTTOM_UP
    objectives = "Grow recurring revenue\nEnter the public sector"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    alliance = factory.SubFactory(AllianceFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MANAGER


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    alliance = factory.SubFactory(AllianceFactory)
    category = KPI.Category.REVENUE
    name = factory.Sequence(lambda n: f"KPI {n}")
    target = 100
    actual = 80
    period = "FY2026"
