"""The request fuzzer behind tests/test_fuzz.py and `make fuzz`.

Every URL pattern of the project is resolved with real ids of the demo data. First a
walk: every pattern × every role, one GET and, where the pattern takes one, one POST of
the page's own form with a hostile value in it (`walk`). Then the random part: Hypothesis
draws requests (another alliance's ids, out-of-range or non-ASCII ones, hostile query
parameters, form fields dropped, replaced by hostile values or added), so a failure
shrinks to a small case; Django's stock admin pages of our models are sampled there.
"""

import traceback
from collections import Counter
from dataclasses import dataclass, field
from hashlib import sha256
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Case, When
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import strategies as st

from alliances.models import KPI, Alliance, Invitation, Membership, Organisation
from alliances.services import invitation_send
from api.models import ApiToken
from api.services import token_create
from assessments.models import Answer, Assessment, Finding, PartnerInvitation, Response
from assessments.services import assessment_start
from banks.models import BankVersion, Question
from briefs.models import Brief
from calendars.models import CalendarFeed
from decisions.models import TrackedCondition
from evidence.models import EvidenceFile
from evidence.services import evidence_file_attach
from kit.secret_links import secret_hash as token_hash
from meetings.models import ActionItem, Meeting
from notifications.models import Notification
from signoffs.models import SignOff
from sponsors.models import PeerLink, Signal, Sponsor, SponsorChangeProposal, Sponsorship
from tests.assessment_factories import invite_partner
from webhooks.models import Delivery, Endpoint

User = get_user_model()

# Role → demo username (None: not signed in). "outsider" has an account and no team;
# "outside manager" may register alliances but is on no confidential team.
ROLES = {
    "anonymous": None,
    "outsider": "fuzz-outsider",
    "viewer": "viewer",
    "contributor": "contributor",
    "executive": "executive",
    "manager": "manager",
    "outside manager": "manager2",
    "bank admin": "bankadmin",
    "superuser": "admin",
}

# The values the issue lists, and a few more that broke parsers elsewhere.
HOSTILE = [
    "²",
    "٣",
    "𝟘",
    "1²",
    "9" * 5000,
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "-0",
    "-1",
    "0",
    "1.5",
    " 1 ",
    "0x10",
    "1_000",
    "\x00",
    "1\x00",
    "a\x00b",
    "\ud800",
    "\udfff1",
    "x" * 10000,
    "2026-02-30",
    "0000-00-00",
    "9999-99-99",
    "31/12/2026",
    "",
    " ",
    "true",
    "on",
    "[]",
    "{}",
    "null",
    "None",
    "<img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "https://evil.example/",
    "javascript:alert(1)",
]
# What breaks a number or id parser: the most fruitful values, drawn most often.
NUMERIC_HOSTILE = [
    "²",
    "٣",
    "𝟘",
    "9" * 5000,
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "-0",
    "-1",
    "0",
    " 1 ",
    "1.5",
    "\x00",
]
# Query parameters our pages read, and some they do not.
QUERY_KEYS = [
    "d",
    "d",
    "page",
    "page",
    "q",
    "stage",
    "type",
    "origin",
    "archived",
    "side",
    "next",
    "alliance",
    "for",
    "name",
]
HEADER_HTMX = {"HTTP_HX_REQUEST": "true"}
# Markers of a message a user can read, on a page or an htmx fragment.
MESSAGE_MARKERS = ('role="alert"', "invalid-feedback", "errorlist", "alert-danger", "text-danger")
SENTINEL_ID = 987654321987
ROLE_OF = {name: role for role, name in ROLES.items() if name}


def seed() -> dict:
    """The demo data plus a plain signed-in user and a brief; returns the users by role."""
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    token_create(by=User.objects.get(username="manager"), name="fuzz")
    User.objects.get_or_create(username="fuzz-outsider", defaults={"email": "out@example.com"})
    for alliance in Alliance.objects.all()[:2]:
        Brief.objects.get_or_create(
            alliance=alliance,
            snapshot_sha256=f"{alliance.pk:064d}",
            defaults={"snapshot": {"decision": {"verdict": "NO-GO"}}, "status": "failed"},
        )
    _partner_link()
    _shared_link()
    _calendar_feed()
    _team_invitation()
    _evidence_and_proposal()
    return {role: User.objects.get(username=name) if name else None for role, name in ROLES.items()}


def _evidence_and_proposal() -> None:
    """A file attached to a finding and a change proposed to a sponsor (the demo has
    neither), so that their pages are reached."""
    manager = User.objects.get(username="manager")
    finding = Finding.objects.filter(assessment__alliance__memberships__user=manager).first()
    if not EvidenceFile.objects.exists():
        evidence_file_attach(
            alliance=finding.assessment.alliance,
            target=finding,
            upload=SimpleUploadedFile("fuzz.pdf", b"%PDF-1.4\n%%EOF\n"),
            by=manager,
        )
    if not SponsorChangeProposal.objects.exists():
        sponsor = Sponsor.objects.first()
        SponsorChangeProposal.objects.create(
            sponsor=sponsor, name=sponsor.name, title="Fuzzed", seniority=sponsor.seniority
        )


