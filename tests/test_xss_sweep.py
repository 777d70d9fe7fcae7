"""Stored XSS sweep and the Content-Security-Policy.

Each app's models.py says which of its text fields hold what people type, or text
quoting it (`USER_TEXT`), and which hold codes, hashes or tokens (`NOT_USER_TEXT`): by
model name, "auth.User" for another app's model. A field with `choices` is a fixed
choice and needs no entry. A test keeps the lists complete: a new text field fails it
until someone says which it is.

The sweep seeds the demo once, puts markup before every declared text of every row (a
script call naming the field, `xss(17)`), then follows links (and htmx GETs) from each
demo login's start pages and from the partner's and an invitee's secret links: no page
prints the markup unescaped, every page sends a strict policy, and each person's pages
show, escaped, the texts that person reads, so the sweep cannot pass without them.
"""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from alliances.models import Alliance, Invitation
from alliances.services import invitation_send
from api.services import token_create
from assessments.models import Assessment, Finding, PartnerInvitation
from assessments.partner.services import partner_answer_save
from assessments.services import AnswerValue, condition_update
from banks.models import Question
from banks.sections import _released
from briefs.models import Brief
from briefs.snapshot import build_snapshot, snapshot_sha256
from kit.secret_links import secret_hash as token_hash
from signoffs.evidence import evidence_sha256
from signoffs.models import SignOffRequest
from tests.assessment_factories import invite_partner

pytestmark = pytest.mark.django_db

# Fits the shortest declared field (30 characters) and has a quoted attribute to break.
PAYLOAD = '<img src=x onerror="xss({})">'
# Unescaped, the whole payload or its start (the field unknown then).
UNESCAPED = re.compile(r"<img src=x(?:[^>]*?xss\((\d+)\))?")
# Django writes a quote &quot;, Jinja (the fill page's questions) &#34;.
ESCAPED = re.compile(r"&lt;img src=x onerror=(?:&quot;|&#34;)xss\((\d+)\)(?:&quot;|&#34;)&gt;")

LOGINS = ("admin", "manager", "manager2", "executive", "contributor", "viewer", "bankadmin")
# Anonymous people who open a secret link: a partner contact (one link still open for
# answers, one whose answers are submitted) and someone invited to a team.
PARTNER_TOKEN = "xss-sweep-partner-link-0123456789abcdefghijkl"
SUBMITTED_TOKEN = "xss-sweep-submitted-link-0123456789abcdefghij"
INVITEE_TOKEN = "xss-sweep-team-invitation-0123456789abcdefgh"
PEOPLE = (*LOGINS, "partner", "invitee")

# Pages of one URL name visited at most this many times (pagination, each object...);
# the partner's questionnaire is one URL name with a page per section (`?d=2`).
VISITS_PER_NAME = {"partner": 12}
SKIPPED_NAMES = {"logout", "download", "set_language"}

