"""Partner contacts as participants (issue 27): "Invite the partner" from the alliance
page, several contacts pasted at once, the contact list with states and actions (copy a
link, remind now, resend, revoke), automatic reminders before the due date, what the
partner's link shows with the manager's consent, and links that follow the server's
address when SITE_URL is empty."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import PartnerInvitation, PartnerShare
from assessments.partner import reminders
from assessments.partner import services as partner
from assessments.partner.forms import InviteForm, PartnerSettingsForm
from banks.models import BankVersion
from kit import site_url
from kit.secret_links import secret_hash
from notifications.reminders import daily_jobs
from tests.assessment_factories import answer_all, give, make_version, start, submit

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(https?://[^/\s]+)/partner/([\w-]+)/")


@pytest.fixture(autouse=True)
def no_site_url(settings):
    """The default: links follow the server's address."""
    settings.SITE_URL = ""
    site_url._remembered.clear()


@pytest.fixture
def two_sided(open_team):
    version = make_version(slug="mutual-participants", kind="mutual_fit")
    open_team.assessment = start(open_team, version, title="Both sides")
    return open_team


def _url(name, team, *args):
    return reverse(f"assessments:{name}", args=[team.alliance.slug, team.assessment.pk, *args])


def _invite(team, captured, *contacts):
    """Invite contacts as the manager through the service; {email: token}."""
    mail.outbox.clear()
    with captured(execute=True):
        partner.invitations_create(
            assessment=team.assessment,
            invitees=[partner.InviteeData(name=n, email=e) for n, e in contacts],
            alliance_label="Lighthouse",
            by=team.users["manager"],
        )
    return {m.to[0]: LINK.search(m.body).group(2) for m in mail.outbox}


def _fill(token):
    return reverse("partner:fill", args=[token])


def _answer_and_submit(client, token, level):
    page = client.get(_fill(token))
    for position in range(1, len(page.context["dimensions"]) + 1):
        page = client.get(_fill(token) + f"?d={position}")
        data = {"d": str(position), "go": "stay"}
        for q in page.context["questions"]:
            data[f"q{q.pk}-level"] = str(q.choice_list[level].pk)
            data[f"q{q.pk}-comment"] = "partner-comment-5f2"
        client.post(_fill(token), data)
    assert client.post(reverse("partner:submit", args=[token])).status_code == 302


# ---------------------------------------------------------------- one click from the alliance


def test_the_alliance_page_invites_the_partner_to_the_latest_open_two_sided_assessment(
    client, two_sided
):
    team = two_sided
    client.force_login(team.users["manager"])
    page = client.get(team.alliance.get_absolute_url()).content.decode()
    assert "Invite the partner" in page
    assert f'href="{_url("partner_invite", team)}"' in page
    # Someone who may not run the assessments sees no such button.
    client.force_login(team.users["viewer"])
    assert "Invite the partner" not in client.get(team.alliance.get_absolute_url()).content.decode()


def test_without_a_two_sided_assessment_the_alliance_page_offers_to_start_one(client, open_team):
    make_version(slug="mutual-to-start", kind="mutual_fit")
    client.force_login(open_team.users["manager"])
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    start_url = reverse("assessments:start", args=[open_team.alliance.slug]) + "?two_sided=1"
    assert f'href="{start_url}"' in page
    assert "Invite the partner" in page


def test_with_only_a_retired_two_sided_version_and_nothing_to_start_no_button(client, two_sided):
    BankVersion.objects.update(status=BankVersion.Status.RETIRED)
    client.force_login(two_sided.users["manager"])
    page = client.get(two_sided.alliance.get_absolute_url()).content.decode()
    assert "Invite the partner" not in page


# ---------------------------------------------------------------- several contacts at once