PARTNER_TOKEN = "fuzz-partner-link-token-0123456789abcdefghijklm"
CALENDAR_TOKEN = "cal_fuzz-calendar-feed-token-0123456789abcdefghij"


SHARED_TOKEN = "fuzz-shared-link-token-0123456789abcdefghijklmno"


def _shared_link() -> None:
    """The demo contact's submitted link, known to the fuzzer: it shows the joint view."""
    invitation = PartnerInvitation.objects.filter(submitted_at__isnull=False).first()
    invitation.token_hash = token_hash(SHARED_TOKEN)
    invitation.save(update_fields=["token_hash"])


def _calendar_feed() -> None:
    """A calendar feed whose address the fuzzer knows (only its hash is stored)."""
    CalendarFeed.objects.get_or_create(
        user=User.objects.get(username="manager"),
        defaults={"token_hash": token_hash(CALENDAR_TOKEN), "address_since": timezone.now()},
    )


def _partner_link() -> None:
    """A pending partner invitation whose link the fuzzer knows (the demo's is submitted),
    on a two-sided assessment of its own: the demo's stays complete, its joint view shown."""
    if PartnerInvitation.objects.filter(token_hash=token_hash(PARTNER_TOKEN)).exists():
        return
    manager = User.objects.get(username="manager")
    demo = Assessment.objects.get(version__bank__kind="mutual_fit")
    invite_partner(
        assessment_start(
            alliance=demo.alliance,
            version=demo.version,
            title="Fuzzed: both sides again",
            by=manager,
            assessors=[manager],
        ),
        by=manager,
        token=PARTNER_TOKEN,
        name="Fuzz Partner",
        email="fuzz.partner@example.com",
        label="Fuzzed alliance",
    )


INVITATION_TOKEN = "fuzz-team-invitation-token-0123456789abcdefghij"


def _team_invitation() -> None:
    """A pending team invitation whose link the fuzzer knows."""
    if Invitation.objects.filter(token_sha256=sha256(INVITATION_TOKEN.encode()).hexdigest()):
        return
    invitation = invitation_send(
        alliance=Alliance.objects.filter(is_confidential=False).first(),
        email="fuzz.invitee@example.com",
        role=Membership.Role.VIEWER,
        by=User.objects.get(username="manager"),
    )
    invitation.token_sha256 = sha256(INVITATION_TOKEN.encode()).hexdigest()
    invitation.save(update_fields=["token_sha256"])


# ---------------------------------------------------------------- URL patterns and ids


@dataclass(frozen=True)
class Pattern:
    """A named URL pattern. `walked`: ours, so every role sends it a GET and a POST; the
    others are Django's stock admin pages of our models, sampled by the random part."""

    name: str
    converters: dict
    methods: tuple[str, ...]
    walked: bool


def _our_packages() -> tuple[str, ...]:
    """The project's own apps: the folders beside manage.py (the others are installed)."""
    base = Path(settings.BASE_DIR)
    return tuple(c.name for c in apps.get_app_configs() if Path(c.path).parent == base)


def _is_ours(view) -> bool:
    module = getattr(view, "__module__", "") or ""
    return module.split(".")[0] in _our_packages()


def _admin_models() -> dict[str, type]:
    """Our models registered in the admin, by the prefix of their admin URL names."""
    ours = _our_packages()
    return {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_": m
        for m in admin.site._registry
        if m.__module__.split(".")[0] in ours
    }


