from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("alliances", views.AllianceViewSet, basename="alliance")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("sponsorships", views.SponsorshipViewSet, basename="sponsorship")
router.register("briefs", views.BriefViewSet, basename="brief")
router.register("kpis", views.KPIViewSet, basename="kpi")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
]
# Token requests carry no session: DRF authenticates them (and refuses anonymous ones
# with a 401), so the site-wide login redirect steps aside for the API.
for pattern in urlpatterns:
    login_not_required(pattern.callback)

urlpatterns.append(path("docs/", views.ApiDocsView.as_view(), name="docs"))
