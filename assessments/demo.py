"""Demo question banks and assessments for `manage.py seed_demo` (idempotent).

- Project Aurora (confidential, CEO-initiated): submitted strategic-fit and
  partner-selection assessments by Maya (manager) and Chris (contributor), who
  disagree on a few questions; the roadmap knock-out (our roadmap retires what
  the partner's product line runs on) is a showstopper; the NDA knock-out is
  manageable, with mitigation, owner and due date.
- Cobalt Cloud co-sell: two rounds of strategic fit a year apart (a first look,
  then a reassessment that rose above the GO threshold: a visible trend), a
  partner selection with one gap (decision-making), so with no executive sponsor
  on our side yet it is a GO WITH CONDITIONS; and a sponsor-readiness
  assessment still in progress; and a two-sided mutual fit assessment that our
  team (Maya and Chris) and Cobalt's alliance lead answered: the two sides see
  governance 40 points apart, a perception gap that becomes a condition.
- Quartz embedded payments (managing, reassessed every 12 months by default): one
  strategic-fit round submitted 14 months ago, so it is due for reassessment.
"""

import datetime

from django.utils import timezone

from alliances.demo import Demo
from assessments import services
from assessments.models import Assessment, Finding, PartnerShare
from banks.models import BankVersion, Choice, Question

AURORA, COBALT = "project-aurora", "cobalt-cloud-co-sell"
QUARTZ = "quartz-embedded-payments"

# Levels 0–4 per question key; "na" and "dk" for N/A and don't know.
AURORA_FIT = {
    "manager": {"S1": 3, "S2": 3, "S3": 2, "S4": 1, "S5": 2, "S6": 3, "S7": 3, "S8": 3, "S9": 2},
    "contributor": {
        "S1": 4,
        "S2": 2,
        "S3": 0,
        "S4": 0,
        "S5": 4,
        "S6": 3,
        "S7": 1,
        "S8": "dk",
        "S9": 2,
    },
}
AURORA_FIT_COMMENTS = {
    ("manager", "S4"): "Our FY2027 roadmap retires Northwind Insight, the platform Helios's "
    "product line is built on.",
    ("contributor", "S4"): "Confirmed with product management: Insight end of life is Q4 2027.",
    ("contributor", "S3"): "No partner map places Helios yet; it overlaps our own AI team.",
    ("manager", "S5"): "Value case drafted, revenue assumptions not yet checked by finance.",
}
AURORA_PARTNER = {
    "manager": {
        "P1": 4,
        "P2": 3,
        "P3": 3,
        "P4": 3,
        "P5": 3,
        "P6": 2,
        "P7": 3,
        "P8": 1,
        "P9": 3,
        "P10": 3,
        "P11": 2,
        "P12": 3,
        "P13": 4,
        "P14": 2,
        "P15": 3,
    },
    "contributor": {
        "P1": 3,
        "P2": 3,
        "P3": 2,
        "P4": 3,
        "P5": 1,
        "P6": 2,
        "P7": 3,
        "P8": 2,
        "P9": 4,
        "P10": "na",
        "P11": 2,
        "P12": 3,
        "P13": 4,
        "P14": 3,
        "P15": 2,
    },
}
COBALT_FIT = {
    "manager": {"S1": 4, "S2": 4, "S3": 3, "S4": 4, "S5": 3, "S6": 3, "S7": 4, "S8": 3, "S9": 3},
    "contributor": {
        "S1": 4,
        "S2": 3,
        "S3": 4,
        "S4": 4,
        "S5": 3,
        "S6": 4,
        "S7": 3,
        "S8": 3,
        "S9": 4,
    },
}
# The first look at Cobalt, a year before the current round: promising, not there yet.
COBALT_FIT_FIRST = {
    "manager": {"S1": 3, "S2": 2, "S3": 2, "S4": 3, "S5": 2, "S6": 2, "S7": 3, "S8": 2, "S9": 2},
    "contributor": {
        "S1": 3,
        "S2": 3,
        "S3": 2,
        "S4": 3,
        "S5": 2,
        "S6": 2,
        "S7": 2,
        "S8": 2,
        "S9": 3,
    },
}
QUARTZ_FIT = {
    "manager": {"S1": 3, "S2": 3, "S3": 3, "S4": 4, "S5": 3, "S6": 3, "S7": 3, "S8": 2, "S9": 3},
}
COBALT_PARTNER = {
    name: {
        "P1": 4, "P2": 3, "P3": 4, "P4": 3, "P5": 3, "P6": p6, "P7": 3, "P8": 4,
        "P9": 3, "P10": 4, "P11": 4, "P12": 4, "P13": 3, "P14": 3, "P15": 3,
    }
    for name, p6 in (("manager", 1), ("contributor", 1))
}  # fmt: skip
COBALT_PARTNER_COMMENTS = {
    ("manager", "P6"): "Cobalt escalates every pricing decision to its board: weeks per deal.",
}
# Two-sided: our team and Cobalt's contact agree but on governance (M3, M4).
COBALT_MUTUAL_OURS = {
    name: {"M1": 3, "M2": 3, "M3": 3, "M4": 3, "M5": 3, "M6": 3, "M7": 3, "M8": 2, "M9": 3,
           "M10": 3, "M11": m11, "M12": 3}
    for name, m11 in (("manager", 2), ("contributor", 3))
}  # fmt: skip
COBALT_MUTUAL_THEIRS = {"M1": 3, "M2": 3, "M3": 1, "M4": 1, "M5": 3, "M6": 2, "M7": 3,
                        "M8": 2, "M9": 3, "M10": 2, "M11": 3, "M12": 3}  # fmt: skip