def url_patterns(resolver=None, namespace=None):
    """Every named URL pattern of the project: ours (our admin views included) walked,
    the stock admin pages of our models sampled, other libraries' admin pages left out."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            converters = dict(pattern.pattern.converters)
            methods = _methods(pattern.callback)
            if not name.startswith("admin:") or _is_ours(pattern.callback):
                yield Pattern(name, converters, methods, walked=True)
            elif name in ADMIN_SAMPLED or name.startswith(tuple(_admin_models())):
                yield Pattern(name, converters, methods, walked=False)


# The admin's own pages sampled beside our models' (log-out would end the session).
ADMIN_SAMPLED = {"admin:index", "admin:app_list"}


def url_names():
    """The walked URL patterns as (name, arguments, methods)."""
    for pattern in url_patterns():
        if pattern.walked:
            yield pattern.name, tuple(pattern.converters), pattern.methods


def id_arguments(name: str) -> set[str]:
    """The keyword arguments of a URL pattern that are ids (`<id:…>`); the others (a
    slug, a token, a download's `<sheet:fmt>`) need a valid value of their own kind."""
    from kit.params import IdConverter

    converters = next(p.converters for p in url_patterns() if p.name == name)
    return {k for k, c in converters.items() if isinstance(c, IdConverter)}


# A valid path value for each argument that is no id (ids are numbers).
PATH_EXAMPLES = {"fmt": "xlsx", "token": "not-a-token", "kind": "finding"}


def _methods(view) -> tuple[str, ...]:
    """The methods a view answers (GET and POST), so most requests reach its work."""
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return ("get", "post")
    return tuple(
        m for m in ("get", "post") if m in view_class.http_method_names and hasattr(view_class, m)
    ) or ("get", "post")


def _alliance_urls():
    return [{"slug": a.slug} for a in Alliance.objects.all()]


def _by_alliance(queryset, alliance_path):
    return [{"slug": slug, "pk": pk} for pk, slug in queryset.values_list("pk", alliance_path)]


def _findings():
    rows = Finding.objects.values_list("pk", "assessment_id", "assessment__alliance__slug")
    return [{"slug": s, "pk": a, "fid": f} for f, a, s in rows]


def _responses():
    rows = Response.objects.values_list(
        "pk", "assessment_id", "assessment__alliance__slug", "assessor__username"
    )
    return [{"slug": s, "pk": a, "rid": r, "owner": u} for r, a, s, u in rows]


def _answers():
    out = []
    for response in Response.objects.select_related("assessment__alliance", "assessor"):
        questions = Question.objects.filter(
            dimension__version_id=response.assessment.version_id
        ).values_list("pk", flat=True)
        for qid in list(questions)[:6]:
            out.append(
                {
                    "slug": response.assessment.alliance.slug,
                    "pk": response.assessment_id,
                    "rid": response.pk,
                    "qid": qid,
                    "owner": response.assessor.username,
                }
            )
    return out


def _invitations():
    rows = PartnerInvitation.objects.values_list(
        "pk", "assessment_id", "assessment__alliance__slug"
    )
    return [{"slug": s, "pk": a, "iid": i} for i, a, s in rows]


def _partner_answers():
    invitation = PartnerInvitation.objects.get(token_hash=token_hash(PARTNER_TOKEN))
    questions = Question.objects.filter(dimension__version_id=invitation.assessment.version_id)
    return [{"token": PARTNER_TOKEN, "qid": q} for q in questions.values_list("pk", flat=True)[:6]]


def _evidence_targets():
    """Each kind of thing a file attaches to (evidence/targets.py), with its alliance."""
    rows = [
        ("finding", Finding.objects.values_list("pk", "assessment__alliance__slug")),
        ("condition", TrackedCondition.objects.values_list("pk", "alliance__slug")),
        ("signal", Signal.objects.values_list("pk", "sponsorship__alliance__slug")),
        (
            "answer",
            Answer.objects.values_list("pk", "response__assessment__alliance__slug")[:6],
        ),
    ]
    return [{"slug": s, "kind": kind, "pk": pk} for kind, pairs in rows for pk, s in pairs]


def _drafts_first(queryset, status="status"):
    """A few objects, those of a draft bank version first (their pages do work)."""
    ordered = queryset.order_by(Case(When(**{status: "draft"}, then=0), default=1), "pk")
    return [{"pk": pk} for pk in ordered.values_list("pk", flat=True)[:4]]


def _in_formats(provider):
    """Each argument set once per download format (`<sheet:fmt>`)."""
    return lambda: [{**kwargs, "fmt": fmt} for kwargs in provider() for fmt in ("xlsx", "csv")]


def _pks(model):
    return [{"pk": pk} for pk in model.objects.values_list("pk", flat=True)]


def _of_alliance(model, path="alliance__slug"):
    return lambda: _by_alliance(model.objects.all(), path)


# Which objects fill each URL's arguments, so a request reaches the view's real work.
PROVIDERS = {
    "alliances:member_role": _of_alliance(Membership),
    "alliances:member_remove": _of_alliance(Membership),
    "alliances:kpi_edit": _of_alliance(KPI),
    "alliances:kpi_delete": _of_alliance(KPI),
    "alliances:partner_detail": lambda: _pks(Organisation),
    "alliances:partner_edit": lambda: _pks(Organisation),
    "sponsors:sponsorship_edit": _of_alliance(Sponsorship),
    "sponsors:sponsorship_delete": _of_alliance(Sponsorship),
    "sponsors:signal_edit": _of_alliance(Signal, "sponsorship__alliance__slug"),
    "sponsors:signal_delete": _of_alliance(Signal, "sponsorship__alliance__slug"),
    "sponsors:peer_edit": _of_alliance(PeerLink),
    "sponsors:peer_delete": _of_alliance(PeerLink),
    "sponsors:profile": lambda: _pks(Sponsor),
    "sponsors:sponsor_edit": lambda: _pks(Sponsor),
    "assessments:detail": _of_alliance(Assessment),
    "assessments:assessors": _of_alliance(Assessment),
    "assessments:results": _of_alliance(Assessment),
    "assessments:history": _of_alliance(Assessment),
    "assessments:delete": _of_alliance(Assessment),
    "assessments:reassess": _of_alliance(Assessment),
    "assessments:finding": _findings,
    "assessments:export_answers": _in_formats(_of_alliance(Assessment)),
    "assessments:export_results": _in_formats(_of_alliance(Assessment)),
    "decisions:export_findings": _in_formats(_alliance_urls),
    "assessments:fill": _responses,
    "assessments:submit": _responses,
    "assessments:reopen": _responses,
    "assessments:answer": _answers,
    "assessments:condition": _findings,
    "decisions:condition": _of_alliance(TrackedCondition),
    "evidence:files": _evidence_targets,
    "banks:version": lambda: _drafts_first(BankVersion.objects.all()),
    "banks:new_draft": lambda: _drafts_first(BankVersion.objects.all()),
    "banks:publish": lambda: _drafts_first(BankVersion.objects.all()),
    "banks:download": lambda: [
        {**kwargs, "fmt": fmt}
        for kwargs in _drafts_first(BankVersion.objects.all())
        for fmt in ("yaml", "xlsx")
    ],
    "banks:question_edit": lambda: _drafts_first(
        Question.objects.all(), "dimension__version__status"
    ),
    "assessments:response_copy": _responses,
    # A PDF renders in about a second: a few are enough.
    "assessments:response_pdf": lambda: _responses()[:3],
    "partner:copy": lambda: [{"token": PARTNER_TOKEN}],
    "partner:copy_pdf": lambda: [{"token": PARTNER_TOKEN}],
    "partner:joint_pdf": lambda: [{"token": SHARED_TOKEN}, {"token": PARTNER_TOKEN}],
    "meetings:detail": _of_alliance(Meeting),
    "meetings:edit": _of_alliance(Meeting),
    "meetings:minutes": _of_alliance(Meeting),
    "meetings:delete": _of_alliance(Meeting),
    "meetings:action_done": lambda: [
        {"slug": s, "pk": m, "action": a}
        for a, m, s in ActionItem.objects.values_list("pk", "meeting_id", "meeting__alliance__slug")
    ],
    "calendars:feed": lambda: [
        {"token": CALENDAR_TOKEN},
        {"token": "not-a-token"},
        {"token": "x" * 300},
    ],
    "calendars:alliance_feed": lambda: (
        [
            {"token": CALENDAR_TOKEN, "slug": slug}
            for slug in Alliance.objects.values_list("slug", flat=True)
        ]
        + [{"token": "not-a-token", "slug": "no-such-alliance"}]
    ),
    "webhooks:detail": lambda: _pks(Endpoint),
    "webhooks:edit": lambda: _pks(Endpoint),
    "webhooks:rotate": lambda: _pks(Endpoint),
    "webhooks:delete": lambda: _pks(Endpoint),
    "webhooks:replay": lambda: _pks(Delivery),
    "alliances:kpi_history": _of_alliance(KPI),
    "api:kpi-detail": lambda: _pks(KPI),
    "api:kpi-actuals": lambda: _pks(KPI),
    "evidence:download": _of_alliance(EvidenceFile),
    "evidence:delete": _of_alliance(EvidenceFile),
    "sponsors:sponsor_propose": lambda: _pks(Sponsor),
    "sponsors:proposal_decide": lambda: _pks(SponsorChangeProposal),
    "password_reset_confirm": lambda: [{"uidb64": "MQ", "token": "no-such-token"}],
    # A pending invitation whose link the fuzzer knows, and one nobody was given.
    "alliances:invitation": lambda: [
        {"token": INVITATION_TOKEN},
        {"token": "not-a-token"},
        {"token": "x" * 300},
    ],
    "signoffs:answer": _of_alliance(SignOff, "request__alliance__slug"),
    "assessments:partner_invite": _of_alliance(Assessment),
    "assessments:partner_resend": _invitations,
    "assessments:partner_link": _invitations,
    "assessments:partner_remind": _invitations,
    "assessments:partner_settings": _of_alliance(Assessment),
    "assessments:partner_joint_pdf": _of_alliance(Assessment),
    "assessments:partner_revoke": _invitations,
    "partner:fill": lambda: [{"token": PARTNER_TOKEN}],
    "partner:submit": lambda: [{"token": PARTNER_TOKEN}],
    "partner:answer": _partner_answers,
    "api:alliance-detail": _alliance_urls,
    "api:decision-detail": lambda: [{"alliance": a.slug} for a in Alliance.objects.all()],
    "api:assessment-detail": lambda: _pks(Assessment),
    "api:finding-detail": lambda: _pks(Finding),
    "api:sponsorship-detail": lambda: _pks(Sponsorship),
    "api:brief-detail": lambda: _pks(Brief),
    "api:brief-download": lambda: _pks(Brief),
    "api_tokens:revoke": lambda: _pks(ApiToken),
    "bank_admin_moved": lambda: [
        {"model": "bankversion", "rest": ""},
        {"model": "question", "rest": "1/change/"},
    ],
    "briefs:detail": _of_alliance(Brief),
    "briefs:status": _of_alliance(Brief),
    "briefs:download": _of_alliance(Brief),
    "briefs:retry": _of_alliance(Brief),
    # Someone's notification: everyone else gets a 404, its recipient the real work.
    "notifications:open": lambda: _pks(Notification),
    "notifications:read": lambda: _pks(Notification),
}
# Never sent by a signed-in fuzzing client: it would end the session the role runs in.
SESSION_ENDING = {"logout"}


def _admin_arguments(pattern: Pattern) -> list[dict]:
    """Real arguments of an admin page: a few objects of its model (drafts first for a
    bank version's own views), an app's label, or an object's history row."""
    if pattern.name == "admin:app_list":
        return [{"app_label": m._meta.app_label} for m in _admin_models().values()][:1]
    prefixes = [p for p in _admin_models() if pattern.name.startswith(p)]
    if not prefixes:
        return [{}]
    model = _admin_models()[max(prefixes, key=len)]
    objects = model.objects.order_by("pk")
    if model is BankVersion:
        objects = objects.order_by(Case(When(status="draft", then=0), default=1), "pk")
    if pattern.name.endswith("_simple_history"):
        # django-simple-history's page of one past version: (object id, history id).
        rows = model.history.order_by("history_id").values_list("id", "history_id")[:3]
        return [{ARGS: (str(pk), str(history_id))} for pk, history_id in rows]
    key = next(iter(pattern.converters), None)
    if key is None:
        return [{}]
    return [{key: str(pk)} for pk in objects.values_list("pk", flat=True)[:3]]


# An argument set of a pattern that takes positional arguments (a `re_path`).
ARGS = "_args"


def url_of(name: str, kwargs: dict) -> str:
    if ARGS in kwargs:
        return reverse(name, args=kwargs[ARGS])
    return reverse(name, kwargs=kwargs)


@dataclass
class Target:
    name: str
    kwargs: list[dict]
    methods: tuple[str, ...]
    walked: bool = True


def targets() -> list[Target]:
    """Every URL pattern with the real argument sets that resolve it."""
    out = []
    for pattern in url_patterns():
        name, arguments = pattern.name, set(pattern.converters)
        if name in PROVIDERS:
            kwargs = PROVIDERS[name]()
        elif name.startswith("admin:"):
            kwargs = _admin_arguments(pattern)
        elif arguments == {"slug"}:
            kwargs = _alliance_urls()
        elif not arguments:
            kwargs = [{}]
        else:
            raise LookupError(f"Say in tests/fuzz.py PROVIDERS which objects resolve {name}")
        if not kwargs:
            raise LookupError(f"No object of the demo resolves {name}: seed one for the fuzzer")
        out.append(Target(name, kwargs, pattern.methods, pattern.walked))
    return out


def all_ids() -> list[int]:
    """Real ids of every kind of object (for "another alliance's id")."""
    ids = set()
    for model in (Alliance, Organisation, Membership, KPI, Sponsor, Sponsorship, Signal):
        ids.update(model.objects.values_list("pk", flat=True))
    for model in (PeerLink, Assessment, Response, Question, Finding, Brief, User):
        ids.update(model.objects.values_list("pk", flat=True))
    return sorted(ids)


# ---------------------------------------------------------------- forms of our pages


class FormReader(HTMLParser):
    """The fields (and their current values) of the first POST form of a page that is
    not the log-out button."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.done = False
        self.select = self.textarea = None
        self.option_value = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            if "logout" not in (a.get("action") or ""):
                self.in_form, self.fields = True, []
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            value = a.get("value", "on" if kind == "checkbox" else "")
            if kind == "text" and not value:
                value = FILL
            self.fields.append((name, value))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select, self.first_option, self.chosen = name, None, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.first_option is None and value:
                self.first_option = value
            if "selected" in a:
                self.chosen = value

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.strip() or FILL))
            self.textarea = None
        elif tag == "select" and self.select:
            # The selected option, or else the first real one: a form that validates.
            value = self.chosen or self.first_option
            if value:
                self.fields.append((self.select, value))
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


# An empty text field of a form: filled with a fresh text when sent, so names stay unique.
FILL = "\x01fill"


def page_form(html: str) -> list[tuple[str, str]]:
    reader = FormReader()
    reader.feed(html)
    return [(k, v) for k, v in reader.fields if k != "csrfmiddlewaretoken"]


def encode(pairs) -> str:
    """application/x-www-form-urlencoded, keeping what a browser could not send (lone
    surrogates become the bytes a broken client would send)."""
    return "&".join(
        f"{quote(str(k).encode('utf-8', 'surrogatepass'), safe='')}="
        f"{quote(str(v).encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in pairs
    )


# ---------------------------------------------------------------- the database fingerprint

# A refused log-in or two-factor code is counted on purpose (axes; django-otp's throttling).
SKIPPED_TABLES = ("django_session", "axes_", "otp_", "django_migrations")


def fingerprint() -> str:
    """A digest of every row of every table (sessions and log-in throttling aside, the
    two-factor devices included; tests/test_two_factor.py checks those): any
    insert, update or delete changes it. The demo database is small enough to read
    whole after each POST."""
    digest = sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(SKIPPED_TABLES):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest.update(f"{table}:{len(rows)}:{''.join(rows)}".encode("utf-8", "replace"))
    return digest.hexdigest()


# ---------------------------------------------------------------- strategies

hostile_values = st.sampled_from(HOSTILE)


def values(ids: list[int]):
    return st.one_of(
        st.sampled_from(NUMERIC_HOSTILE),
        hostile_values,
        st.sampled_from(ids).map(str),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=30),
    )


@dataclass
class Plan:
    """One request to send."""

    role: str
    target: str
    kwargs: dict
    method: str
    path_swap: tuple[str, str] | None = None
    query: list[tuple[str, str]] = field(default_factory=list)
    mutate: list[tuple[str, str]] = field(default_factory=list)
    drop: frozenset = frozenset()
    extra: list[tuple[str | int, str]] = field(default_factory=list)
    too_many_fields: bool = False
    numeric_sweep: str | None = None
    htmx: bool = False


@st.composite
def plans(draw, targets: list[Target], ids: list[int], roles=tuple(ROLES)):
    # Our pages mostly; Django's stock admin pages of our models one time in ten.
    sampled = [t for t in targets if not t.walked]
    walked = not sampled or draw(st.integers(0, 9)) > 0
    target = draw(st.sampled_from([t for t in targets if t.walked == walked]))
    kwargs = dict(draw(st.sampled_from(target.kwargs)))
    # Every role, but the manager (on most teams) most often, and an assessment's own
    # assessor for their response's pages: refusals at the door test little. In the
    # admin, its users.
    owner = kwargs.pop("owner", None)
    usual = ("superuser", "bank admin") if target.name.startswith("admin:") else ("manager",)
    favourites = [r for r in (*usual, ROLE_OF.get(owner)) if r in roles]
    if favourites and draw(st.integers(0, 2)) == 0:
        role = draw(st.sampled_from(favourites))
    else:
        role = draw(st.sampled_from(roles))
    path_swap = None
    # Ids and slugs are swapped; a download's format (`fmt`), an admin app's label and
    # the moved bank admin's model and rest of path are fixed words in the path.
    fixed = ("fmt", "app_label", "model", "rest", ARGS)
    swappable = sorted(k for k in kwargs if k not in fixed)
    if swappable and draw(st.integers(0, 4)) == 0:
        key = draw(st.sampled_from(swappable))
        if key == "slug":
            slugs = [k["slug"] for t in targets for k in t.kwargs if "slug" in k]
            kwargs[key] = draw(st.sampled_from([*slugs, "x" * 300, "no-such-alliance"]))
        else:
            choice = draw(st.sampled_from(["real", "zero", "max", "overlong", "unicode"]))
            if choice == "real":
                kwargs[key] = draw(st.sampled_from(ids))
            elif choice == "zero":
                kwargs[key] = 0
            elif choice == "max":
                kwargs[key] = 10**18 - 1
            else:
                # Not a valid id for the converter: sent as raw text in the path.
                kwargs[key] = SENTINEL_ID
                path_swap = (
                    str(SENTINEL_ID),
                    "9" * 30 if choice == "overlong" else draw(st.sampled_from(["²", "٣", "𝟘"])),
                )
    # Mostly a method the view answers; now and then the other one (a 405).
    method = draw(st.sampled_from(target.methods if draw(st.integers(0, 9)) else ("get", "post")))
    value = values(ids)
    plan = Plan(role=role, target=target.name, kwargs=kwargs, method=method, path_swap=path_swap)
    plan.query = draw(
        st.lists(st.tuples(st.sampled_from(QUERY_KEYS) | st.text(max_size=8), value), max_size=4)
    )
    plan.htmx = draw(st.booleans())
    if method == "post":
        plan.mutate = draw(st.lists(st.tuples(st.integers(0, 40), value), max_size=3))
        plan.drop = frozenset(draw(st.lists(st.integers(0, 40), max_size=3)))
        # Extra fields: unknown names, or a second value for one of the form's own fields
        # (an array where a scalar belongs).
        names = st.text(max_size=12) | st.integers(0, 40)
        plan.extra = draw(st.lists(st.tuples(names, value), max_size=3))
        plan.too_many_fields = draw(st.integers(0, 30)) == 0
        # Now and then one bad number in every id field of the form at once.
        if draw(st.booleans()):
            plan.numeric_sweep = draw(st.sampled_from(NUMERIC_HOSTILE))
    return plan


# ---------------------------------------------------------------- the walk

# Walked POSTs that take away what later requests need (an object, a draft, a session's
# second factor) go last.
TAKES_AWAY = ("delete", "remove", "revoke", "archive", "reopen", "publish", "new_draft")


def walk(targets: list[Target]) -> list[Plan]:
    """Every walked pattern × every role: a GET each, then a POST each where the pattern
    takes one. Each role posts the page's form with a hostile value in another field,
    on the objects of its own team where it has some (so the request reaches the view's
    work), and now and then with one bad number in every id field."""
    teams: dict[str, set[str]] = {}
    for username, slug in Membership.objects.values_list("user__username", "alliance__slug"):
        teams.setdefault(username, set()).add(slug)
    gets, posts = [], []
    walked = [t for t in targets if t.walked]
    for p, target in enumerate(walked):
        for r, (role, username) in enumerate(ROLES.items()):
            kwargs = _furthest(target.kwargs, username, teams.get(username, set()))
            gets.append(Plan(role, target.name, kwargs, "get"))
            if "post" in target.methods:
                n = p * len(ROLES) + r
                plan = Plan(
                    role, target.name, kwargs, "post", mutate=[(r, HOSTILE[n % len(HOSTILE)])]
                )
                if r % 3 == 0:
                    plan.numeric_sweep = NUMERIC_HOSTILE[n % len(NUMERIC_HOSTILE)]
                posts.append(plan)
    posts.sort(key=lambda plan: any(word in plan.target for word in TAKES_AWAY))
    return gets + posts


def _furthest(options: list[dict], username: str | None, team: set[str]) -> dict:
    """The argument set a role gets furthest with: its own response, else an object of
    its team, else the first."""
    chosen = next(
        (k for k in options if username and k.get("owner") == username),
        next((k for k in options if k.get("slug") in team), options[0]),
    )
    return {k: v for k, v in chosen.items() if k != "owner"}


# ---------------------------------------------------------------- sending


@dataclass
class Outcome:
    status: int
    refused: bool
    changed: bool
    readable: bool
    error: str = ""


class Fuzzer:
    """Sends plans as each role and checks what came back."""

    def __init__(self, users: dict):
        self.users = users
        self.clients = {}
        self.forms: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.counts: Counter = Counter()
        self.sent = 0
        # What was sent: (pattern, role) pairs, patterns posted to, and patterns that
        # answered anything but a 404 (their ids are real).
        self.pairs: set[tuple[str, str]] = set()
        self.posted: set[str] = set()
        self.found: set[str] = set()

    def client(self, role) -> Client:
        """The role's client, signed in as the role (again, when a request signed it out
        or, accepting an invitation, in as someone else)."""
        client = self.clients.get(role)
        if client is None:
            client = self.clients[role] = Client(raise_request_exception=True)
        user = self.users[role]
        signed_in = client.session.get("_auth_user_id")
        if user is None and signed_in:
            client.logout()
        elif user is not None and signed_in != str(user.pk):
            client.force_login(user)
        return client

    def base_form(self, role, url, kwargs) -> list[tuple[str, str]]:
        """What the page's own form would post (as this role, or as the manager)."""
        if "qid" in kwargs:
            q = kwargs["qid"]
            return [(f"q{q}-level", ""), (f"q{q}-text", ""), (f"q{q}-comment", ""), ("d", "1")]
        for who in (role, "manager"):
            key = (who, url)
            if key not in self.forms:
                response = self.client(who).get(url)
                # A download (streamed, a PDF, a workbook) has no form to post back.
                readable_page = (
                    response.status_code == 200
                    and not response.streaming
                    and response.get("Content-Type", "").startswith("text/html")
                )
                html = response.content.decode() if readable_page else ""
                self.forms[key] = page_form(html)
            if self.forms[key]:
                return self.forms[key]
        return []

    def send(self, plan: Plan) -> Outcome:
        url = url_of(plan.target, plan.kwargs)
        if plan.path_swap:
            url = url.replace(*plan.path_swap)
        if plan.query:
            url = f"{url}?{encode(plan.query)}"
        headers = HEADER_HTMX if plan.htmx else {}
        if plan.target in SESSION_ENDING and plan.role != "anonymous":
            plan.method = "get"
        client = self.client(plan.role)
        self.pairs.add((plan.target, plan.role))
        before = None
        if plan.method == "post":
            self.posted.add(plan.target)
            fields = list(self.base_form(plan.role, url.split("?")[0], plan.kwargs))
            for index, value in plan.mutate:
                if fields:
                    name = fields[index % len(fields)][0]
                    fields[index % len(fields)] = (name, value)
            extra = [
                (fields[k % len(fields)][0] if fields else "x", v) if isinstance(k, int) else (k, v)
                for k, v in plan.extra
            ]
            fields = [f for i, f in enumerate(fields) if i not in plan.drop] + extra
            self.sent += 1
            fields = [(k, f"fuzz {self.sent}" if v == FILL else v) for k, v in fields]
            if plan.numeric_sweep is not None:
                fields = [
                    (k, plan.numeric_sweep if v.isascii() and v.isdigit() else v) for k, v in fields
                ]
            if plan.too_many_fields:
                fields += [(f"f{i}", "1") for i in range(1100)]
            before = fingerprint()
        try:
            if plan.method == "post":
                response = client.post(
                    url,
                    encode(fields),
                    content_type="application/x-www-form-urlencoded",
                    **headers,
                )
            else:
                response = client.get(url, **headers)
        except Exception:
            self.counts[(plan.role, 500)] += 1
            return Outcome(500, True, False, False, traceback.format_exc())
        status = response.status_code
        self.counts[(plan.role, status)] += 1
        if status != 404:
            self.found.add(plan.target)
        refused = (
            status >= 400
            or form_refused(response)
            or (plan.method == "post" and plan.role == "anonymous" and status == 302)
        )
        changed = before is not None and refused and fingerprint() != before
        readable = True
        if status in (400, 401, 403, 404) and not response.streaming:
            html = response.content.decode(errors="replace")
            content_type = response.get("Content-Type", "")
            if content_type.startswith("application/json"):
                # The API: a JSON body with the reason ({"detail": …} or per parameter).
                readable = bool(response.json())
            elif content_type.startswith("text/plain"):
                # A calendar feed's refusal: calendar programs show the text as it is.
                readable = bool(html.strip())
            elif content_type.startswith("application/vnd.oai.openapi"):
                # The API's schema renders its refusal as the schema's own format (YAML
                # by default): `detail: …`, the reason.
                readable = "detail" in html
            else:
                readable = any(marker in html for marker in MESSAGE_MARKERS)
        return Outcome(status, refused, changed, readable)


