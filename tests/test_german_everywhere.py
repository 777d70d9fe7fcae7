"""With German chosen, the app speaks German everywhere: every page a manager of the demo
can reach by following links, the partner's fill page, the notifications and their
e-mails, the partner's invitation and the executive brief (PDF). A word of the English UI
("the", "Save", "Overdue" …) left in any of them fails, naming the page and the words
around it.

What may stay English: the demo's user data (names, titles, notes and answers people
typed: read from the models' USER_TEXT fields, except the generated ones) and a few
brand and loan terms German uses as they are ("Due Diligence", "Proof of Concept").
"""

import io
import re
from collections import deque
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import Profile
from alliances.models import Alliance, Membership
from assessments.models import PartnerInvitation
from kit.secret_links import secret_hash as token_hash
from notifications.models import Kind, Notification, OutgoingMail
from notifications.services import notify

pytestmark = pytest.mark.django_db

# Words of the English UI that are not German words (as whole words, case-sensitive).
ENGLISH = [
    "the",
    "The",
    "and",
    "And",
    "of",
    "with",
    "With",
    "WITH",
    "for",
    "For",
    "your",
    "Your",
    "you",
    "You",
    "this",
    "This",
    "that",
    "from",
    "From",
    "is",
    "are",
    "not",
    "none",
    "yet",
    "ago",
    "since",
    "until",
    "Submit",
    "Save",
    "Cancel",
    "Edit",
    "Delete",
    "Back",
    "Next",
    "Download",
    "Open",
    "Closed",
    "Waived",
    "Decision",
    "Decisions",
    "Condition",
    "Conditions",
    "CONDITIONS",
    "Overdue",
    "overdue",
    "OVERDUE",
    "Owner",
    "owner",
    "Due",
    "due",
    "Assessment",
    "Assessments",
    "assessment",
    "Finding",
    "Findings",
    "finding",
    "Evidence",
    "evidence",
    "Score",
    "Scores",
    "Reassessment",
    "Answer",
    "Answers",
    "Question",
    "Questions",
    "Search",
    "Sign",
    "Notifications",
    "days",
    "day",
    "Strategic",
    "strategic",
    "fit",
    "Readiness",
    "readiness",
    "Selection",
    "selection",
    "Mutual",
    "mutual",
]
ENGLISH_WORD = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")
# Terms German uses as they are, and marks that are codes rather than words.
LOAN_TERMS = [
    "Due Diligence",
    "Proof of Concept",
    "Business Case",
    "Term Sheet",
    "Alliance Readiness",
]
# Generated text (checked), not typed by people: these USER_TEXT fields do not excuse.
GENERATED = {
    ("decisions", "DecisionRecord"),
    ("decisions", "TrackedCondition", "text"),
    # Stored notifications are checked where they are made (the notification test): those
    # the demo made before its people chose German stay in the English they were made in.
    ("notifications", "OutgoingMail"),
    ("banks", "QuestionBank"),
    ("banks", "Dimension"),
    ("banks", "Question"),
    ("banks", "Choice"),
    ("briefs", "Brief"),
    ("signoffs", "SignOff", "shown"),
}
PAGE_LIMIT = 60
SAME_KIND = 2  # pages of one URL shape (ids aside) worth reading
SKIP = re.compile(
    r"/(logout|admin|api|static|media|i18n|accounts/two-factor)/|\.(pdf|xlsx|csv|yaml|svg|png)$"
    r"|/(download|export|delete|revoke)"
)


def user_texts() -> list[str]:
    """Every string people typed in the demo, longest first (so a name inside a longer
    text is removed with it)."""
    found: set[str] = set()
    for config in apps.get_app_configs():
        declared = getattr(config.models_module, "USER_TEXT", None) or {}
        for model_name, fields in declared.items():
            app_label, _dot, name = model_name.rpartition(".")
            model = apps.get_model(app_label or config.label, name)
            for field in fields:
                marks = (model._meta.app_label, model.__name__)
                if marks in GENERATED or (*marks, field) in GENERATED:
                    continue
                for value in model.objects.values_list(field, flat=True):
                    if isinstance(value, str) and value.strip():
                        found.add(value.strip())
                        found.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(found, key=len, reverse=True)