COBALT_CONTACT = ("Dana Whitfield", "dana.whitfield@cobalt-cloud.example")
COBALT_CONTACT_COMMENTS = {
    "M3": "Every pricing exception still goes to our board: nobody told us who decides what "
    "on your side.",
}
COBALT_READINESS_DRAFT = {"manager": {"R1": 3, "R2": 2, "R3": 3}}

SHOWSTOPPER = dict(
    issue="Helios's product line runs on Northwind Insight, which our FY2027 roadmap retires: "
    "the alliance would be built on a platform we are switching off.",
    evidence="FY2027 product roadmap (board pack, March), slide 14: Insight end of life Q4 2027.",
)
MANAGEABLE = dict(
    issue="Helios shares model performance data only under a mutual NDA, which is not signed yet.",
    evidence="Email from Helios's COO: data room opens once the NDA is countersigned.",
    mitigation="Legal to agree the mutual NDA on our standard template and sign it before "
    "technical due diligence starts.",
)


def _published(slug: str) -> BankVersion:
    return BankVersion.objects.select_related("bank").get(
        bank__slug=slug, status=BankVersion.Status.PUBLISHED
    )


def _value(question: Question, level) -> services.AnswerValue:
    if level == "na":
        return services.AnswerValue(is_na=True)
    if level == "dk":
        return services.AnswerValue(is_dont_know=True)
    choice = Choice.objects.get(question=question, score=level * 25)
    return services.AnswerValue(choice=choice)


def _run(
    alliance,
    version,
    title,
    users,
    answers,
    comments=None,
    submit=True,
    previous=None,
    assessors=("manager", "contributor"),
):
    """Create the assessment with its answers unless an assessment of that title exists;
    with `previous`, as a new round after it (same assessors)."""
    existing = Assessment.objects.filter(alliance=alliance, title=title).first()
    if existing:
        return existing, False
    if previous is not None:
        assessment = services.assessment_reassess(
            assessment=previous, by=users["manager"], title=title
        )
    else:
        assessment = services.assessment_start(
            alliance=alliance,
            version=version,
            title=title,
            by=users["manager"],
            assessors=[users[name] for name in assessors],
        )
    questions = {q.key: q for q in Question.objects.filter(dimension__version=version)}
    for name, levels in answers.items():
        response = assessment.responses.get(assessor=users[name])
        for key, level in levels.items():
            value = _value(questions[key], level)
            comment = (comments or {}).get((name, key), "")
            if comment:
                value = services.AnswerValue(
                    choice=value.choice,
                    is_na=value.is_na,
                    is_dont_know=value.is_dont_know,
                    comment=comment,
                )
            services.answer_save(
                response=response, question=questions[key], value=value, by=users[name]
            )
        if submit:
            services.response_submit(response=response, by=users[name])
    return assessment, True


def _classify(assessment, key, manager, classification, **fields):
    finding = Finding.objects.select_related("assessment__alliance").get(
        assessment=assessment, question__key=key
    )
    finding.classification = classification
    for name, value in fields.items():
        setattr(finding, name, value)
    services.finding_classify(finding=finding, by=manager)


