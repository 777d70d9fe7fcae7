"""Query-string filters of the API lists (django-filter): a bad value is a 400 that
names the parameter."""

import django_filters

from alliances.models import KPI, Alliance
from assessments.models import Assessment, Finding
from banks.models import QuestionBank
from briefs.models import Brief
from kit.params import ID_MAX
from sponsors.models import Sponsorship

ALLIANCE = dict(field_name="alliance__slug", label="Alliance slug", max_length=220)


class AllianceFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Alliance.Stage.choices)
    type = django_filters.ChoiceFilter(choices=Alliance.Type.choices)
    origin = django_filters.ChoiceFilter(choices=Alliance.Origin.choices)
    archived = django_filters.BooleanFilter(field_name="is_archived")
    confidential = django_filters.BooleanFilter(field_name="is_confidential")

    class Meta:
        model = Alliance
        fields = ["stage", "type", "origin", "archived", "confidential"]


class AssessmentFilter(django_filters.FilterSet):
    alliance = django_filters.CharFilter(**ALLIANCE)
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices)
    kind = django_filters.ChoiceFilter(
        field_name="version__bank__kind", choices=QuestionBank.Kind.choices
    )

    class Meta:
        model = Assessment
        fields = ["alliance", "status", "kind"]


class FindingFilter(django_filters.FilterSet):
    alliance = django_filters.CharFilter(
        field_name="assessment__alliance__slug", label="Alliance slug", max_length=220
    )
    assessment = django_filters.NumberFilter(
        field_name="assessment_id", min_value=1, max_value=ID_MAX
    )
    classification = django_filters.ChoiceFilter(choices=Finding.Classification.choices)

    class Meta:
        model = Finding
        fields = ["alliance", "assessment", "classification"]


class DecisionFilter(django_filters.FilterSet):
    alliance = django_filters.CharFilter(field_name="slug", label="Alliance slug", max_length=220)
    stage = django_filters.ChoiceFilter(choices=Alliance.Stage.choices)

    class Meta:
        model = Alliance
        fields = ["alliance", "stage"]


class SponsorshipFilter(django_filters.FilterSet):
    alliance = django_filters.CharFilter(**ALLIANCE)
    side = django_filters.ChoiceFilter(choices=Sponsorship.Side.choices)
    role = django_filters.ChoiceFilter(choices=Sponsorship.Role.choices)

    class Meta:
        model = Sponsorship
        fields = ["alliance", "side", "role"]


class BriefFilter(django_filters.FilterSet):
    alliance = django_filters.CharFilter(**ALLIANCE)
    status = django_filters.ChoiceFilter(choices=Brief.Status.choices)

    class Meta:
        model = Brief
        fields = ["alliance", "status"]


class KPIFilter(django_filters.FilterSet):
    alliance = django_filters.CharFilter(**ALLIANCE)
    category = django_filters.ChoiceFilter(choices=KPI.Category.choices)
    current = django_filters.BooleanFilter(field_name="is_current")

    class Meta:
        model = KPI
        fields = ["alliance", "category", "current"]
