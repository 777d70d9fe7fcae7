import copy

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliances.access import visible_organisations
from alliances.models import KPI, Alliance, Membership, Organisation
from alliances.names import visible_alliance_named, visible_organisation_named
from kit.params import IdChoiceField
from kit.people import active_people, display_name
from kit.picker import PersonField

OBJECTIVES_MAX_LENGTH = 4000


class CrispyFormMixin:
    """A crispy helper with one submit button, so templates stay one-liners."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))

    def add_error(self, field, error):
        # A model's clean() may object to a field this form does not show (e.g. a
        # sponsorship's sponsor, on the form that edits its role): Django would raise
        # ValueError (a 500); the message goes on top of the form instead.
        if field is None and hasattr(error, "error_dict"):
            placed = {}
            for name, errors in error.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                placed.setdefault(key, []).extend(errors)
            error = forms.ValidationError(placed)
        super().add_error(field, error)


class UniqueNameMixin:
    """Names unique (any case) among the records `name_user` may see, reported on the
    field with a link to the one that has it; a name only hidden records bear is free,
    so the answer reveals nothing (alliances/names.py). A form sets `name_user`."""

    duplicate_message = _("This name is already taken.")
    name_user = None

    def visible_named(self, name: str):
        """The record the user may see that already bears `name`, or None."""
        raise NotImplementedError

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        # Before _post_clean, the instance still holds the stored name.
        clash = self.visible_named(name)
        if clash is not None:
            raise name_taken(self.duplicate_message, clash)
        return name


def name_taken(message, clash) -> forms.ValidationError:
    """`message`, with a link to the record that already bears the name."""
    return forms.ValidationError(
        format_html(
            '{} <a href="{}">{}</a>',
            message,
            clash.get_absolute_url(),
            _("Open “%(name)s”") % {"name": clash.name},
        )
    )


class VisibleAllianceName(UniqueNameMixin):
    duplicate_message = _("An alliance with this name already exists.")

    def visible_named(self, name):
        return visible_alliance_named(
            self.name_user, name, pk=self.instance.pk, was=self.instance.name or ""
        )


class VisibleOrganisationName(UniqueNameMixin):
    duplicate_message = _("An organisation with this name already exists: pick it from the list.")

    def visible_named(self, name):
        return visible_organisation_named(
            self.name_user, name, pk=self.instance.pk, was=self.instance.name or ""
        )


class NewPartnerFields:
    """On the register form, a partner not yet in the list can be registered with the
    alliance: a first-time user need not leave the form to register the organisation
    first. The fields are validated with the rest, its name as the organisation form
    would (alliances/names.py), and alliance_create saves both in one transaction."""

    NEW_PARTNER_FIELDS = {
        # Not "Name": that is the alliance's, just above (and what a label search finds).
        "new_partner_name": forms.CharField(
            label=_("New partner"),
            max_length=200,
            help_text=_("The name of the organisation, e.g. Northwind Systems."),
        ),
        "new_partner_website": forms.URLField(
            label=_("Website"), max_length=200, assume_scheme="https"
        ),
        "new_partner_industry": forms.CharField(label=_("Industry"), max_length=120),
        "new_partner_country": forms.CharField(label=_("Country"), max_length=80),
    }

    def add_new_partner_fields(self) -> None:
        for name, field in self.NEW_PARTNER_FIELDS.items():
            self.fields[name] = copy.deepcopy(field)
            self.fields[name].required = False
        self.fields["partner"].required = False
        self.fields["partner"].help_text = _(
            "Not in the list? Leave it empty and register the partner below."
        )
        self.helper.layout = Layout(
            *[name for name in self.fields if name in ("name", "partner")],
            Fieldset(
                _("Or register a new partner organisation"),
                *self.NEW_PARTNER_FIELDS,
                css_class="border rounded px-3 pt-2 mb-3",
            ),
            *[
                name
                for name in self.fields
                if name not in ("name", "partner") and name not in self.NEW_PARTNER_FIELDS
            ],
        )

    def clean(self):
        cleaned = super().clean()
        if "new_partner_name" not in self.fields:
            return cleaned
        name = " ".join((cleaned.get("new_partner_name") or "").split())
        details = any(cleaned.get(f) for f in self.NEW_PARTNER_FIELDS if f != "new_partner_name")
        if "partner" in self.errors or "new_partner_name" in self.errors:
            return cleaned
        if cleaned.get("partner") and (name or details):
            self.add_error(
                "new_partner_name",
                _("Choose a partner from the list or register a new one, not both."),
            )
        elif not cleaned.get("partner") and not name:
            if details:
                self.add_error("new_partner_name", _("Give the name of the new partner."))
            else:
                self.add_error(
                    "partner",
                    _("Choose the partner organisation, or register a new one below."),
                )
        elif name:
            clash = visible_organisation_named(self.name_user, name)
            if clash is not None:
                self.add_error(
                    "new_partner_name",
                    name_taken(
                        _("An organisation with this name already exists: pick it from the list."),
                        clash,
                    ),
                )
            else:
                self.new_partner = Organisation(
                    name=name,
                    website=cleaned.get("new_partner_website") or "",
                    industry=(cleaned.get("new_partner_industry") or "").strip(),
                    country=(cleaned.get("new_partner_country") or "").strip(),
                )
        return cleaned


class AllianceForm(CrispyFormMixin, NewPartnerFields, VisibleAllianceName, forms.ModelForm):
    objectives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=OBJECTIVES_MAX_LENGTH,
        help_text=_("The corporate objectives this alliance serves, one per line."),
    )
    partner_fit = forms.CharField(
        label=_("Where the partner fits"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=OBJECTIVES_MAX_LENGTH,
        help_text=_("Where the partner sits in our strategy, in two or three sentences."),
    )

    class Meta:
        model = Alliance
        fields = [
            "name",
            "partner",
            "type",
            "stage",
            "origin",
            "objectives",
            "partner_fit",
            "is_confidential",
        ]
        field_classes = {"partner": IdChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_user = user
        # Only partners the user may know exist (plus the current one), so a confidential
        # alliance's partner is not revealed by the list.
        partners = visible_organisations(user)
        if self.instance.partner_id:
            partners = partners | Organisation.objects.filter(pk=self.instance.partner_id)
        self.fields["partner"].queryset = partners.filter(is_own=False)
        self.fields["partner"].empty_label = _("Choose the partner organisation")
        # The unsaved partner the form registers with a new alliance (NewPartnerFields).
        self.new_partner = None
        if self.instance.pk is None:
            self.add_new_partner_fields()


class OrganisationForm(CrispyFormMixin, VisibleOrganisationName, forms.ModelForm):
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "website", "industry", "country", "size_band", "is_own"]

    def __init__(self, *args, user, may_set_own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_user = user
        if not may_set_own:
            del self.fields["is_own"]


class KPIForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = KPI
        fields = ["category", "name", "target", "actual", "unit", "period", "is_current"]


class MemberAddForm(forms.Form):
    who = PersonField(label=_("Name, username or email"), purpose="member")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.CONTRIBUTOR)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.alliance = alliance
        # Suggestions leave the team out; typed text may still name a member, to say so.
        self.fields["who"].for_alliance(alliance, active_people())

    def clean_who(self):
        user = self.cleaned_data["who"]
        if self.alliance.memberships.filter(user=user).exists():
            raise forms.ValidationError(
                _("%(name)s is already on the team.") % {"name": display_name(user)}
            )
        return user


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.CONTRIBUTOR
    )


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class AllianceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=200)
    stage = django_filters.ChoiceFilter(choices=Alliance.Stage.choices, empty_label=_("Any stage"))
    type = django_filters.ChoiceFilter(choices=Alliance.Type.choices, empty_label=_("Any type"))
    origin = django_filters.ChoiceFilter(
        choices=Alliance.Origin.choices, empty_label=_("Any origin")
    )
    archived = django_filters.BooleanFilter(
        field_name="is_archived",
        label=_("Archived"),
        widget=forms.Select(choices=[("", _("Active only")), ("true", _("Archived only"))]),
        method="filter_archived",
    )

    class Meta:
        model = Alliance
        fields = ["q", "stage", "type", "origin", "archived"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, partner or objective")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(partner__name__icontains=value)
            | Q(objectives__icontains=value)
        )

    def filter_archived(self, queryset, name, value):
        return queryset.filter(is_archived=bool(value))

    def filter_queryset(self, queryset):
        # Archived alliances stay out of the list unless asked for.
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(is_archived=False)
        return super().filter_queryset(queryset)


# A file of actuals is a few rows a KPI; this is far more than any upload needs.
ACTUALS_FILE_MAX_BYTES = 1024 * 1024


class KPIActualsUploadForm(CrispyFormMixin, forms.Form):
    submit_label = _("Import")

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns alliance (its name or slug), kpi (its name), date (YYYY-MM-DD) and "
            "value. Nothing is imported unless every row is right."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        """The file's text (UTF-8, with or without Excel's byte-order mark)."""
        upload = self.cleaned_data["file"]
        if upload.size > ACTUALS_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d KB: split it in parts.")
                % {"max": ACTUALS_FILE_MAX_BYTES // 1024}
            )
        upload.seek(0)
        try:
            return upload.read(ACTUALS_FILE_MAX_BYTES + 1).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”.")
            ) from exc
