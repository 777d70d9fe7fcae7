"""What the API returns: plain, documented fields (the OpenAPI schema is built from
these). Sensitive sponsor fields are null unless the reader may see them."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances.models import KPI, KPI_SOURCE_MAX, Alliance, KPIActual
from assessments.models import Assessment, Finding
from briefs.models import Brief
from sponsors.models import Sponsorship


class AllianceSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.name")
    my_role = serializers.CharField(allow_null=True, help_text="Your team role, null outside.")
    url = serializers.HyperlinkedIdentityField(view_name="api:alliance-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text="The alliance's page in the app.")

    class Meta:
        model = Alliance
        fields = [
            "slug",
            "name",
            "partner",
            "type",
            "stage",
            "origin",
            "objectives",
            "is_confidential",
            "is_archived",
            "my_role",
            "created_at",
            "updated_at",
            "url",
            "page",
        ]

    def get_page(self, alliance) -> str:
        return self.context["request"].build_absolute_uri(alliance.get_absolute_url())


class DimensionResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.FloatField()
    score = serializers.FloatField(allow_null=True, help_text="0–100; null when nothing scored.")
    coverage = serializers.FloatField(help_text="0–1: share of the weight answered.")
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class KnockoutSerializer(serializers.Serializer):
    key = serializers.CharField()
    dimension = serializers.CharField()
    score = serializers.FloatField()
    knockout_level = serializers.IntegerField()


class GapSerializer(serializers.Serializer):
    key = serializers.CharField()
    dimension = serializers.CharField()
    score = serializers.FloatField()
    priority = serializers.FloatField()


class ResultSerializer(serializers.Serializer):
    """Consolidated over the submitted responses (median answer of each question)."""

    overall = serializers.FloatField(allow_null=True, help_text="0–100; null when nothing scored.")
    coverage = serializers.FloatField(help_text="0–1: share of the weight answered.")
    assessors = serializers.ListField(child=serializers.CharField())
    dimensions = DimensionResultSerializer(many=True)
    knockouts = KnockoutSerializer(many=True)
    gaps = GapSerializer(many=True)
    dont_know = serializers.ListField(child=serializers.CharField())


class AssessmentSerializer(serializers.ModelSerializer):
    alliance = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    bank = serializers.CharField(source="version.bank.name")
    kind = serializers.CharField(source="version.bank.kind")
    bank_version = serializers.IntegerField(source="version.number")
    results = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-detail")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "alliance",
            "title",
            "status",
            "bank",
            "kind",
            "bank_version",
            "created_at",
            "submitted_at",
            "results",
            "url",
        ]

    @extend_schema_field(ResultSerializer)
    def get_results(self, assessment):
        score = self.context["scores"][assessment.pk]
        return ResultSerializer(score).data


class FindingSerializer(serializers.ModelSerializer):
    alliance = serializers.CharField(source="assessment.alliance.slug")
    assessment = serializers.IntegerField(source="assessment_id")
    assessment_submitted_at = serializers.DateTimeField(
        source="assessment.submitted_at",
        allow_null=True,
        help_text="When the finding's round was submitted (the evidence's date).",
    )
    question_key = serializers.CharField(source="question.key")
    statement = serializers.CharField()
    owner = serializers.CharField(
        source="owner_label",
        help_text="The owner's name: the team member picked, or the text of one without "
        "an account; empty when nobody owns it.",
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "alliance",
            "assessment",
            "question_key",
            "statement",
            "classification",
            "evidence",
            "mitigation",
            "owner",
            "due_date",
            "condition_status",
            "done_note",
            "done_on",
            "classified_at",
            "created_at",
            "assessment_submitted_at",
        ]


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    text = serializers.CharField()
    decisive = serializers.BooleanField()


class ConditionSerializer(serializers.Serializer):
    text = serializers.CharField()
    source = serializers.ChoiceField(choices=["finding", "gap", "sponsor", "perception"])
    owner = serializers.CharField(allow_blank=True)
    due = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=["open", "in_progress", "done", "waived"])
    overdue = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True, help_text="What was done, when written.")


class DecisionEvidenceSerializer(serializers.Serializer):
    """A latest submitted assessment the decision reads, with the day of its evidence."""

    kind = serializers.CharField()
    title = serializers.CharField()
    assessment = serializers.IntegerField()
    overall = serializers.FloatField(allow_null=True, help_text="0–100; null when nothing scored.")
    submitted_at = serializers.DateTimeField()


class DecisionSerializer(serializers.Serializer):
    alliance = serializers.CharField(source="alliance.slug")
    verdict = serializers.ChoiceField(
        choices=["GO", "GO WITH CONDITIONS", "NO-GO", "INCOMPLETE"], source="decision.verdict"
    )
    rationale = serializers.CharField(source="decision.rationale")
    reasons = ReasonSerializer(many=True, source="decision.reasons")
    conditions = ConditionSerializer(many=True, source="decision.conditions")
    missing = serializers.ListField(child=serializers.CharField(), source="decision.missing")
    evidence = DecisionEvidenceSerializer(
        many=True, help_text="The scores the decision rests on, each with when it was submitted."
    )


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    colour = serializers.ChoiceField(choices=["green", "amber", "red", "unknown"])
    figure = serializers.CharField()
    reason = serializers.CharField()


class HealthSerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True, help_text="0–100; null without evidence.")
    colour = serializers.ChoiceField(choices=["green", "amber", "red", "unknown"])
    summary = serializers.CharField()
    indicators = IndicatorSerializer(many=True)
    overdue = serializers.ListField(child=serializers.CharField())


class SponsorshipSerializer(serializers.ModelSerializer):
    alliance = serializers.CharField(source="alliance.slug")
    sponsor = serializers.CharField(source="sponsor.name")
    sponsor_title = serializers.CharField(source="sponsor.title")
    organisation = serializers.CharField(source="sponsor.organisation.name")
    health = HealthSerializer()
    personal_motive = serializers.SerializerMethodField()
    personal_agenda = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Sponsorship
        fields = [
            "id",
            "alliance",
            "sponsor",
            "sponsor_title",
            "organisation",
            "side",
            "role",
            "since",
            "until",
            "motive_corporate",
            "motive_departmental",
            "personal_motive",
            "personal_agenda",
            "notes",
            "health",
        ]

    # Sensitive: null for readers who may not see them (the alliance's managers and the
    # sponsor themself may).
    def _sensitive(self, sponsorship, field):
        return getattr(sponsorship, field) if sponsorship.show_sensitive else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_personal_motive(self, sponsorship):
        return self._sensitive(sponsorship, "motive_personal")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_personal_agenda(self, sponsorship):
        return self._sensitive(sponsorship, "personal_agenda")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, sponsorship):
        return self._sensitive(sponsorship, "notes")


class BriefSerializer(serializers.ModelSerializer):
    alliance = serializers.CharField(source="alliance.slug")
    verdict = serializers.CharField()
    download = serializers.SerializerMethodField(help_text="The PDF, once the brief is ready.")

    class Meta:
        model = Brief
        fields = [
            "id",
            "alliance",
            "status",
            "verdict",
            "snapshot_sha256",
            "pdf_sha256",
            "created_at",
            "rendered_at",
            "download",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, brief):
        if brief.status != Brief.Status.READY or not brief.pdf:
            return None
        from django.urls import reverse

        path = reverse("api:brief-download", args=[brief.pk])
        return self.context["request"].build_absolute_uri(path)


class KPISerializer(serializers.ModelSerializer):
    alliance = serializers.CharField(source="alliance.slug")
    actual = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="The latest reported value (by date, then as entered); null before any.",
    )
    attainment = serializers.IntegerField(
        allow_null=True, help_text="Actual as a percentage of target; null before any actual."
    )
    actuals = serializers.HyperlinkedIdentityField(
        view_name="api:kpi-actuals", help_text="The KPI's reported actuals."
    )

    class Meta:
        model = KPI
        fields = [
            "id",
            "alliance",
            "category",
            "name",
            "period",
            "unit",
            "target",
            "actual",
            "attainment",
            "is_current",
            "actuals",
        ]


class KPIActualSerializer(serializers.ModelSerializer):
    """A reported value of a KPI: what a system posts, and what the API answers."""

    kpi = serializers.IntegerField(source="kpi_id", read_only=True)
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), help_text="0 or more."
    )
    date = serializers.DateField(source="on", help_text="The day the value applies to.")
    source = serializers.CharField(
        max_length=KPI_SOURCE_MAX, help_text="Where the value comes from, e.g. “Salesforce”."
    )

    class Meta:
        model = KPIActual
        fields = ["id", "kpi", "value", "date", "source", "created_at"]
        read_only_fields = ["id", "kpi", "created_at"]
