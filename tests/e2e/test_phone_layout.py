"""On a phone (390 × 844) no main page of the demo scrolls sideways: wide tables scroll
inside their card or stack, so the page itself stays within the screen."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from alliances.models import Alliance, Organisation
from assessments.models import Finding, Response
from sponsors.models import Signal, Sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The widest elements that stick out of the screen, to say what to fix.
OVERFLOW_REPORT = """() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !clipped(el)) {
      const name = [el.tagName.toLowerCase(), ...el.classList].join(".");
      out.push(`${name} right=${Math.round(box.right)}`);
    }
  }
  return out.slice(0, 6);
}"""


def main_pages():
    """Every main page of the demo: lists, details, results, fill, forms."""
    aurora = Alliance.objects.get(slug="project-aurora")
    cobalt = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    quartz = Alliance.objects.get(slug="quartz-embedded-payments")
    response = Response.objects.filter(
        assessment__alliance=aurora, assessor__username="manager"
    ).first()
    assessment = response.assessment
    finding = Finding.objects.filter(assessment__alliance=aurora).first()
    sponsor = Sponsor.objects.filter(sponsorships__alliance=aurora).first()
    signal = Signal.objects.filter(sponsorship__alliance=quartz).first()
    partner = Organisation.objects.get(name="Helios Analytics")
    kpi = quartz.kpis.first()
    one = {"slug": aurora.slug, "pk": assessment.pk}
    pages = [
        "/",
        reverse("alliances:list"),
        reverse("alliances:create"),
        reverse("alliances:partner_list"),
        reverse("alliances:partner_create"),
        reverse("alliances:partner_detail", args=[partner.pk]),
        reverse("alliances:partner_edit", args=[partner.pk]),
        reverse("sponsors:profile", args=[sponsor.pk]),
        reverse("sponsors:sponsor_edit", args=[sponsor.pk]),
        reverse("assessments:list", args=[aurora.slug]),
        reverse("assessments:start", args=[aurora.slug]),
        reverse("assessments:detail", kwargs=one),
        reverse("assessments:results", kwargs=one),
        reverse("assessments:history", kwargs=one),
        reverse("assessments:assessors", kwargs=one),
        reverse("assessments:fill", kwargs={**one, "rid": response.pk}),
        reverse("briefs:list", args=[aurora.slug]),
        reverse("sponsors:signal_create", args=[quartz.slug]),
        reverse("sponsors:sponsorship_create", args=[quartz.slug]),
        reverse("alliances:kpi_create", args=[quartz.slug]),
        reverse("alliances:kpi_edit", args=[quartz.slug, kpi.pk]),
    ]
    if finding:
        pages.append(reverse("assessments:finding", kwargs={**one, "fid": finding.pk}))
    if signal:
        pages.append(reverse("sponsors:signal_edit", args=[quartz.slug, signal.pk]))
    for alliance in (aurora, cobalt, quartz):
        pages += [
            reverse("alliances:detail", args=[alliance.slug]),
            reverse("alliances:edit", args=[alliance.slug]),
            reverse("alliances:team", args=[alliance.slug]),
            reverse("sponsors:alliance", args=[alliance.slug]),
            reverse("sponsors:match", args=[alliance.slug]),
        ]
    return pages


def overflowing(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width <= inner:
        return None
    return f"{url}: {width} px > {inner} px; {page.evaluate(OVERFLOW_REPORT)}"


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_no_main_page_scrolls_sideways_on_a_phone(live_server, phone, login):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    pages = main_pages()
    login("manager", "manager-demo")
    problems = [overflowing(phone, f"{live_server.url}{path}") for path in pages]
    phone.context.clear_cookies()
    login("executive", "executive-demo")
    for path in ["/", reverse("sponsors:mine"), reverse("briefs:list", args=["project-aurora"])]:
        problems.append(overflowing(phone, f"{live_server.url}{path}"))
    # The brief's own page, once asked for (tasks run in process in these tests).
    phone.get_by_role("button", name="Prepare brief").click()
    phone.wait_for_url(re.compile(r"/briefs/\d+/$"))
    problems.append(overflowing(phone, phone.url))
    problems = [problem for problem in problems if problem]
    assert not problems, "\n".join(problems)


def test_the_dashboard_shows_the_decision_on_a_phone(live_server, phone, login):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    login("executive", "executive-demo")
    row = phone.get_by_role("row", name="Project Aurora")
    expect(row).to_contain_text("NO-GO")
    verdict = row.get_by_text("NO-GO", exact=True)
    # My work comes first on the dashboard: scrolled down to, the verdict is on screen
    # (not cut off at the side).
    verdict.scroll_into_view_if_needed()
    expect(verdict).to_be_in_viewport()
    box = verdict.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    # Why: a keyboard opens it, no hover needed.
    row.get_by_text("Why").focus()
    phone.keyboard.press("Enter")
    why = row.locator("details")
    expect(why).to_have_attribute("open", "")
    expect(why).to_contain_text(re.compile("showstopper", re.IGNORECASE))


def test_chart_labels_stay_readable_on_a_phone(live_server, phone, login):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    response = Response.objects.filter(
        assessment__alliance__slug="project-aurora", assessor__username="manager"
    ).first()
    login("manager", "manager-demo")
    phone.goto(
        live_server.url
        + reverse(
            "assessments:results",
            kwargs={"slug": "project-aurora", "pk": response.assessment_id},
        )
    )
    smallest = phone.evaluate(
        """() => {
          const svg = document.querySelector("svg[role=img]");
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const sizes = [...svg.querySelectorAll("text")].map(
            (t) => parseFloat(getComputedStyle(t).fontSize) * scale);
          return Math.min(...sizes);
        }"""
    )
    assert smallest >= 12
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_kpi_actions_are_not_cut_on_a_laptop(live_server, page, login):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    page.set_viewport_size({"width": 1366, "height": 768})
    login("manager", "manager-demo")
    page.goto(live_server.url + reverse("alliances:detail", args=["quartz-embedded-payments"]))
    table = page.locator("#kpis table")
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    card = page.locator("#kpis").bounding_box()
    for link in page.locator("#kpis").get_by_role("link", name="Delete").all():
        box = link.bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"]
