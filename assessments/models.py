"""Assessments run on a pinned bank version (banks/models.py), their responses, answers
and findings, and the partner's side of a two-sided assessment."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliances.models import Alliance
from assessments.scoring import answer_is_given
from assessments.statements import finding_statement
from banks.models import BankVersion, Choice, Question, in_language
from kit.people import display_name

ANSWER_TEXT_MAX = 4000
COMMENT_MAX = 2000
EVIDENCE_URL_MAX = 500

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {
    "Assessment": ("title",),
    "Answer": ("text", "comment", "evidence_url"),
    "Finding": ("issue", "evidence", "mitigation", "owner", "done_note"),
    "PartnerInvitation": ("name", "email", "alliance_label"),
    "PartnerAnswer": ("text", "comment"),
}
NOT_USER_TEXT = {
    "Assessment": ("partner_reminder_days",),  # digits and commas, checked by its form
    "PartnerInvitation": ("token_hash",),
}


# A related object's answers (or findings) in their questions' order, as Question.Meta
# sorts them. Hot queries name it: Answer's default order sorts through the response's
# assessment, alliance and assessor first, joins that a per-response grouping never reads.
BY_QUESTION = (
    "question__dimension__order",
    "question__dimension_id",
    "question__order",
    "question_id",
)


class PartnerShare(models.TextChoices):
    """What a two-sided assessment's partner contacts see through their link once both
    sides have submitted: never our comments, evidence, findings, sponsors or decision."""

    NOTHING = "nothing", _("Nothing (a thank-you only)")
    DIMENSIONS = "dimensions", _("The perception gap by dimension")
    QUESTIONS = "questions", _("The perception gap by dimension and by question")


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("alliance")
    )
    version = models.ForeignKey(
        BankVersion, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("version")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The submitted round this one reassesses (same bank, maybe a newer version of it).
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_rounds",
        verbose_name=_("previous round"),
    )
    # Two-sided assessments (assessments/partner/): when the partner's answers are due,
    # how many days before it the contacts who have not submitted are reminded, and what
    # the partner's link shows once both sides have submitted (the manager's consent).
    partner_due_date = models.DateField(_("partner answers due"), null=True, blank=True)
    partner_reminder_days = models.CharField(
        _("reminder days before the due date"),
        max_length=50,
        blank=True,
        default="3,7",
        help_text=_("Days before the due date, separated by commas, e.g. “3, 7”."),
    )
    partner_share = models.CharField(
        _("shared with the partner"),
        max_length=20,
        choices=PartnerShare.choices,
        default=PartnerShare.NOTHING,
    )

    class Meta:
        ordering = ["alliance", "-created_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "status", "submitted_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.alliance.slug, self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def partner_reminder_days_shown(self) -> str:
        """ "3,7" as "3, 7", for reading."""
        return ", ".join(d.strip() for d in self.partner_reminder_days.split(",") if d.strip())


class Response(models.Model):
    """One assessor's answers to one assessment: nobody else writes to it. A respondent
    (assessments/respondents.py), as a partner contact's invitation is."""

    keeps_evidence = True  # our assessors attach an evidence link to each answer

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="responses", verbose_name=_("assessment")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessment_responses",
        verbose_name=_("assessor"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reopened by"),
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["assessment", "assessor__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "assessor"], name="one_response_per_assessor"
            ),
        ]

    def __str__(self):
        return f"{self.assessor} on {self.assessment}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class AnswerQuerySet(models.QuerySet):
    def given(self):
        """Answers the assessor gave: a level or choice, N/A, "don't know" or text (forms
        strip text). The ORM side of `scoring.is_given` and `Answer.is_given`; a test keeps
        the three in step."""
        return self.exclude(choice__isnull=True, is_na=False, is_dont_know=False, text="")


class GivenAnswer:
    """`is_given` for our answers and the partner's, which have the same shape."""

    @property
    def is_given(self) -> bool:
        """`scoring.answer_is_given` for an answer in hand (forms strip the text)."""
        return answer_is_given(
            chosen=self.choice_id is not None,
            is_na=self.is_na,
            is_dont_know=self.is_dont_know,
            has_text=self.text != "",
        )


class Answer(GivenAnswer, models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    choice = models.ForeignKey(
        Choice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("choice"),
    )
    text = models.TextField(_("text"), blank=True, max_length=ANSWER_TEXT_MAX)
    is_na = models.BooleanField(_("N/A"), default=False)
    is_dont_know = models.BooleanField(_("don't know"), default=False)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=EVIDENCE_URL_MAX)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=~(models.Q(is_na=True) & models.Q(is_dont_know=True)),
                name="answer_not_both_na_and_dont_know",
            ),
        ]

    def __str__(self):
        return f"{self.question.key}: {self.display}"

    @property
    def display(self) -> str:
        if self.is_na:
            return str(_("N/A"))
        if self.is_dont_know:
            return str(_("Don't know"))
        if self.choice_id:
            return self.choice.label
        return self.text


