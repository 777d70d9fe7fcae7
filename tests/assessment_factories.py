"""Small question banks and assessments built in code, for the assessment tests."""

from assessments import services
from assessments.models import PartnerInvitation, Response
from assessments.partner.services import InviteeData, invitations_create
from banks.models import Choice, Question
from banks.schema import BankData, ChoiceData, DimensionData, QuestionData
from banks.services import bank_import
from kit.secret_links import secret_hash as token_hash

LEVEL_LABELS = ["None", "Weak", "Partial", "Largely", "Fully evidenced"]


def scale_question(key, *, weight=1, knockout_level=None, allows_na=False, required=True):
    return QuestionData(
        key=key,
        text=f"Question {key} is well evidenced.",
        help=f"Help for {key}.",
        kind="scale",
        weight=weight,
        required=required,
        allows_na=allows_na,
        knockout_level=knockout_level,
        choices=[ChoiceData(f"{label} ({key})", n * 25) for n, label in enumerate(LEVEL_LABELS)],
    )


def make_bank_data(
    *,
    n_questions=6,
    n_dimensions=2,
    slug="test-fit",
    kind="strategic_fit",
    name="Test fit",
    number=1,
    status="published",
    knockouts=None,
    allows_na=(),
    text_keys=(),
) -> BankData:
    """A bank of `n_questions` scale questions (keys A1, A2 …) spread over dimensions."""
    knockouts = {"A1": 1} if knockouts is None else knockouts
    weights = [100 // n_dimensions] * n_dimensions
    weights[0] += 100 - sum(weights)
    dims = [
        DimensionData(name=f"Dimension {d + 1}", description="", weight=w, questions=[])
        for d, w in enumerate(weights)
    ]
    for i in range(n_questions):
        key = f"A{i + 1}"
        if key in text_keys:
            question = QuestionData(key=key, text=f"Notes on {key}", kind="text", required=False)
        else:
            question = scale_question(
                key, weight=1 + i % 3, knockout_level=knockouts.get(key), allows_na=key in allows_na
            )
        dims[i * n_dimensions // n_questions].questions.append(question)
    return BankData(
        slug=slug,
        name=name,
        kind=kind,
        description="A bank for tests.",
        number=number,
        status=status,
        notes="",
        go=70,
        no_go=50,
        gap=50,
        dimensions=dims,
    )


def make_version(**kwargs):
    return bank_import(data=make_bank_data(**kwargs))


def start(team, version, assessors=("manager", "contributor"), title="Fit check"):
    return services.assessment_start(
        alliance=team.alliance,
        version=version,
        title=title,
        by=team.users["manager"],
        assessors=[team.users[role] for role in assessors],
    )


def question(version, key) -> Question:
    return Question.objects.get(dimension__version=version, key=key)


def give(response: Response, key: str, level=None, *, na=False, dont_know=False, comment=""):
    """Answer `key` in `response` at `level` (0–4) through the service, as its assessor."""
    q = question(response.assessment.version, key)
    choice = Choice.objects.get(question=q, score=level * 25) if level is not None else None
    return services.answer_save(
        response=response,
        question=q,
        value=services.AnswerValue(
            choice=choice, is_na=na, is_dont_know=dont_know, comment=comment
        ),
        by=response.assessor,
    )


def answer_all(response: Response, levels: dict[str, int] | int):
    version = response.assessment.version
    for q in Question.objects.filter(dimension__version=version, kind="scale"):
        level = levels if isinstance(levels, int) else levels.get(q.key, 2)
        give(response, q.key, level)


def invite_partner(
    assessment, *, by, token, name="Pat Partner", email="pat@partner.example", label="Our alliance"
) -> PartnerInvitation:
    """Invite one partner contact to a two-sided assessment, with a link whose token the
    caller knows (only its hash is stored, and the e-mail is not read)."""
    (invitation,) = invitations_create(
        assessment=assessment,
        invitees=[InviteeData(name=name, email=email)],
        alliance_label=label,
        by=by,
    )
    invitation.token_hash = token_hash(token)
    invitation.save(update_fields=["token_hash"])
    return invitation


def submit(response: Response):
    return services.response_submit(response=response, by=response.assessor)


def bank_editor():
    """Someone who may change question banks (the services check it)."""
    from tests.factories import UserFactory

    return UserFactory(username="bank-admin-root", is_staff=True, is_superuser=True)