# The least each person's sweep visits, and shows poisoned texts on (a link lost from a
# start page fails it)...
MINIMUM_PAGES = {
    "admin": (400, 350),
    "manager": (120, 100),
    "manager2": (65, 50),
    "executive": (50, 35),
    "contributor": (45, 35),
    "viewer": (45, 33),
    "bankadmin": (100, 85),
    "partner": (8, 7),
    "invitee": (1, 1),
}
# ... and texts their pages must show, escaped: one at least of every app they read.
PEOPLES_NAMES = {"auth.User.first_name", "auth.User.last_name"}
MUST_SHOW = {
    "admin": PEOPLES_NAMES | {"banks.BankVersion.notes", "sponsors.Sponsorship.personal_agenda"},
    "manager": PEOPLES_NAMES
    | {
        "alliances.Alliance.name",
        "alliances.KPI.name",
        "alliances.Organisation.name",
        "api.ApiToken.name",
        "assessments.Answer.comment",
        "assessments.Finding.done_note",
        "assessments.Finding.mitigation",
        "assessments.PartnerInvitation.name",
        "banks.Question.text",
        "notifications.Notification.body",
        "notifications.Notification.title",
        "signoffs.SignOff.comment",
        "signoffs.SignOffRequest.message",
        "signoffs.SignOffRequest.rationale",
        "sponsors.Signal.note",
        "sponsors.Sponsor.name",
        "sponsors.Sponsorship.personal_agenda",
        "taggit.Tag.name",
    },
    "manager2": PEOPLES_NAMES | {"alliances.Alliance.name", "alliances.Organisation.name"},
    "executive": PEOPLES_NAMES
    | {
        "alliances.Alliance.name",
        "assessments.Finding.done_note",
        "notifications.Notification.title",
        "signoffs.SignOffRequest.message",
        "signoffs.SignOffRequest.rationale",
        "sponsors.Sponsor.name",
    },
    "contributor": PEOPLES_NAMES
    | {"alliances.Alliance.name", "assessments.Answer.comment", "banks.Question.text"},
    "viewer": PEOPLES_NAMES | {"alliances.Alliance.name", "alliances.KPI.name"},
    "bankadmin": PEOPLES_NAMES
    | {
        "banks.BankVersion.notes",
        "banks.Choice.label",
        "banks.Dimension.name",
        "banks.Question.text",
        "banks.QuestionBank.name",
    },
    "partner": {
        "alliances.Organisation.name",
        "banks.Choice.label",
        "banks.Dimension.name",
        "assessments.PartnerAnswer.comment",
        "assessments.PartnerInvitation.alliance_label",
        "assessments.PartnerInvitation.name",
        "banks.Question.text",
    },
    "invitee": {"alliances.Alliance.name", "alliances.Invitation.email"},
}
# Declared texts with poisoned rows that no swept page shows, and why.
NOT_SHOWN = {
    "decisions.DecisionRecord.rationale": "read to write a notification, never shown",
    # Copies of texts swept in their own tables; poisoned, their dates and codes too, the
    # record cannot be read and the pages compute the decision from those tables.
    "decisions.DecisionRecord.inputs": "a copy, unreadable once poisoned",
    # The seed banks' German texts show to German readers; the sweep reads in English.
    "banks.QuestionBank.translations": "German only",
    "banks.Dimension.translations": "German only",
    "banks.Choice.translations": "German only",
    "decisions.DecisionRecord.robustness": "a copy, unreadable once poisoned",
    "assessments.PartnerAnswer.text": "only for free-text questions: the two-sided bank has none",
    "briefs.Brief.error": "shown when a render failed: the demo's brief is ready",
    "notifications.OutgoingMail.body": "e-mailed, never shown on a page",
    "notifications.OutgoingMail.html": "e-mailed, never shown on a page",
    "notifications.OutgoingMail.recipients": "e-mailed; pages show the invitation's address",
    "notifications.OutgoingMail.subject": "e-mailed, never shown on a page",
}


# ---------------------------------------------------------------- the declared texts


def our_apps():
    """The project's own apps (a folder of the project, not an installed package)."""
    return [c for c in apps.get_app_configs() if Path(c.path).parent == settings.BASE_DIR]


def declared(name: str) -> dict[type[models.Model], set[str]]:
    """The fields each app's models.py names in its `name` (USER_TEXT or NOT_USER_TEXT)."""
    fields = defaultdict(set)
    for config in our_apps():
        for label, names in getattr(config.models_module, name, {}).items():
            model = apps.get_model(label if "." in label else f"{config.label}.{label}")
            fields[model].update(names)
    return fields


def text_fields(model) -> dict[str, models.Field]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return {f.name: f for f in model._meta.concrete_fields if isinstance(f, kinds)}


def is_history(model) -> bool:
    """django-simple-history's copy of a model, whose texts are the model's."""
    return hasattr(model, "instance_type")