def seed(demo: Demo) -> list[str]:
    """The demo assessments (on the banks banks/demo.py loaded); return lines describing
    what was made."""
    users, alliances = demo.users, demo.alliances
    lines = []
    fit, partner = _published("strategic-fit"), _published("partner-selection")
    manager = users["manager"]

    aurora = alliances[AURORA]
    assessment, created = _run(
        aurora,
        fit,
        "Strategic fit — confidential pre-check",
        users,
        AURORA_FIT,
        AURORA_FIT_COMMENTS,
    )
    if created:
        _classify(assessment, "S4", manager, Finding.Classification.SHOWSTOPPER, **SHOWSTOPPER)
        lines.append(f"Aurora: “{assessment.title}” with a showstopper.")
    assessment, created = _run(
        aurora, partner, "Partner selection — Helios Analytics", users, AURORA_PARTNER
    )
    if created:
        # Owned by the manager and already overdue: it shows in red on My work.
        due = timezone.localdate() - datetime.timedelta(days=5)
        _classify(
            assessment,
            "P8",
            manager,
            Finding.Classification.MANAGEABLE,
            due_date=due,
            owner_user=manager,
            **MANAGEABLE,
        )
        finding = assessment.findings.get(question__key="P8")
        services.condition_update(
            finding=finding, status=Finding.ConditionStatus.IN_PROGRESS, by=manager
        )
        lines.append(f"Aurora: “{assessment.title}” with a manageable finding, overdue.")

    cobalt = alliances[COBALT]
    first, created = _run(cobalt, fit, "Strategic fit — first look", users, COBALT_FIT_FIRST)
    if created:
        _backdate(first, days=365)
        lines.append(f"Cobalt: “{first.title}”, a year ago.")
    assessment, created = _run(
        cobalt, fit, "Strategic fit — co-sell expansion", users, COBALT_FIT, previous=first
    )
    if created:
        lines.append(f"Cobalt: “{assessment.title}” (healthy), a reassessment of the first look.")
    assessment, created = _run(
        cobalt,
        partner,
        "Partner selection — Cobalt Cloud Services",
        users,
        COBALT_PARTNER,
        COBALT_PARTNER_COMMENTS,
    )
    if created:
        lines.append(f"Cobalt: “{assessment.title}” with one gap.")
    assessment, created = _run(
        cobalt,
        _published("sponsor-readiness"),
        "Sponsor readiness — candidate sponsor",
        users,
        COBALT_READINESS_DRAFT,
        submit=False,
    )
    if created:
        lines.append(f"Cobalt: “{assessment.title}” in progress.")
    assessment, created = _run(
        cobalt,
        _published("mutual-fit"),
        "Mutual fit — both sides' view",
        users,
        COBALT_MUTUAL_OURS,
    )
    if created:
        _partner_answers(assessment, manager)
        lines.append(f"Cobalt: “{assessment.title}”, two-sided, with a governance gap.")

    quartz = alliances[QUARTZ]
    assessment, created = _run(
        quartz, fit, "Strategic fit — annual review", users, QUARTZ_FIT, assessors=("manager",)
    )
    if created:
        _backdate(assessment, days=430)
        lines.append(f"Quartz: “{assessment.title}”, 14 months ago: due for reassessment.")
    return lines


def _partner_answers(assessment, manager) -> None:
    """Cobalt's contact, invited and answering through the same services as the link."""
    from assessments.partner import services as partner_services

    name, email = COBALT_CONTACT
    (invitation,) = partner_services.invitations_create(
        assessment=assessment,
        invitees=[partner_services.InviteeData(name=name, email=email)],
        alliance_label="Cobalt Cloud co-sell",
        by=manager,
    )
    questions = {q.key: q for q in Question.objects.filter(dimension__version=assessment.version)}
    for key, level in COBALT_MUTUAL_THEIRS.items():
        value = _value(questions[key], level)
        comment = COBALT_CONTACT_COMMENTS.get(key, "")
        if comment:
            value = services.AnswerValue(choice=value.choice, comment=comment)
        partner_services.partner_answer_save(
            invitation=invitation, question=questions[key], value=value
        )
    partner_services.invitation_opened(invitation=invitation)
    partner_services.partner_submit(invitation=invitation)
    # The manager shares the gap by dimension: the contact's link shows it, with the
    # joint view's PDF (set directly: the settings page refuses changes once submitted).
    Assessment.objects.filter(pk=assessment.pk).update(partner_share=PartnerShare.DIMENSIONS)


def _backdate(assessment: Assessment, *, days: int) -> None:
    """Move a demo round into the past (its answers were given then), so rounds and due
    dates have a history to show."""
    then = timezone.now() - datetime.timedelta(days=days)
    Assessment.objects.filter(pk=assessment.pk).update(created_at=then, submitted_at=then)
    assessment.responses.update(created_at=then, submitted_at=then)
    assessment.refresh_from_db()