def visible_text(html: str) -> str:
    """What a reader sees and hears: text, labels read aloud and placeholders."""
    html = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", html)
    # A passage marked as another language (a brief's words, written in English) is not
    # the page's German.
    html = re.sub(r'(?is)<span lang="(?!de)[^"]*">.*?</span>', " ", html)
    said = re.findall(r'(?:aria-label|placeholder|title)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(text + " " + " ".join(said)).replace("\xa0", " ").split())


# A user text shown cut short ("Two automation engineers for the pilot…") is still
# theirs: its first CLIPPED characters and as many more as the page shows are taken out.
CLIPPED = 24


def _without_clipped(text: str, value: str) -> str:
    start = text.find(value[:CLIPPED])
    while start >= 0:
        end = start + CLIPPED
        while end < len(text) and end - start < len(value) and text[end] == value[end - start]:
            end += 1
        text = text[:start] + " ¶ " + text[end:]
        start = text.find(value[:CLIPPED])
    return text


def english_words(text: str, allowed: list[str]) -> list[str]:
    """Each English word left once the allowed texts are taken out, with its context."""
    for value in allowed:
        text = text.replace(value, " ¶ ")
        if len(value) > CLIPPED:
            text = _without_clipped(text, value)
    for term in LOAN_TERMS:
        text = text.replace(term, " ¶ ")
    return [
        text[max(m.start() - 40, 0) : m.end() + 40].strip() for m in ENGLISH_WORD.finditer(text)
    ]


def crawl(client: Client, start: list[str], limit: int = PAGE_LIMIT) -> dict[str, str]:
    """GET pages from `start` by following the site's own links, up to `limit` pages; the
    visible text of each 200 HTML page."""
    seen, queue, pages = set(start), deque(start), {}
    shapes: dict[str, int] = {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = visible_text(html)
        for href in re.findall(r'href="(/[^"#?]*)', html):
            path = urlsplit(href).path
            shape = re.sub(r"\d+", "#", re.sub(r"/alliances/[^/]+", "/alliances/*", path))
            if path in seen or SKIP.search(path) or shapes.get(shape, 0) >= SAME_KIND:
                continue
            seen.add(path)
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(path)
    return pages


@pytest.fixture
def german(seeded_demo, settings):
    """The demo with every person's language German (the site's stays English)."""
    settings.STORAGES = {**settings.STORAGES, "default": seeded_demo}
    for user in apps.get_model(settings.AUTH_USER_MODEL).objects.all():
        Profile.objects.update_or_create(user=user, defaults={"language": "de"})
    manager = (
        Membership.objects.filter(role=Membership.Role.MANAGER, alliance__is_archived=False)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    client.force_login(manager)
    return client, manager


def failures(texts: dict[str, str]) -> list[str]:
    allowed = user_texts()
    return [
        f"{where}: …{context}…"
        for where, text in texts.items()
        for context in english_words(text, allowed)
    ]


def test_every_page_a_manager_reaches_is_german(german):
    client, _manager = german
    start = ["/", *(a.get_absolute_url() for a in Alliance.objects.filter(is_archived=False))]
    pages = crawl(client, start)
    assert len(pages) > 20, "the walk found too few pages"
    wrong = failures(pages)
    assert not wrong, f"{len(wrong)} English words on German pages:\n" + "\n".join(wrong[:80])


def test_the_partner_fill_page_is_german(german):
    invitation = PartnerInvitation.objects.order_by("pk").first()
    assert invitation is not None, "the demo invites a partner"
    token = "german-partner-link-token-0123456789"
    # Open again for answers: the page shows the questions, not the thanks.
    PartnerInvitation.objects.filter(pk=invitation.pk).update(
        token_hash=token_hash(token),
        submitted_at=None,
        revoked_at=None,
        expires_at=timezone.now() + timedelta(days=7),
    )
    partner = Client()
    partner.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = partner.get(reverse("partner:fill", args=[token]), follow=True)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    # The questions of the two-sided bank, in German.
    assert "Die Allianz dient einem Ziel" in text
    wrong = failures({"partner fill page": text})
    assert not wrong, "\n".join(wrong)


def test_notifications_and_their_emails_are_in_the_recipients_language(german):
    _client, manager = german
    alliance = Alliance.objects.filter(memberships__user=manager).first()
    OutgoingMail.objects.all().delete()
    from decisions.rules import Verdict

    (made,) = notify(
        Kind.DECISION_CHANGED,
        alliance=alliance,
        recipients=[manager],
        title=lambda: (
            translation.gettext("%(alliance)s: the decision is now %(verdict)s")
            % {"alliance": alliance.name, "verdict": Verdict.GO_WITH_CONDITIONS.label}
        ),
        body=lambda: translation.gettext(
            "The results are ready to review; classify any open findings."
        ),
    )
    # Made in English (the site's language), written in the manager's German.
    assert translation.get_language().startswith("en")
    stored = Notification.objects.get(pk=made.pk)
    assert "GO MIT BEDINGUNGEN" in stored.title or "Entscheidung" in stored.title, stored.title
    texts = {"notification": f"{stored.title} {stored.body}"}
    from notifications import emails

    emails.send_immediate([made.pk])
    for mail in OutgoingMail.objects.all():
        texts[f"e-mail {mail.subject}"] = f"{mail.subject} {mail.body}"
    wrong = failures(texts)
    assert not wrong, "\n".join(wrong)


def test_the_partner_invitation_email_is_german(german):
    from assessments.partner import services

    invitation = PartnerInvitation.objects.order_by("pk").first()
    OutgoingMail.objects.all().delete()
    with translation.override("de"):
        services._send(invitation, "token-for-the-german-mail")
    mail = OutgoingMail.objects.get()
    wrong = failures({"invitation e-mail": f"{mail.subject} {mail.body}"})
    assert not wrong, "\n".join(wrong)


def test_the_brief_pdf_is_german(german):
    from briefs import services

    _client, manager = german
    alliance = (
        Alliance.objects.filter(memberships__user=manager, assessments__isnull=False)
        .distinct()
        .first()
    )
    with translation.override("de"):
        brief = services.brief_render_now(alliance=alliance, by=manager)
    assert brief.language == "de"
    from django.core.files.storage import default_storage

    with default_storage.open(brief.pdf.name, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    wrong = failures({"brief PDF": text})
    assert not wrong, f"{len(wrong)} English words in the German brief:\n" + "\n".join(wrong[:60])


def test_one_notification_is_written_in_each_recipients_language(db):
    """No demo needed: a German reader and one with no choice (the site's English) get the
    same event, each in their own words, whatever the actor's language."""
    from tests.factories import UserFactory

    german_reader, english_reader = UserFactory(), UserFactory()
    Profile.objects.create(user=german_reader, language="de")
    with translation.override("en-gb"):
        made = notify(
            Kind.ASSESSORS_ALL_SUBMITTED,
            alliance=None,
            recipients=[german_reader, english_reader],
            title=lambda: translation.gettext(
                "The results are ready to review; classify any open findings."
            ),
        )
    titles = {n.recipient_id: n.title for n in made}
    assert titles[english_reader.pk] == (
        "The results are ready to review; classify any open findings."
    )
    assert titles[german_reader.pk] != titles[english_reader.pk]
    assert not english_words(titles[german_reader.pk], [])
