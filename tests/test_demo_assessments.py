"""`seed_demo` gives every assessment page real content, and is safe to run twice."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from alliances.models import Alliance
from assessments.models import Answer, Assessment, Finding, PartnerInvitation
from assessments.selectors import (
    assessment_perception,
    assessment_score,
    latest_submitted_assessments,
)
from banks.models import BankVersion
from decisions.selectors import alliance_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo, db):
    """The demo (tests/conftest.py: seeded once for the module)."""


def test_seed_demo_loads_the_banks_and_assessments_once(demo):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())  # idempotent
    assert BankVersion.objects.filter(status="published").count() == 4
    assert Assessment.objects.count() == 8  # Cobalt's first look and Quartz's round included
    assert Finding.objects.count() == 2
    assert Assessment.objects.filter(status=Assessment.Status.DRAFT).count() == 1
    draft = Assessment.objects.get(status=Assessment.Status.DRAFT)
    assert Answer.objects.filter(response__assessment=draft).exists()


def test_aurora_has_two_disagreeing_assessors_a_showstopper_and_a_manageable_finding(demo):
    aurora = Alliance.objects.get(slug="project-aurora")
    latest = latest_submitted_assessments(aurora)
    assert set(latest) == {"strategic_fit", "partner_selection"}
    fit = assessment_score(latest["strategic_fit"])
    assert fit.assessors == ("Chris Okafor", "Maya Patel")
    assert fit.disagreements
    showstopper = Finding.objects.get(classification="showstopper")
    assert showstopper.assessment.alliance == aurora
    assert "roadmap" in showstopper.issue
    manageable = Finding.objects.get(classification="manageable")
    assert manageable.mitigation
    assert manageable.owner_user.username == "manager"
    assert manageable.due_date


def test_cobalt_is_a_healthy_case_above_the_go_threshold(demo):
    cobalt = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    score = assessment_score(latest_submitted_assessments(cobalt)["strategic_fit"])
    assert score.overall >= score.thresholds.go
    assert score.knockouts == ()


def test_cobalt_shows_both_sides_and_the_governance_gap_aurora_has_no_partner_side(demo):
    cobalt = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    two_sided = latest_submitted_assessments(cobalt)["mutual_fit"]
    perception = assessment_perception(two_sided, assessment_score(two_sided))
    assert not perception.is_blind
    assert [g.dimension for g in perception.comparison.gaps] == ["Governance"]
    gap = perception.comparison.gaps[0]
    assert (gap.ours, gap.theirs) == (75, 25)
    assert (
        "Agree with Cobalt Cloud Services how governance works: we score it 75, they score it 25."
        in [c.text for c in alliance_decision(cobalt).conditions]
    )
    aurora = Alliance.objects.get(slug="project-aurora")
    assert not PartnerInvitation.objects.filter(assessment__alliance=aurora).exists()


def test_demo_pages_render_for_the_demo_users(client, demo):
    User = get_user_model()
    client.force_login(User.objects.get(username="manager"))
    for assessment in Assessment.objects.select_related("alliance"):
        slug = assessment.alliance.slug
        for name in ("detail", "results", "history"):
            url = reverse(f"assessments:{name}", args=[slug, assessment.pk])
            assert client.get(url).status_code == 200, url
    aurora = client.get(reverse("alliances:detail", args=["project-aurora"])).content.decode()
    assert "Showstopper" in aurora
    assert "Manageable" in aurora
    client.force_login(User.objects.get(username="contributor"))
    draft = Assessment.objects.get(status=Assessment.Status.DRAFT)
    mine = draft.responses.get(assessor__username="contributor")
    fill = reverse("assessments:fill", args=[draft.alliance.slug, draft.pk, mine.pk])
    assert re.search(r"\b0 of \d+ answered", client.get(fill).content.decode())


def test_cobalt_has_two_strategic_fit_rounds_a_year_apart_and_quartz_is_due(client, demo):
    from assessments.round_selectors import reassessment_statuses

    cobalt = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    rounds = list(
        Assessment.objects.filter(alliance=cobalt, version__bank__kind="strategic_fit").order_by(
            "submitted_at"
        )
    )
    assert [a.title for a in rounds] == [
        "Strategic fit — first look",
        "Strategic fit — co-sell expansion",
    ]
    assert rounds[1].previous == rounds[0]
    assert (rounds[1].submitted_at - rounds[0].submitted_at).days >= 364
    assert assessment_score(rounds[1]).overall > assessment_score(rounds[0]).overall
    quartz = Alliance.objects.get(slug="quartz-embedded-payments")
    statuses = reassessment_statuses([cobalt, quartz])
    assert statuses[quartz.pk].is_due
    assert not statuses[cobalt.pk].is_due
    client.force_login(get_user_model().objects.get(username="manager"))
    page = client.get(reverse("alliances:detail", args=[cobalt.slug])).content.decode()
    assert "Strategic fit across rounds" in page
    listing = client.get(reverse("alliances:list")).content.decode()
    assert listing.count("reassessment due") == 1