class ConditionStatus(models.TextChoices):
    """Where a manageable finding's condition stands: open → in progress → done, or
    waived (with why, and who waived it)."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")


class Finding(models.Model):
    """An element of no fit: a knock-out answered at or below its level opens one."""

    ConditionStatus = ConditionStatus

    class Classification(models.TextChoices):
        UNCLASSIFIED = "unclassified", _("Unclassified")
        SHOWSTOPPER = "showstopper", _("Showstopper")
        MANAGEABLE = "manageable", _("Manageable")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("assessment")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="findings", verbose_name=_("question")
    )
    response = models.ForeignKey(
        Response,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
        verbose_name=_("response"),
    )
    answer = models.ForeignKey(
        Answer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
        verbose_name=_("answer"),
    )
    classification = models.CharField(
        _("classification"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.UNCLASSIFIED,
    )
    issue = models.TextField(
        _("issue"), max_length=2000, help_text=_("What does not fit, in one or two lines.")
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=2000)
    mitigation = models.TextField(_("mitigation"), blank=True, max_length=2000)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_conditions",
        verbose_name=_("owner"),
        help_text=_("The team member who owns the mitigation."),
    )
    # Kept from before owners were users: the text of an owner no account matched.
    owner = models.CharField(
        _("owner (no account)"),
        max_length=200,
        blank=True,
        help_text=_("Who owns the mitigation, when they have no account here."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    condition_status = models.CharField(
        _("condition status"),
        max_length=20,
        choices=ConditionStatus.choices,
        default=ConditionStatus.OPEN,
    )
    done_note = models.TextField(_("what was done"), blank=True, max_length=2000)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Who marked the condition done or waived it (the note says what was done, or why).
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("classified by"),
    )
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "question__dimension__order", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_finding_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question.key}: {self.get_classification_display()}"

    @property
    def is_open(self) -> bool:
        return self.classification == self.Classification.UNCLASSIFIED

    @property
    def is_condition(self) -> bool:
        return self.classification == self.Classification.MANAGEABLE

    @property
    def owner_label(self) -> str:
        """The owner's full name, or the text kept from before owners were users."""
        return display_name(self.owner_user) if self.owner_user_id else self.owner

    def is_overdue(self, today: date) -> bool:
        """A condition not done whose due date has passed."""
        return (
            self.is_condition
            and self.condition_status not in (ConditionStatus.DONE, ConditionStatus.WAIVED)
            and self.due_date is not None
            and self.due_date < today
        )

    @property
    def statement(self) -> str:
        """The finding in words that name its question once, for every place it is read
        (findings list, decision reasons and conditions, brief): never a bare code."""
        question = self.question
        return finding_statement(
            question.key, in_language(question, "text"), self.issue, written=question.text
        )


# ---------------------------------------------------------------- the partner's side


class PartnerInvitation(models.Model):
    """One partner contact invited to answer the partner side of a two-sided assessment.

    The link is a password: only the sha256 of its random token is stored (see
    assessments/partner/tokens.py), it expires, and a manager can revoke or resend it
    (resending makes a new token: the old link stops working). A respondent
    (assessments/respondents.py), as our assessor's response is.
    """

    keeps_evidence = False  # the partner's page asks for no evidence link

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="partner_invitations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    alliance_label = models.CharField(
        _("alliance name shown to the partner"),
        max_length=200,
        help_text=_("How the partner sees the alliance named on their page and in the e-mail."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The day of the last reminder (by hand or by the daily job): never two the same day.
    last_reminded_on = models.DateField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["assessment", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "email"], name="one_invitation_per_partner_email"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}> on {self.assessment}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def is_pending(self, now=None) -> bool:
        """Still expected to answer: neither submitted, revoked nor expired."""
        return not (self.is_submitted or self.is_revoked or self.is_expired(now))

    @property
    def state(self) -> str:
        """submitted, revoked, expired, answering, opened or sent (for the manager's list)."""
        if self.is_submitted:
            return "submitted"
        if self.is_revoked:
            return "revoked"
        if self.is_expired():
            return "expired"
        if self.answered_at:
            return "answering"
        if self.opened_at:
            return "opened"
        return "sent"


class PartnerAnswer(GivenAnswer, models.Model):
    """A partner contact's answer to one question: the same shape as our `Answer`."""

    invitation = models.ForeignKey(
        PartnerInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True, max_length=ANSWER_TEXT_MAX)
    is_na = models.BooleanField("N/A", default=False)
    is_dont_know = models.BooleanField("don't know", default=False)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["invitation", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "question"], name="one_partner_answer_per_question"
            ),
            models.CheckConstraint(
                condition=~(models.Q(is_na=True) & models.Q(is_dont_know=True)),
                name="partner_answer_not_both_na_and_dont_know",
            ),
        ]

    def __str__(self):
        return f"{self.question.key}: {self.display}"

    @property
    def display(self) -> str:
        if self.is_na:
            return "N/A"
        if self.is_dont_know:
            return "Don't know"
        if self.choice_id:
            return self.choice.label
        return self.text


class ReassessmentInterval(models.Model):
    """How often an alliance is reassessed in one lifecycle stage, when it differs from
    the stage's default (`assessments.rounds.DEFAULT_MONTHS`); 0 months: never."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="reassessment_intervals"
    )
    stage = models.CharField(max_length=20, choices=Alliance.Stage.choices)
    months = models.PositiveSmallIntegerField(
        _("months"),
        validators=[MaxValueValidator(60)],
        help_text=_("0: no reassessment in this stage."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "stage"], name="one_reassessment_interval_per_stage"
            ),
        ]

    def __str__(self):
        return f"{self.alliance}: {self.get_stage_display()} every {self.months} months"
