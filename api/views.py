"""The read-only API (/api/v1/): what a signed-in user may see on the pages, as JSON.

Every list is limited to `visible_alliances(user)`, so a confidential alliance outside
the user's team is a 404 here too, and every list runs a fixed number of queries
whatever its length: related rows are joined (select_related) and computed figures
(scores, decisions, sponsor health) are built for the whole page at once by the same
selectors the pages use.
"""

import re

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from alliances import services as alliance_services
from alliances.access import Action, ensure_can, my_role_on, visible_alliances
from alliances.models import IDEMPOTENCY_KEY_MAX, KPI
from api import filters, serializers
from api.models import ApiToken
from api.schema import ERRORS, ErrorSerializer
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


IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description=(
        "A key of your choosing, unique per actual (a UUID, say; printable ASCII, at most "
        f"{IDEMPOTENCY_KEY_MAX} characters). Sent again with the same body, the request "
        "answers 200 with the actual the first one made, instead of adding another; sent "
        "with a different body, 422."
    ),
)
# Printable ASCII, as HTTP carries it everywhere unchanged.
IDEMPOTENCY_KEY_PATTERN = re.compile(rf"[\x20-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}")


class KPIViewSet(ReadOnlyViewSet):
    """KPIs of the alliances you may see, each with its latest actual and attainment."""

    serializer_class = serializers.KPISerializer
    filterset_class = filters.KPIFilter

    def get_queryset(self):
        return (
            KPI.objects.filter(alliance__in=self.visible())
            .select_related("alliance")
            .order_by("alliance__name", "-is_current", "category", "name", "pk")
        )

    @extend_schema(
        methods=["GET"],
        summary="The KPI's reported actuals",
        description="Every reported actual of the KPI, by date then as entered.",
        responses={200: serializers.KPIActualSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Report an actual of the KPI",
        description=(
            "Adds a reported value of the KPI for a date; the KPI's actual (and attainment) "
            "becomes the latest one by date. Needs a token with the scope “read, and post "
            "KPI actuals”, whose owner may edit the alliance's KPIs (its managers)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=serializers.KPIActualSerializer,
        responses={
            201: OpenApiResponse(serializers.KPIActualSerializer, description="Recorded."),
            200: OpenApiResponse(
                serializers.KPIActualSerializer,
                description="The same Idempotency-Key and body again: the first answer.",
            ),
            400: ERRORS["400"],
            422: OpenApiResponse(
                ErrorSerializer,
                description="The Idempotency-Key was used before with a different body.",
            ),
        },
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def actuals(self, request, pk=None):
        if request.method == "POST":
            return self.report_actual(request)
        kpi = super().get_object()
        actuals = kpi.actuals.order_by("on", "created_at", "pk")
        return Response(serializers.KPIActualSerializer(actuals, many=True).data)

    def report_actual(self, request):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.PermissionDenied(
                _(
                    "A signed-in session may only read. Post KPI actuals with an API token "
                    "of the scope “read, and post KPI actuals”."
                )
            )
        if not token.writes_kpi_actuals:
            raise exceptions.PermissionDenied(
                _(
                    "This token may only read. To post KPI actuals, make a token with the "
                    "scope “read, and post KPI actuals” on the API tokens page."
                )
            )
        kpi = super().get_object()
        ensure_can(request.user, Action.EDIT, kpi.alliance)
        key = request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
            raise exceptions.ValidationError(
                {
                    "Idempotency-Key": [
                        _("Send at most %(max)d printable ASCII characters.")
                        % {"max": IDEMPOTENCY_KEY_MAX}
                    ]
                }
            )
        serializer = serializers.KPIActualSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            actual, created = alliance_services.kpi_actual_add(
                kpi=kpi,
                value=data["value"],
                on=data["on"],
                source=data["source"],
                by=request.user,
                idempotency_key=key,
            )
        except alliance_services.IdempotencyConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            # The model calls the day `on`; the API, `date`.
            raise exceptions.ValidationError(
                {
                    ("date" if field == "on" else field): messages
                    for field, messages in errors.items()
                }
            ) from exc
        return Response(
            serializers.KPIActualSerializer(actual).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ApiDocsView(TemplateView):
    """Swagger UI on our own static files (drf-spectacular-sidecar), started by a static
    script: the strict CSP allows no inline script or style."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_have_tokens"] = can_have_tokens(self.request.user)
        return context
