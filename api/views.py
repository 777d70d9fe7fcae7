"""The read-only API (/api/v1/): what a signed-in user may see on the pages, as JSON.

Every list is limited to `visible_alliances(user)`, so a confidential alliance outside
the user's team is a 404 here too, and every list runs a fixed number of queries
whatever its length: related rows are joined (select_related) and computed figures
(scores, decisions, sponsor health) are built for the whole page at once by the same
selectors the pages use.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation

from alliances.access import my_role_on, visible_alliances
from api import filters, serializers
from api.services import can_have_tokens
from assessments import selectors as assessment_selectors
from assessments.models import Assessment, Finding
from assessments.selectors import scored_latest
from briefs.models import Brief
from decisions.selectors import alliance_decisions
from sponsors.access import can_see_sensitive_of
from sponsors.models import Sponsorship
from sponsors.selectors import sponsorship_healths

ID = "[0-9]{1,18}"


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail; `enrich(objects)` adds what is computed per page."""

    lookup_value_regex = ID

    def visible(self):
        return visible_alliances(self.request.user).values("pk")

    def enrich(self, objects: list) -> None:
        """Hook: compute figures for a whole page of objects at once."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.enrich(page)
        return page

    def get_object(self):
        obj = super().get_object()
        self.enrich([obj])
        return obj


class AllianceViewSet(ReadOnlyViewSet):
    """Alliances you may see (a confidential one only when you are in its team)."""

    serializer_class = serializers.AllianceSerializer
    filterset_class = filters.AllianceFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,220}"

    def get_queryset(self):
        return visible_alliances(self.request.user).select_related("partner").order_by("name")


class AssessmentViewSet(ReadOnlyViewSet):
    """Assessments with their consolidated results (submitted answers only)."""

    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter

    def get_queryset(self):
        return (
            Assessment.objects.filter(alliance__in=self.visible())
            .select_related("alliance", "version__bank")
            .order_by("-created_at", "-pk")
        )

    def enrich(self, objects):
        self.scores = assessment_selectors.assessment_scores(objects)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "scores": getattr(self, "scores", {})}


class FindingViewSet(ReadOnlyViewSet):
    """Findings (elements of no fit) of every assessment you may see."""

    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter

    def get_queryset(self):
        return (
            Finding.objects.filter(assessment__alliance__in=self.visible())
            .select_related("assessment__alliance", "question", "owner_user")
            .order_by("-created_at", "-pk")
        )


class DecisionViewSet(ReadOnlyViewSet):
    """Each alliance's go / no-go decision, with every reason and condition."""

    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter
    lookup_field = "slug"
    lookup_url_kwarg = "alliance"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,220}"

    def get_queryset(self):
        return visible_alliances(self.request.user).select_related("partner").order_by("name")

    def enrich(self, objects):
        self.decisions = alliance_decisions(objects)
        # The decision's own reads (remembered for the request): no query more.
        self.scored = scored_latest([a.pk for a in objects])

    def evidence(self, alliance) -> list[dict]:
        scores = self.scored.scores
        return [
            {
                "kind": kind,
                "title": a.title,
                "assessment": a.pk,
                "overall": scores[a.pk].overall,
                "submitted_at": a.submitted_at,
            }
            for kind, a in self.scored.latest.get(alliance.pk, {}).items()
        ]

    def get_serializer(self, instance=None, *args, **kwargs):
        def row(alliance):
            return {
                "alliance": alliance,
                "decision": self.decisions[alliance.pk],
                "evidence": self.evidence(alliance),
            }

        if instance is not None:
            many = kwargs.get("many", False)
            instance = [row(a) for a in instance] if many else row(instance)
        return super().get_serializer(instance, *args, **kwargs)


class SponsorshipViewSet(ReadOnlyViewSet):
    """Sponsorships on both sides with sponsor health. Personal motive, agenda and notes
    are null unless you manage the alliance or are the sponsor."""

    serializer_class = serializers.SponsorshipSerializer
    filterset_class = filters.SponsorshipFilter

    def get_queryset(self):
        return (
            Sponsorship.objects.filter(alliance__in=self.visible())
            .select_related("alliance", "sponsor__organisation")
            .annotate(my_role=my_role_on("alliance", self.request.user))
            .order_by("alliance__name", "side", "role", "-since", "pk")
        )

    def enrich(self, objects):
        healths = sponsorship_healths(objects)
        for sponsorship in objects:
            sponsorship.alliance.my_role = sponsorship.my_role  # what access.can() reads
            sponsorship.health = healths[sponsorship.pk]
            sponsorship.show_sensitive = can_see_sensitive_of(self.request.user, sponsorship)


class FirstRenderer(BaseContentNegotiation):
    """The PDF download answers its PDF whatever the Accept header says, and its
    refusals (404) as JSON, as the schema documents."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class BriefViewSet(ReadOnlyViewSet):
    """Executive briefs: metadata, and the PDF once ready."""

    serializer_class = serializers.BriefSerializer
    filterset_class = filters.BriefFilter

    def get_queryset(self):
        return (
            Brief.objects.filter(alliance__in=self.visible())
            .select_related("alliance")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")
        },
        filters=False,
    )
    @action(
        detail=True,
        renderer_classes=[renderers.JSONRenderer],
        content_negotiation_class=FirstRenderer,
        filter_backends=[],
        pagination_class=None,
    )
    def download(self, request, pk=None):
        brief = self.get_object()
        if brief.status != Brief.Status.READY or not brief.pdf:
            raise Http404(_("This brief has no PDF yet."))
        try:
            pdf = default_storage.open(brief.pdf.name, "rb")
        except FileNotFoundError as exc:
            raise Http404(_("The PDF of this brief is missing from storage.")) from exc
        return FileResponse(
            pdf, as_attachment=True, filename=brief.download_name, content_type="application/pdf"
        )


class ApiDocsView(TemplateView):
    """Swagger UI on our own static files (drf-spectacular-sidecar), started by a static
    script: the strict CSP allows no inline script or style."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_have_tokens"] = can_have_tokens(self.request.user)
        return context
