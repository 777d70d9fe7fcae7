"""Accessibility: axe-core (bundled by axe-playwright-python, no CDN) finds no serious or
critical violation on any main page of the demo, for each logged-in role that sees it."""

import re
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from alliances.models import Alliance, Organisation
from assessments import selectors
from assessments.models import Finding, Response
from sponsors.models import Sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEVERE = {"serious", "critical"}
AXE = Axe()


def severe_violations(page, url):
    """The serious and critical axe violations of the page at url, as readable lines."""
    response = page.goto(url)
    assert response.status == 200, url
    results = AXE.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SEVERE:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        lines.append(f"{url}: {violation['id']} ({violation['impact']}) at {targets}")
    return lines


def manager_pages():
    aurora = Alliance.objects.get(slug="project-aurora")
    response = Response.objects.filter(
        assessment__alliance=aurora, assessor__username="manager"
    ).first()
    one = {"slug": aurora.slug, "pk": response.assessment_id}
    finding = Finding.objects.filter(assessment_id=response.assessment_id).first()
    sponsor = Sponsor.objects.filter(sponsorships__alliance=aurora).first()
    partner = Organisation.objects.get(name="Helios Analytics")
    pages = [
        "/",
        reverse("alliances:list"),
        reverse("alliances:list") + "?q=no-such-alliance",  # the empty state
        reverse("alliances:partner_list"),
        reverse("alliances:partner_detail", args=[partner.pk]),
        reverse("sponsors:profile", args=[sponsor.pk]),
        reverse("assessments:list", args=[aurora.slug]),
        reverse("assessments:detail", kwargs=one),
        reverse("assessments:fill", kwargs={**one, "rid": response.pk}),
        reverse("assessments:results", kwargs=one),
        reverse("assessments:finding", kwargs={**one, "fid": finding.pk}),
        reverse("briefs:list", args=[aurora.slug]),
    ]
    for slug in ("project-aurora", "cobalt-cloud-co-sell", "quartz-embedded-payments"):
        pages += [
            reverse("alliances:detail", args=[slug]),
            reverse("alliances:team", args=[slug]),
            reverse("sponsors:alliance", args=[slug]),
        ]
    return pages


def test_no_main_page_has_a_serious_accessibility_violation(live_server, page, login):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    base = live_server.url
    problems = severe_violations(page, f"{base}/accounts/login/")

    login("manager", "manager-demo")
    for path in manager_pages():
        problems += severe_violations(page, base + path)

    page.context.clear_cookies()
    login("executive", "executive-demo")
    for path in ["/", reverse("sponsors:mine"), reverse("briefs:list", args=["project-aurora"])]:
        problems += severe_violations(page, base + path)
    page.get_by_role("button", name="Prepare brief").click()
    page.wait_for_url(re.compile(r"/briefs/\d+/$"))
    problems += severe_violations(page, page.url)

    page.context.clear_cookies()
    login("contributor", "contributor-demo")
    problems += severe_violations(page, f"{base}/")

    page.context.clear_cookies()
    login("admin", "admin-demo")
    problems += severe_violations(page, base + reverse("admin:index"))
    assert not problems, "\n".join(problems)


def test_the_knock_out_explanation_is_text_a_screen_reader_reads(live_server, page, login):
    """What a knock-out question means is said in visible text, not only in a hover
    title, and it is the accessible description of that question's group of answers."""
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    response = Response.objects.filter(
        assessor__username="manager",
        status=Response.Status.DRAFT,
        assessment__version__dimensions__questions__knockout_level__isnull=False,
    ).first()
    alliance = response.assessment.alliance
    dimensions = selectors.fill_dimensions(
        response.assessment.version, selectors.response_answers(response)
    )
    position, question = next(
        (number, question)
        for number, dimension in enumerate(dimensions, start=1)
        for question in dimension.questions.filter(knockout_level__isnull=False)
    )
    login("manager", "manager-demo")
    page.goto(
        live_server.url
        + reverse(
            "assessments:fill",
            kwargs={"slug": alliance.slug, "pk": response.assessment_id, "rid": response.pk},
        )
        + f"?d={position}"
    )
    group = page.locator(f"#q-{question.pk}")
    explanation = re.compile(rf"at level {question.knockout_level} or below opens a finding")
    expect(group).to_have_accessible_description(explanation)
    expect(group.get_by_text(explanation)).to_be_visible()
    # The first answer is reached by keyboard inside that described group.
    group.get_by_role("radio").first.focus()
    assert page.evaluate("document.activeElement.closest('fieldset').id") == f"q-{question.pk}"