def test_several_contacts_pasted_at_once_are_confirmed_then_invited(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    client.force_login(team.users["manager"])
    url = _url("partner_invite", team)
    form = {
        "alliance_label": "Lighthouse",
        "contacts": "Dana Whitfield <dana@helios.example>\n\n  Lee Chen <lee@helios.example>  ",
    }
    page = client.post(url, form)
    assert page.status_code == 200
    html = page.content.decode()
    # The confirmation names the questionnaire (it read `questionnaire “”` before).
    assert "link to the questionnaire “Both sides”" in html
    assert "Dana Whitfield &lt;dana@helios.example&gt;" in html
    assert not PartnerInvitation.objects.exists()
    confirmed = dict(page.context["form"].data.items())
    # What the confirmation page carries back is what was shown.
    hidden = re.search(r'<textarea name="contacts" hidden[^>]*>(.*?)</textarea>', html, re.S)
    assert hidden is not None
    confirmed["contacts"] = hidden.group(1).replace("&lt;", "<").replace("&gt;", ">")
    confirmed["confirmed"] = "True"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, confirmed).status_code == 302
    assert sorted(PartnerInvitation.objects.values_list("name", flat=True)) == [
        "Dana Whitfield",
        "Lee Chen",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["dana@helios.example", "lee@helios.example"]


def test_each_wrong_line_is_named_by_its_number_and_nothing_is_invited(client, two_sided):
    client.force_login(two_sided.users["manager"])
    contacts = "\n".join(
        [
            "Dana Whitfield <dana@helios.example>",
            "lee@helios.example",
            "Kim <not-an-address>",
            "<solo@helios.example>",
            "Dana again <DANA@helios.example>",
        ]
    )
    page = client.post(
        _url("partner_invite", two_sided),
        {"alliance_label": "L", "contacts": contacts, "confirmed": "True"},
    )
    assert page.status_code == 400
    errors = page.context["form"].errors["contacts"]
    assert [e.split(":")[0] for e in errors] == ["Line 2", "Line 3", "Line 4", "Line 5"]
    assert "already on line 1" in errors[-1]
    assert "“not-an-address” is not an e-mail address" in errors[1]
    assert not PartnerInvitation.objects.exists()


@pytest.mark.parametrize("contacts", ["", "   \n  ", "x" * 30000, "<>", "a <b@c.d> <e>"])
def test_hostile_contact_lists_are_refused_by_the_form(contacts):
    form = InviteForm(data={"alliance_label": "L", "contacts": contacts})
    assert not form.is_valid()
    assert "contacts" in form.errors


# ---------------------------------------------------------------- the contact list


def test_the_contact_list_shows_each_contacts_state_and_last_reminder(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    tokens = _invite(
        team,
        django_capture_on_commit_callbacks,
        ("Ann", "ann@p.example"),
        ("Ben", "ben@p.example"),
        ("Cat", "cat@p.example"),
        ("Dan", "dan@p.example"),
        ("Eve", "eve@p.example"),
        ("Fay", "fay@p.example"),
    )
    invitations = {i.email: i for i in PartnerInvitation.objects.all()}
    client.get(_fill(tokens["ben@p.example"]))  # opened
    page = client.get(_fill(tokens["cat@p.example"]))  # answering 1 of n
    q = page.context["questions"][0]
    client.post(
        reverse("partner:answer", args=[tokens["cat@p.example"], q.pk]),
        {f"q{q.pk}-level": str(q.choice_list[2].pk)},
    )
    _answer_and_submit(client, tokens["dan@p.example"], 2)  # submitted
    PartnerInvitation.objects.filter(pk=invitations["eve@p.example"].pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    partner.invitation_revoke(invitation=invitations["fay@p.example"], by=team.users["manager"])
    PartnerInvitation.objects.filter(pk=invitations["ann@p.example"].pk).update(
        last_reminded_on=datetime.date(2026, 3, 2)
    )
    client.force_login(team.users["manager"])
    html = client.get(team.assessment.get_absolute_url()).content.decode()
    states = re.findall(r'data-state="(\w+)">([^<]+)<', html)
    assert states == [
        ("sent", "invited"),
        ("opened", "opened"),
        ("answering", "answering"),
        ("submitted", "submitted"),
        ("expired", "link expired"),
        ("revoked", "revoked"),
    ]
    assert re.search(r'<span class="answered">1 of \d+</span>', html)
    assert "2 Mar 2026" in html  # the last reminder
    cat = invitations["cat@p.example"]
    for name in ("partner_link", "partner_remind", "partner_resend", "partner_revoke"):
        assert _url(name, team, cat.pk) in html


def test_copy_link_shows_a_new_link_once_and_the_old_one_stops_working(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    tokens = _invite(team, django_capture_on_commit_callbacks, ("Dana", "dana@p.example"))
    old = tokens["dana@p.example"]
    invitation = PartnerInvitation.objects.get()
    client.force_login(team.users["manager"])
    url = _url("partner_link", team, invitation.pk)
    ask = client.get(url)
    assert ask.status_code == 200
    assert b"The link sent or copied before stops" in ask.content
    assert (
        PartnerInvitation.objects.get().token_hash == invitation.token_hash
    )  # GET changes nothing
    shown = client.post(url, HTTP_HOST="127.0.0.1:8001")
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    assert shown["Referrer-Policy"] == "no-referrer"
    html = shown.content.decode()
    origin, new = LINK.search(html).groups()
    assert origin == "http://127.0.0.1:8001"
    assert 'data-copy-target="partner-link"' in html
    assert "Copy link" in html
    assert PartnerInvitation.objects.get().token_hash == secret_hash(new)
    assert mail.outbox == [] or all(new not in m.body for m in mail.outbox)  # no e-mail
    client.logout()
    assert client.get(_fill(old)).status_code == 404
    assert client.get(_fill(new)).status_code == 200
    # A submitted contact has no link to copy: refused with a message, nothing changes.
    _answer_and_submit(client, new, 2)
    client.force_login(team.users["manager"])
    again = client.post(url, follow=True)
    assert "has submitted" in again.content.decode()
    assert PartnerInvitation.objects.get().token_hash == secret_hash(new)


def test_remind_now_sends_a_new_link_once_a_day(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    _invite(team, django_capture_on_commit_callbacks, ("Dana", "dana@p.example"))
    invitation = PartnerInvitation.objects.get()
    client.force_login(team.users["manager"])
    url = _url("partner_remind", team, invitation.pk)
    assert client.get(url).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, follow=True)
    assert "A reminder is on its way to Dana" in done.content.decode()
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder:")
    token = LINK.search(message.body).group(2)
    invitation.refresh_from_db()
    assert invitation.token_hash == secret_hash(token)
    assert invitation.last_reminded_on == timezone.localdate()
    again = client.post(url, follow=True)
    assert "already reminded today" in again.content.decode()
    assert len(mail.outbox) == 1


def test_the_contact_list_actions_are_the_managers_and_this_assessments_only(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    _invite(team, django_capture_on_commit_callbacks, ("Dana", "dana@p.example"))
    invitation = PartnerInvitation.objects.get()
    names = ("partner_link", "partner_remind")
    for role in ("contributor", "viewer", "executive"):
        client.force_login(team.users[role])
        for name in names:
            assert client.post(_url(name, team, invitation.pk)).status_code == 403, (role, name)
        assert client.post(_url("partner_settings", team), {}).status_code == 403
    client.force_login(team.users["outsider"])  # sees an open alliance, runs nothing
    assert client.get(_url("partner_link", team, invitation.pk)).status_code == 403
    # Another assessment's invitation, through this assessment's URL: not found.
    other = start(team, make_version(slug="mutual-other", kind="mutual_fit"), title="Other")
    client.force_login(team.users["manager"])
    url = reverse("assessments:partner_link", args=[team.alliance.slug, other.pk, invitation.pk])
    assert client.post(url).status_code == 404
    assert PartnerInvitation.objects.get().token_hash == invitation.token_hash


# ---------------------------------------------------------------- automatic reminders


def test_the_daily_job_reminds_who_has_not_submitted_on_the_scheduled_days_never_twice(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    assert reminders.remind_partner_contacts in list(daily_jobs)
    tokens = _invite(
        team,
        django_capture_on_commit_callbacks,
        ("Ann", "ann@p.example"),
        ("Ben", "ben@p.example"),
        ("Cat", "cat@p.example"),
    )
    _answer_and_submit(client, tokens["ben@p.example"], 2)
    partner.invitation_revoke(
        invitation=PartnerInvitation.objects.get(email="cat@p.example"), by=team.users["manager"]
    )
    today = timezone.localdate()
    team.assessment.partner_due_date = today + datetime.timedelta(days=3)
    team.assessment.save(update_fields=["partner_due_date"])
    assert team.assessment.partner_reminder_days == "3,7"  # the default schedule
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_partner_contacts(today) == 1
        assert reminders.remind_partner_contacts(today) == 0  # never twice the same day
        # Not a scheduled day: nothing.
        assert reminders.remind_partner_contacts(today + datetime.timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [["ann@p.example"]]
    ann = PartnerInvitation.objects.get(email="ann@p.example")
    assert ann.last_reminded_on == today
    assert ann.reminder_count == 1
    # The e-mailed link works; the one sent before does not.
    new = LINK.search(mail.outbox[0].body).group(2)
    assert client.get(_fill(new)).status_code == 200
    assert client.get(_fill(tokens["ann@p.example"])).status_code == 404
    # 7 days before, too; without a due date, never.
    assert reminders.due_reminders(today - datetime.timedelta(days=4)) == [ann]
    team.assessment.partner_due_date = None
    team.assessment.save(update_fields=["partner_due_date"])
    assert reminders.due_reminders(today - datetime.timedelta(days=4)) == []


def test_the_manager_sets_due_date_schedule_and_sharing(client, two_sided):
    team = two_sided
    client.force_login(team.users["manager"])
    url = _url("partner_settings", team)
    page = client.get(url)
    assert page.status_code == 200
    assert b'value="3, 7"' in page.content
    bad = client.post(
        url,
        {
            "partner_due_date": "2027-02-30",
            "partner_reminder_days": "3, soon",
            "partner_share": "all",
        },
    )
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {
        "partner_due_date",
        "partner_reminder_days",
        "partner_share",
    }
    done = client.post(
        url,
        {
            "partner_due_date": "2027-03-01",
            "partner_reminder_days": "14; 2, 2",
            "partner_share": "dimensions",
        },
    )
    assert done.status_code == 302
    team.assessment.refresh_from_db()
    assert team.assessment.partner_due_date == datetime.date(2027, 3, 1)
    assert team.assessment.partner_reminder_days == "2,14"
    assert team.assessment.partner_share == PartnerShare.DIMENSIONS


@pytest.mark.parametrize("days", ["91", "1,2,3,4,5,6", "-1", "1.5", "9999"])
def test_a_reminder_schedule_out_of_bounds_is_refused(days):
    form = PartnerSettingsForm(data={"partner_reminder_days": days, "partner_share": "nothing"})
    assert not form.is_valid()
    assert "partner_reminder_days" in form.errors


# ---------------------------------------------------------------- what the partner sees


def _both_sides_submitted(client, team, captured):
    tokens = _invite(team, captured, ("Dana", "dana@p.example"))
    token = tokens["dana@p.example"]
    _answer_and_submit(client, token, 1)
    for response in team.assessment.responses.all():
        answer_all(response, 3)
        give(response, "A1", 3, comment="our-secret-comment-9c4")
        submit(response)
    team.assessment.refresh_from_db()
    assert team.assessment.is_submitted
    return token


@pytest.mark.parametrize("share", ["nothing", "dimensions", "questions"])
def test_the_partners_link_shows_what_the_manager_shares_and_nothing_else(
    client, two_sided, django_capture_on_commit_callbacks, share
):
    team = two_sided
    token = _both_sides_submitted(client, team, django_capture_on_commit_callbacks)
    team.assessment.partner_share = share
    team.assessment.save(update_fields=["partner_share"])
    html = client.get(_fill(token)).content.decode()
    assert "Thank you" in html
    assert "our-secret-comment-9c4" not in html
    assert "partner-comment-5f2" not in html
    assert f"/alliances/{team.alliance.slug}" not in html  # no way into our pages
    if share == "nothing":
        assert 'id="shared-result"' not in html
        return
    assert 'id="shared-dimensions"' in html
    assert '<td>Dimension 1</td><td class="text-end">75</td><td class="text-end">25</td>' in html
    assert ('id="shared-questions"' in html) == (share == "questions")


def _pdf_text(response) -> str:
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("share", ["dimensions", "questions"])
def test_the_joint_view_pdf_holds_what_is_shared_and_nothing_else(
    client, two_sided, django_capture_on_commit_callbacks, share
):
    team = two_sided
    token = _both_sides_submitted(client, team, django_capture_on_commit_callbacks)
    team.assessment.partner_share = share
    team.assessment.save(update_fields=["partner_share"])
    page = client.get(_fill(token)).content.decode()
    joint = reverse("partner:joint_pdf", args=[token])
    assert f'href="{joint}"' in page

    response = client.get(joint)
    assert response["Content-Type"] == "application/pdf"
    theirs = _pdf_text(response)
    assert "How both companies see the alliance" in theirs
    assert "Dimension 1 75 25 50" in theirs
    assert "Your side" in theirs
    assert ("By question" in theirs) == (share == "questions")
    for secret in ("our-secret-comment-9c4", "partner-comment-5f2", "GO", "sponsor"):
        assert secret not in theirs

    # Our side downloads the same view from the results page, the partner named.
    client.force_login(team.users["viewer"])
    results = client.get(_url("results", team)).content.decode()
    ours_url = _url("partner_joint_pdf", team)
    assert f'href="{ours_url}"' in results
    ours = _pdf_text(client.get(ours_url))
    assert "Dimension 1 75 25 50" in ours
    assert team.alliance.partner.name in ours


def test_no_joint_view_while_nothing_is_shared_or_the_comparison_is_blind(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    tokens = _invite(team, django_capture_on_commit_callbacks, ("Dana", "dana@p.example"))
    token = tokens["dana@p.example"]
    _answer_and_submit(client, token, 1)
    team.assessment.partner_share = PartnerShare.DIMENSIONS
    team.assessment.save(update_fields=["partner_share"])
    # Our side has not submitted: blind, nothing to download.
    assert client.get(reverse("partner:joint_pdf", args=[token])).status_code == 404
    client.force_login(team.users["manager"])
    assert client.get(_url("partner_joint_pdf", team)).status_code == 404
    assert "joint-pdf" not in client.get(_url("results", team)).content.decode()


def test_nothing_is_shared_before_our_side_has_submitted(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    team.assessment.partner_share = PartnerShare.QUESTIONS
    team.assessment.save(update_fields=["partner_share"])
    tokens = _invite(team, django_capture_on_commit_callbacks, ("Dana", "dana@p.example"))
    _answer_and_submit(client, tokens["dana@p.example"], 1)
    html = client.get(_fill(tokens["dana@p.example"])).content.decode()
    assert "Thank you" in html
    assert 'id="shared-result"' not in html


# ---------------------------------------------------------------- links follow the server


def test_emailed_links_follow_the_address_the_manager_reached(
    client, two_sided, django_capture_on_commit_callbacks
):
    team = two_sided
    client.force_login(team.users["manager"])
    form = {
        "alliance_label": "Lighthouse",
        "contacts": "Dana <dana@p.example>",
        "confirmed": "True",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("partner_invite", team), form, HTTP_HOST="127.0.0.1:8001")
    assert LINK.search(mail.outbox[-1].body).group(1) == "http://127.0.0.1:8001"


def test_a_worker_uses_the_last_address_seen_else_port_8000_and_site_url_wins(
    client, two_sided, django_capture_on_commit_callbacks, settings
):
    team = two_sided
    assert site_url.absolute_url("/x/") == "http://127.0.0.1:8000/x/"  # nothing seen yet
    client.force_login(team.users["viewer"])
    client.get(team.alliance.get_absolute_url(), HTTP_HOST="localhost:8001")
    assert cache.get(site_url.CACHE_KEY) == "http://localhost:8001"
    assert site_url.absolute_url("/x/") == "http://localhost:8001/x/"  # no request here
    settings.SITE_URL = "https://alliances.example.com/"
    assert site_url.absolute_url("/x/") == "https://alliances.example.com/x/"
    with django_capture_on_commit_callbacks(execute=True):
        partner.invitations_create(
            assessment=team.assessment,
            invitees=[partner.InviteeData(name="Dana", email="dana@p.example")],
            alliance_label="L",
            by=team.users["manager"],
        )
    assert LINK.search(mail.outbox[-1].body).group(1) == "https://alliances.example.com"


def test_an_anonymous_request_does_not_choose_where_links_point(client):
    client.get("/accounts/login/", HTTP_HOST="localhost:9999")
    assert cache.get(site_url.CACHE_KEY) is None


def test_site_url_defaults_to_empty_and_make_run_prints_its_address():
    source = Path(django_settings.BASE_DIR, "config", "settings.py").read_text()
    assert 'SITE_URL = env("SITE_URL", default="")' in source
    makefile = Path(django_settings.BASE_DIR, "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "http://$(HOST):$(PORT)/" in run
    assert "runserver $(HOST):$(PORT)" in run
    assert "Links in e-mails point at" in run