def failure(plan: Plan, outcome: Outcome) -> str | None:
    """What is wrong with a request's outcome, or None: a 500, rows changed by a refused
    request, or a refusal with no message a user can read."""
    if outcome.status >= 500:
        return f"{outcome.status}: {plan}\n{outcome.error}"
    if outcome.changed:
        return f"refused with {outcome.status}, yet rows changed: {plan}"
    if not outcome.readable:
        return f"refused with {outcome.status} and no message: {plan}"
    return None


@dataclass
class Coverage:
    """How much of the walk was sent: every walked pattern, every pattern × role pair,
    and a POST to every walked pattern that takes one."""

    patterns: tuple[int, int]
    pairs: tuple[int, int]
    posts: tuple[int, int]
    missing: list[str]

    @property
    def full(self) -> bool:
        return not self.missing

    def __str__(self) -> str:
        return (
            f"coverage: {'/'.join(map(str, self.patterns))} URL patterns, "
            f"{'/'.join(map(str, self.pairs))} pattern×role pairs, "
            f"{'/'.join(map(str, self.posts))} POST patterns"
        )


def coverage(fuzzer: "Fuzzer", targets: list[Target]) -> Coverage:
    walked = [t for t in targets if t.walked]
    pairs = {(t.name, role) for t in walked for role in ROLES}
    posts = {t.name for t in walked if "post" in t.methods}
    reached = {name for name, _ in fuzzer.pairs}
    missing = [f"{name} as {role}" for name, role in sorted(pairs - fuzzer.pairs)]
    missing += [f"{name}: no POST" for name in sorted(posts - fuzzer.posted)]
    return Coverage(
        patterns=(len({t.name for t in walked} & reached), len(walked)),
        pairs=(len(pairs & fuzzer.pairs), len(pairs)),
        posts=(len(posts & fuzzer.posted), len(posts)),
        missing=missing,
    )


def form_refused(response) -> bool:
    """Whether the page is a form shown again with its errors (a refusal with a 200)."""
    context = getattr(response, "context", None)
    if context is None:
        return False
    form = context.get("form") if hasattr(context, "get") else None
    return form is not None and bool(form.errors)


def report(counts: Counter) -> str:
    """Requests per role and status code, as a small table."""
    statuses = sorted({status for _, status in counts})
    roles = [r for r in ROLES if any(role == r for role, _ in counts)]
    width = max(len(r) for r in ROLES) + 2
    lines = [f"{'role':<{width}}{'requests':>9}" + "".join(f"{s:>7}" for s in statuses)]
    for role in roles:
        row = [counts[(role, s)] for s in statuses]
        lines.append(f"{role:<{width}}{sum(row):>9}" + "".join(f"{n:>7}" for n in row))
    totals = [sum(counts[(r, s)] for r in roles) for s in statuses]
    lines.append(f"{'all':<{width}}{sum(totals):>9}" + "".join(f"{n:>7}" for n in totals))
    return "\n".join(lines)