def test_every_text_field_says_whether_people_type_it():
    user_text, not_user_text = declared("USER_TEXT"), declared("NOT_USER_TEXT")
    ours = {m for c in our_apps() for m in c.get_models() if not is_history(m)}
    problems = []
    for model in sorted(ours | set(user_text) | set(not_user_text), key=str):
        fields, label = text_fields(model), model._meta.label
        for name in sorted(user_text[model] | not_user_text[model]):
            if name not in fields:
                problems.append(f"{label}.{name} is declared but is no text field")
            elif name in user_text[model] and name in not_user_text[model]:
                problems.append(f"{label}.{name} is both USER_TEXT and NOT_USER_TEXT")
            elif name in user_text[model] and fields[name].choices:
                problems.append(f"{label}.{name} has choices: nobody types it")
        where = f"{model._meta.app_config.name}/models.py" if model in ours else "a models.py"
        for name, text in fields.items():
            if name not in user_text[model] | not_user_text[model] and not text.choices:
                problems.append(
                    f"{label}.{name}: name it in USER_TEXT (people type it, or it quotes "
                    f"what they typed) or in NOT_USER_TEXT (a code, hash, token...) of {where}"
                )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- poisoning


def _poisoned_json(value, payload):
    """`value` (a bank's translations) with `payload` before every string in it."""
    if isinstance(value, str):
        return payload + value
    if isinstance(value, dict):
        return {key: _poisoned_json(item, payload) for key, item in value.items()}
    if isinstance(value, list):
        return [_poisoned_json(item, payload) for item in value]
    return value


def poison(model, payloads: dict[str, str]) -> set[str]:
    """Puts each field's payload before that field's text in every row of `model`, cutting
    the text where the field's max_length needs; returns the fields that had rows."""
    rows, updates, touched = model._base_manager.all(), {}, set()
    for name, payload in payloads.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.JSONField):
            for pk, value in rows.exclude(**{name: {}}).values_list("pk", name):
                rows.filter(pk=pk).update(**{name: _poisoned_json(value, payload)})
                touched.add(name)
            continue
        text = F(name)
        if field.max_length:
            assert field.max_length >= len(payload), f"{field} is too short for the sweep"
            text = Left(name, field.max_length - len(payload))
        # First, so that a page showing the text cut short (truncatechars) shows it too.
        updates[name] = Concat(Value(payload), text, output_field=field)
    if updates and rows.exists():
        rows.update(**updates)
        touched |= set(updates)
    return touched


def _complete_the_demo(manager) -> None:
    """What the demo lacks for the sweep, made through the services: the links of the
    anonymous people swept, with tokens the sweep knows (only hashes are stored), an API
    token and a condition done with a note (the conditions panel shows it then only)."""
    mutual = Assessment.objects.get(version__bank__kind="mutual_fit")
    PartnerInvitation.objects.filter(assessment=mutual, submitted_at__isnull=False).update(
        token_hash=token_hash(SUBMITTED_TOKEN)
    )
    invitation = invite_partner(
        mutual, by=manager, token=PARTNER_TOKEN, name="Pat Partner", label="Cobalt co-sell"
    )
    question = Question.objects.filter(dimension__version=mutual.version).first()
    partner_answer_save(
        invitation=invitation,
        question=question,
        value=AnswerValue(choice=question.choices.last(), comment="Our board backs it."),
    )
    team = invitation_send(
        alliance=mutual.alliance, email="new.colleague@example.com", role="viewer", by=manager
    )
    Invitation.objects.filter(pk=team.pk).update(
        token_sha256=hashlib.sha256(INVITEE_TOKEN.encode()).hexdigest()
    )
    token_create(by=manager, name="Power BI")
    condition = Finding.objects.filter(
        classification=Finding.Classification.MANAGEABLE,
        assessment__alliance__memberships__user__username="executive",
    ).first()
    condition_update(finding=condition, status="done", note="NDA signed.", by=manager)


