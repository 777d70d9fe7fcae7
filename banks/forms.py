"""The bank pages' forms: the upload of a bank file, and a draft's question with its
translations side by side (one field per language of the site, never raw JSON).

Why not the admin's form: there the text sat in a narrow box and the translations in a JSON
field; a bank admin edits wording, so each wording gets a full-width box beside its
translation.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from banks.models import Question
from banks.schema import LABEL_MAX, LONG_TEXT_MAX, QUESTION_TEXT_MAX

WEIGHT_MAX = 1000  # the file format's limit (banks/README.md)


class BankUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank file"),
        help_text=_(
            "A bank's YAML file or its Excel template (.xlsx): download a version below to "
            "get one. It is imported as a new version of the bank it names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.xlsx"}),
    )

    def content(self) -> bytes:
        """The file's bytes, never more than one byte over the limit (the check refuses it)."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(settings.BANK_FILE_MAX_BYTES + 1)


def _base(code: str) -> str:
    return code.lower().split("-")[0]


def translation_languages(bank) -> list[tuple[str, str]]:
    """(code, name) of each language of the site other than the bank's own: the columns
    beside the bank's wording."""
    return [
        (code.lower(), name)
        for code, name in settings.LANGUAGES
        if _base(code) != _base(bank.language)
    ]


def _text_field(label, max_length, *, required, rows):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


class QuestionForm(forms.ModelForm):
    """A draft question's settings, and its wording (text, help, level or choice labels)
    in the bank's language with one field per other language beside each."""

    class Meta:
        model = Question
        fields = [
            "text",
            "help",
            "weight",
            "knockout_level",
            "required",
            "allows_na",
            "allows_dont_know",
        ]

    def __init__(self, *args, instance: Question, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.languages = translation_languages(instance.dimension.version.bank)
        self.choices = list(instance.choices.order_by("order", "pk"))
        self.fields["text"] = _text_field(_("Question"), QUESTION_TEXT_MAX, required=True, rows=3)
        self.fields["help"] = _text_field(
            _("Help for assessors"), LONG_TEXT_MAX, required=False, rows=5
        )
        self.fields["weight"] = forms.IntegerField(
            label=_("Weight"),
            min_value=1,
            max_value=WEIGHT_MAX,
            help_text=Question._meta.get_field("weight").help_text,
            widget=forms.NumberInput(attrs={"class": "form-control"}),
        )
        for name in ("required", "allows_na", "allows_dont_know"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if not instance.is_scored:
            del self.fields["knockout_level"]
        else:
            self.fields["knockout_level"] = forms.TypedChoiceField(
                label=_("Knock-out level"),
                choices=[("", _("No knock-out")), *((n, str(n)) for n in range(5))],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=Question._meta.get_field("knockout_level").help_text,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        translations = instance.translations or {}
        for code, _name in self.languages:
            given = translations.get(code) or {}
            self.fields[f"text_{code}"] = _text_field(
                _("Question"), QUESTION_TEXT_MAX, required=False, rows=3
            )
            self.fields[f"text_{code}"].initial = given.get("text", "")
            self.fields[f"help_{code}"] = _text_field(
                _("Help for assessors"), LONG_TEXT_MAX, required=False, rows=5
            )
            self.fields[f"help_{code}"].initial = given.get("help", "")
        for n, choice in enumerate(self.choices):
            label = self._label_name(n, choice)
            self.fields[f"label_{choice.pk}"] = _text_field(label, LABEL_MAX, required=True, rows=2)
            self.fields[f"label_{choice.pk}"].initial = choice.label
            for code, _name in self.languages:
                field = _text_field(label, LABEL_MAX, required=False, rows=2)
                field.initial = ((choice.translations or {}).get(code) or {}).get("label", "")
                self.fields[f"label_{choice.pk}_{code}"] = field

    def _label_name(self, n, choice) -> str:
        if self.instance.kind == Question.Kind.SCALE:
            return _("Level %(level)d (score %(score)d)") % {"level": n, "score": choice.score}
        return _("Choice %(number)d (score %(score)d)") % {"number": n + 1, "score": choice.score}

    def rows(self):
        """The wording side by side: (bank's field, [(language name, its field)…])."""
        names = ["text", "help", *(f"label_{c.pk}" for c in self.choices)]
        return [
            (self[name], [(lang, self[f"{name}_{code}"]) for code, lang in self.languages])
            for name in names
        ]

    def settings_fields(self):
        names = ["weight", "knockout_level", "required", "allows_na", "allows_dont_know"]
        return [self[name] for name in names if name in self.fields]

    def translations(self) -> dict:
        """The question's translations as edited: languages not offered here kept as they
        were; an emptied field removes that translation."""
        result = {code: dict(entry) for code, entry in (self.instance.translations or {}).items()}
        for code, _name in self.languages:
            entry = dict(result.get(code) or {})
            for name in ("text", "help"):
                value = self.cleaned_data.get(f"{name}_{code}", "")
                if value:
                    entry[name] = value
                else:
                    entry.pop(name, None)
            if entry:
                result[code] = entry
            else:
                result.pop(code, None)
        return result

    def labels(self) -> list:
        """(choice, label, translations) of each level or choice, as edited."""
        out = []
        for choice in self.choices:
            translations = {c: dict(e) for c, e in (choice.translations or {}).items()}
            for code, _name in self.languages:
                value = self.cleaned_data.get(f"label_{choice.pk}_{code}", "")
                if value:
                    translations[code] = {**translations.get(code, {}), "label": value}
                else:
                    entry = translations.pop(code, {})
                    entry.pop("label", None)
                    if entry:
                        translations[code] = entry
            out.append((choice, self.cleaned_data[f"label_{choice.pk}"], translations))
        return out
