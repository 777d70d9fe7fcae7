from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from alliances.forms import CrispyFormMixin
from alliances.params import IdChoiceField, IdMultipleChoiceField
from assessments.models import (
    ANSWER_TEXT_MAX,
    COMMENT_MAX,
    EVIDENCE_URL_MAX,
    BankVersion,
    Finding,
    Question,
)
from assessments.services import AnswerValue, answering_members

User = get_user_model()

NA, DONT_KNOW = "na", "dk"


class AssessorsField(IdMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class AssessmentStartForm(CrispyFormMixin, forms.Form):
    submit_label = _("Start assessment")
    version = IdChoiceField(
        label=_("Question bank"),
        queryset=BankVersion.objects.none(),
        empty_label=_("Choose a question bank"),
        help_text=_("The assessment keeps this version even if the bank changes later."),
    )
    title = forms.CharField(max_length=200, help_text=_("e.g. “Strategic fit — before the MoU”."))
    assessors = AssessorsField(
        queryset=User.objects.none(),
        help_text=_(
            "Each assessor answers on their own; the results show the median and where "
            "they disagree."
        ),
    )

    def __init__(self, *args, alliance, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = (
            BankVersion.objects.filter(status=BankVersion.Status.PUBLISHED)
            .select_related("bank")
            .order_by("bank__name")
        )
        self.fields["version"].label_from_instance = lambda v: (
            _("%(bank)s (version %(number)s)")
            % {
                "bank": v.bank.name,
                "number": v.number,
            }
        )
        members = answering_members(alliance)
        self.fields["assessors"].queryset = members
        if not self.is_bound and members.filter(pk=user.pk).exists():
            self.initial.setdefault("assessors", [user.pk])


class AssessorsForm(CrispyFormMixin, forms.Form):
    submit_label = _("Save assessors")
    assessors = AssessorsField(queryset=User.objects.none())

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = answering_members(alliance)


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

    class Meta:
        model = Finding
        fields = ["classification", "issue", "evidence", "mitigation", "owner", "due_date"]
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "mitigation": _("Required for a manageable finding: what will make it acceptable."),
            "due_date": _("Required for a manageable finding."),
        }