def _derive_again(current_signoffs: set[int]) -> None:
    """What the code derived from the texts, derived from the poisoned ones: the sign-offs
    that were current stay so, the latest brief of each alliance is of the poisoned texts,
    and the process forgets the published bank versions it read (they never change, but
    here)."""
    for request in SignOffRequest.objects.filter(pk__in=current_signoffs):
        SignOffRequest.objects.filter(pk=request.pk).update(
            evidence_sha256=evidence_sha256(request.alliance)
        )
    latest = {b.alliance_id: b for b in Brief.objects.select_related("alliance").reverse()}
    for brief in latest.values():
        with translation.override(brief.language or settings.LANGUAGE_CODE):
            snapshot, _decision = build_snapshot(brief.alliance)
        Brief.objects.filter(pk=brief.pk).update(
            snapshot=snapshot, snapshot_sha256=snapshot_sha256(snapshot)
        )
    _released.cache_clear()


@dataclass
class Demo:
    users: dict[str, int]  # pk by username, before poisoning
    fields: dict[int, str]  # "app.Model.field" by the number in its payload
    poisoned: set[str]  # the declared fields that had rows to poison


@pytest.fixture(scope="module")
def poisoned_demo(seeded_demo, django_db_blocker) -> Demo:
    """The demo with a payload before every declared text (and in the history rows that
    copy it), for the whole module: each test's own writes are rolled back after it."""
    with django_db_blocker.unblock():
        users = dict(get_user_model().objects.values_list("username", "pk"))
        _complete_the_demo(get_user_model().objects.get(pk=users["manager"]))
        current = {
            request.pk
            for request in SignOffRequest.objects.select_related("alliance")
            if request.evidence_sha256 == evidence_sha256(request.alliance)
        }
        user_text = declared("USER_TEXT")
        labels = sorted(
            f"{m._meta.label}.{name}" for m, names in user_text.items() for name in names
        )
        numbers = {label: n for n, label in enumerate(labels, start=1)}
        poisoned = set()
        # Usernames too: force_login takes the user, never their name, so log-ins still work.
        for model in apps.get_models():
            source = model.instance_type if is_history(model) else model
            names = user_text.get(source, set()) & set(text_fields(model))
            payloads = {n: PAYLOAD.format(numbers[f"{source._meta.label}.{n}"]) for n in names}
            touched = poison(model, payloads) if payloads else set()
            if not is_history(model):
                poisoned |= {f"{model._meta.label}.{name}" for name in touched}
        _derive_again(current)
    return Demo(users, fields={n: label for label, n in numbers.items()}, poisoned=poisoned)


# ---------------------------------------------------------------- crawling


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "hx-get"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "form" and attrs.get("method", "get").lower() == "get" and attrs.get("action"):
            self.urls.append(attrs["action"])


def _url_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client, start_paths, *, limit=600, visits_per_name=3):
    """GET every page reachable from `start_paths` (each visited, whatever the visits per
    name); yields (path, response)."""
    queue, seen, per_name = list(start_paths), set(), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        name = _url_name(urlsplit(path).path)
        if name is None or name.split(":")[-1] in SKIPPED_NAMES:
            continue
        if per_name.get(name, 0) >= visits_per_name and path not in start_paths:
            continue
        seen.add(path)
        per_name[name] = per_name.get(name, 0) + 1
        response = client.get(path)
        yield path, response
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for link in parser.urls:
            target = urlsplit(urljoin(path, link))
            if target.scheme or target.netloc:
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))


def lax_policy(response) -> str | None:
    """What is wrong with the response's Content-Security-Policy, if anything."""
    policy = response.get("Content-Security-Policy", "")
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    directives = {part[0]: part[1] if len(part) > 1 else "" for part in parts}
    strict = directives.get("default-src") == directives.get("script-src") == "'self'"
    return None if strict and "unsafe-inline" not in policy else f"CSP is {policy!r}"


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/no-such-page/"])
def test_pages_outside_the_app_send_the_policy_too(client, path):
    assert lax_policy(client.get(path)) is None, path


