from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from alliances.forms import CrispyFormMixin
from alliances.models import Alliance
from alliances.people import answering_people, team_people
from assessments.models import ANSWER_TEXT_MAX, COMMENT_MAX, EVIDENCE_URL_MAX, Finding
from assessments.services import AnswerValue
from banks.models import BankVersion, Question, QuestionBank
from kit.params import IdChoiceField
from kit.picker import PeopleField, PersonField

User = get_user_model()

NA, DONT_KNOW = "na", "dk"


def version_label(version) -> str:
    label = _("%(bank)s (version %(number)s)") % {
        "bank": version.bank.name_shown,
        "number": version.number,
    }
    if version.bank.kind == QuestionBank.Kind.MUTUAL_FIT:
        label += _(" — two-sided, the partner answers too")
    return label


class AssessmentStartForm(CrispyFormMixin, forms.Form):
    submit_label = _("Start assessment")
    version = IdChoiceField(
        label=_("Question bank"),
        queryset=BankVersion.objects.none(),
        empty_label=_("Choose a question bank"),
        help_text=_("The assessment keeps this version even if the bank changes later."),
    )
    title = forms.CharField(max_length=200, help_text=_("e.g. “Strategic fit — before the MoU”."))
    assessors = PeopleField(
        purpose="assessor",
        help_text=_(
            "Each assessor answers on their own; the results show the median and where "
            "they disagree."
        ),
    )

    def __init__(self, *args, alliance, user, two_sided=False, **kwargs):
        super().__init__(*args, **kwargs)
        versions = BankVersion.objects.filter(status=BankVersion.Status.PUBLISHED)
        if two_sided:
            # A two-sided assessment asks the partner too: only mutual fit banks do.
            versions = versions.filter(bank__kind=QuestionBank.Kind.MUTUAL_FIT)
            self.fields["version"].help_text = _(
                "A mutual fit bank: both companies answer its questions, separately. You "
                "invite the partner's contacts from the assessment's page."
            )
        self.fields["version"].queryset = versions.select_related("bank").order_by("bank__name")
        self.fields["version"].label_from_instance = version_label
        assessors = self.fields["assessors"]
        assessors.for_alliance(alliance, answering_people(alliance))
        if not self.is_bound:
            assessors.set_initial_people(self.initial.get("assessors", [user.pk]))


class AssessorsForm(CrispyFormMixin, forms.Form):
    submit_label = _("Save assessors")
    assessors = PeopleField(purpose="assessor")

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        assessors = self.fields["assessors"]
        assessors.for_alliance(alliance, answering_people(alliance))
        if not self.is_bound:
            assessors.set_initial_people(self.initial.get("assessors", []))


class AnswerForm(forms.Form):
    """One question's answer; fields are prefixed `q<id>` so a dimension posts as one form."""

    level = forms.ChoiceField(required=False)
    text = forms.CharField(required=False, max_length=ANSWER_TEXT_MAX, strip=True)
    comment = forms.CharField(required=False, max_length=COMMENT_MAX, strip=True)
    evidence_url = forms.URLField(
        required=False, max_length=EVIDENCE_URL_MAX, assume_scheme="https"
    )

    def __init__(self, *args, question: Question, **kwargs):
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        self.question = question
        choices = getattr(question, "choice_list", None) or list(question.choices.all())
        self.choice_by_id = {str(c.pk): c for c in choices}
        options = [(str(c.pk), c.label) for c in choices]
        if question.allows_na:
            options.append((NA, _("N/A")))
        if question.allows_dont_know:
            options.append((DONT_KNOW, _("Don't know")))
        self.fields["level"].choices = [("", "—"), *options]
        self.fields["level"].error_messages["invalid_choice"] = _(
            "Choose one of the listed answers to %(key)s."
        ) % {"key": question.key}
        self.fields["text"].error_messages["max_length"] = _(
            "Keep the answer to %(key)s under %(max)d characters."
        ) % {"key": question.key, "max": ANSWER_TEXT_MAX}
        self.fields["comment"].error_messages["max_length"] = _(
            "Keep the comment on %(key)s under %(max)d characters."
        ) % {"key": question.key, "max": COMMENT_MAX}

    @property
    def level_given(self) -> bool:
        return self.add_prefix("level") in self.data

    @property
    def only_link_refused(self) -> bool:
        """Invalid, but only for the evidence link: the rest of the answer can still save."""
        return not self.is_valid() and set(self.errors) == {"evidence_url"}

    def value(self) -> AnswerValue:
        level = self.cleaned_data["level"]
        return AnswerValue(
            choice=self.choice_by_id.get(level),
            is_na=level == NA,
            is_dont_know=level == DONT_KNOW,
            text=self.cleaned_data["text"],
            comment=self.cleaned_data["comment"],
            evidence_url=self.cleaned_data.get("evidence_url", ""),
            sets_level=self.level_given or not self.question.is_scored,
            keeps_evidence_url="evidence_url" in self.errors,
        )


class FindingForm(CrispyFormMixin, forms.ModelForm):
    submit_label = _("Save classification")
    classification = forms.ChoiceField(
        choices=[
            (Finding.Classification.SHOWSTOPPER, _("Showstopper — the alliance cannot go ahead")),
            (Finding.Classification.MANAGEABLE, _("Manageable — a condition to proceed")),
        ],
        widget=forms.RadioSelect,
    )
    owner_user = PersonField(label=_("Owner"), purpose="owner", required=False)

    class Meta:
        model = Finding
        fields = ["classification", "issue", "evidence", "mitigation", "owner_user", "due_date"]
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "mitigation": _("Required for a manageable finding: what will make it acceptable."),
            "due_date": _("Required for a manageable finding."),
        }

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_user"]
        owner.for_alliance(alliance, team_people(alliance))
        owner.set_initial_person(self.instance.owner_user)
        owner.help_text = _("Required for a manageable finding: a member of the team.")
        if self.instance.owner and not self.instance.owner_user_id:
            owner.help_text = _("Recorded before as “%(text)s”: pick their account.") % {
                "text": self.instance.owner
            }


class ConditionForm(CrispyFormMixin, forms.Form):
    submit_label = _("Save progress")
    status = forms.ChoiceField(label=_("Status"), choices=Finding.ConditionStatus.choices)
    done_note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the condition is done (what was done) or waived (why)."),
    )
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today when left empty."),
    )


class ReassessForm(CrispyFormMixin, forms.Form):
    submit_label = _("Start the new round")
    title = forms.CharField(
        label=_("Title of the new round"),
        max_length=200,
        required=False,
        help_text=_("Empty: the bank's name and this month."),
    )


class ReassessmentIntervalsForm(CrispyFormMixin, forms.Form):
    """One field per lifecycle stage: empty keeps the default, 0 means never."""

    submit_label = _("Save intervals")

    def __init__(self, *args, defaults: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for stage, label in Alliance.Stage.choices:
            default = defaults.get(stage, 0)
            self.fields[stage] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=60,
                help_text=(
                    _("Default: every %(n)s months.") % {"n": default}
                    if default
                    else _("Default: no reassessment in this stage.")
                ),
                widget=forms.NumberInput(attrs={"placeholder": str(default)}),
            )