@dataclass
class Sweep:
    """What one person's crawl met."""

    visited: int = 0
    problems: list[str] = field(default_factory=list)  # 5xx, lax policy, unescaped text
    escaped_pages: int = 0
    shown: set[str] = field(default_factory=set)  # declared fields shown escaped


def _start(who: str, demo: Demo) -> tuple[Client, list[str]]:
    """A client for `who`, and the pages it starts from."""
    client = Client()
    if who == "partner":
        links = (f"/partner/{PARTNER_TOKEN}/", f"/partner/{PARTNER_TOKEN}/submit/")
        return client, [*links, f"/partner/{SUBMITTED_TOKEN}/"]
    if who == "invitee":
        return client, [f"/invitations/{INVITEE_TOKEN}/"]
    user = get_user_model().objects.get(pk=demo.users[who])
    client.force_login(user)
    # Every alliance's page (side panels: decision, conditions...) and the two-sided
    # assessment's, the one page naming the partner's contacts: the visits per name could
    # be spent before them.
    two_sided = Assessment.objects.get(version__bank__kind="mutual_fit")
    alliances = [alliance.get_absolute_url() for alliance in Alliance.objects.all()]
    starts = ["/", "/alliances/", "/partners/", *alliances, two_sided.get_absolute_url()]
    return client, starts + (["/admin/"] if user.is_staff else [])


def sweep(who: str, demo: Demo) -> Sweep:
    client, starts = _start(who, demo)
    result = Sweep()
    for path, response in crawl(client, starts, visits_per_name=VISITS_PER_NAME.get(who, 3)):
        result.visited += 1
        if response.status_code >= 500:
            result.problems.append(f"{path} answered {response.status_code}")
        if problem := lax_policy(response):
            result.problems.append(f"{path}: {problem}")
        if "html" not in response.get("Content-Type", "") or response.streaming:
            # CSV, spreadsheets, the API schema: not read as HTML, unless a browser sniffs.
            if response.get("X-Content-Type-Options") != "nosniff":
                result.problems.append(f"{path}: {response['Content-Type']} without nosniff")
            continue
        html = response.content.decode(errors="replace")
        for match in UNESCAPED.finditer(html):
            context = html[max(0, match.start() - 120) : match.end() + 20]
            label = demo.fields[int(match[1])] if match[1] else "a text"
            result.problems.append(f"{path}: {label} unescaped in …{context}…")
        shown = {demo.fields[int(number)] for number in ESCAPED.findall(html)}
        result.escaped_pages += bool(shown)
        result.shown |= shown
    return result


@pytest.fixture(scope="module")
def _sweeps():
    return {}


@pytest.fixture
def swept(poisoned_demo, _sweeps):
    """`swept(who)`: that person's sweep, crawled once for the module by the first test
    that asks (whose writes, such as a partner's first visit, are rolled back after it)."""

    def of(who: str) -> Sweep:
        if who not in _sweeps:
            _sweeps[who] = sweep(who, poisoned_demo)
        return _sweeps[who]

    return of


@pytest.mark.parametrize("who", PEOPLE)
def test_no_page_prints_user_text_unescaped(swept, who):
    result = swept(who)
    assert not result.problems, "\n".join(result.problems)
    # The sweep means something only if it reached pages that show the poisoned texts.
    visited, escaped = MINIMUM_PAGES[who]
    assert result.visited >= visited
    assert result.escaped_pages >= escaped
    assert not MUST_SHOW[who] - result.shown, f"not shown: {MUST_SHOW[who] - result.shown}"


def test_every_poisoned_text_shows_escaped_on_some_page(swept, poisoned_demo):
    shown = set().union(*(swept(who).shown for who in PEOPLE))
    assert len(poisoned_demo.poisoned) > 50
    assert poisoned_demo.poisoned - shown == set(NOT_SHOWN)
