"""Question bank editing for the Question bank admins group (no superuser needed).

Drafts are edited on the version's page, questions inside their dimension (nested inlines;
a question's levels behind its change link); published and retired versions are read-only.
"New draft" and "Publish" are buttons on a version's own page (and changelist actions);
publishing first shows what changes against the version it replaces.
"""

import nested_admin
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alliances.admin import HistoryAdmin
from banks import services as bank_services
from banks.diff import bank_diff
from banks.models import BankVersion, Choice, Dimension, Question, QuestionBank
from kit.texts import in_sentence


def _is_draft(version) -> bool:
    return version is None or version.status == BankVersion.Status.DRAFT


class LockedUnlessDraft:
    """Add, change and delete only while the owning version is a draft."""

    def version_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _is_draft(self.version_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or _is_draft(self.version_of(obj)))


class LockedInlineMixin:
    """An inline of a parent that belongs to a version: frozen once the version is."""

    extra = 0
    show_change_link = True

    def parent_version(self, parent):
        raise NotImplementedError

    def _open(self, obj):
        return obj is None or _is_draft(self.parent_version(obj))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._open(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._open(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._open(obj)


class LockedInline(LockedInlineMixin, admin.TabularInline):
    pass


class VersionInline(admin.TabularInline):
    model = BankVersion
    extra = 0
    fields = ["number", "status", "published_at", "notes"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuestionBank)
class QuestionBankAdmin(HistoryAdmin):
    list_display = ["name", "slug", "kind", "version_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("versions"))

    @admin.display(description=_("versions"), ordering="n")
    def version_count(self, bank):
        return bank.n

    def get_readonly_fields(self, request, obj=None):
        # The slug names the bank in YAML files and assessments: stable once created;
        # the kind decides which decision rule its assessments feed: fixed once published.
        if obj is None:
            return []
        if obj.versions.exclude(status=BankVersion.Status.DRAFT).exists():
            return ["slug", "kind"]
        return ["slug"]

    def get_prepopulated_fields(self, request, obj=None):
        # Only when adding: the history pages of simple-history read the class
        # attribute, which must not name the (then read-only) slug.
        return {} if obj else {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.versions.exclude(status=BankVersion.Status.DRAFT).exists():
            return False
        return super().has_delete_permission(request, obj)


QUESTION_FIELDS = [
    "order",
    "key",
    "text",
    "kind",
    "weight",
    "required",
    "allows_na",
    "allows_dont_know",
    "knockout_level",
]


class VersionQuestionInline(LockedInlineMixin, nested_admin.NestedTabularInline):
    """A dimension's questions, edited inside it on the version's page (levels: change link)."""

    model = Question
    fields = QUESTION_FIELDS

    def parent_version(self, parent):
        # Depending on the level asking, the parent is the version or the dimension.
        return parent if isinstance(parent, BankVersion) else parent.version


class DimensionInline(LockedInlineMixin, nested_admin.NestedStackedInline):
    model = Dimension
    fields = [("order", "name", "weight"), "description"]
    inlines = [VersionQuestionInline]

    def parent_version(self, version):
        return version


@admin.register(BankVersion)
class BankVersionAdmin(LockedUnlessDraft, nested_admin.NestedModelAdminMixin, HistoryAdmin):
    list_display = ["__str__", "bank", "number", "status", "published_at", "thresholds"]
    list_filter = ["status", "bank"]
    list_select_related = ["bank"]
    search_fields = ["bank__name", "notes"]
    fields = [
        "bank",
        "number",
        "status",
        "go_threshold",
        "no_go_threshold",
        "gap_threshold",
        "perception_gap_threshold",
        "perception_gaps_decide",
        "notes",
        "published_at",
        "published_by",
    ]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [DimensionInline]
    actions = ["make_draft", "publish"]

    def version_of(self, obj):
        return obj

    def get_urls(self):
        own = [
            path(
                "<int:pk>/new-draft/",
                self.admin_site.admin_view(require_POST(self.new_draft_view)),
                name="banks_bankversion_new_draft",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="banks_bankversion_publish",
            ),
        ]
        return own + super().get_urls()

    def _version_for(self, request, pk) -> BankVersion:
        version = get_object_or_404(BankVersion.objects.select_related("bank"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return version

    def _change_url(self, version) -> str:
        return reverse("admin:banks_bankversion_change", args=[version.pk])

    def new_draft_view(self, request, pk):
        """POST only: copy this version into the bank's next draft and open it."""
        version = self._version_for(request, pk)
        draft = bank_services.version_new_draft(version=version, by=request.user)
        self.message_user(
            request,
            _("Created %(version)s: edit it, then publish it.") % {"version": draft},
            messages.SUCCESS,
        )
        return redirect(self._change_url(draft))

    def publish_view(self, request, pk):
        """GET: what publishing changes against the published version; POST: publish."""
        version = self._version_for(request, pk)
        if version.status != BankVersion.Status.DRAFT:
            self.message_user(
                request,
                _("%(version)s is already %(status)s.")
                % {"version": version.label, "status": in_sentence(version.get_status_display())},
                messages.ERROR,
            )
            return redirect(self._change_url(version))
        if not self.has_change_permission(request, version):
            raise PermissionDenied
        if request.method == "POST":
            try:
                published = bank_services.version_publish(version=version, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
                return redirect(self._change_url(version))
            self.message_user(
                request,
                _("Published %(version)s.") % {"version": published.label},
                messages.SUCCESS,
            )
            return redirect(self._change_url(published))
        current = version.bank.versions.filter(status=BankVersion.Status.PUBLISHED).first()
        diff = (
            bank_diff(bank_services.version_data(current), bank_services.version_data(version))
            if current
            else None
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish %(version)s?") % {"version": version.label},
            "opts": self.opts,
            "version": version,
            "current": current,
            "diff": diff,
            "errors": bank_services.version_publish_errors(version),
        }
        return TemplateResponse(
            request, "admin/banks/bankversion/publish_confirmation.html", context
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        questions = Question.objects.filter(dimension__version=form.instance, kind="scale")
        for question in questions.filter(choices__isnull=True):
            _give_default_levels(self, request, question)

    @admin.display(description=_("GO / NO-GO / gap"))
    def thresholds(self, version):
        return f"≥{version.go_threshold} / <{version.no_go_threshold} / <{version.gap_threshold}"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "bank", "number"]
        return self.readonly_fields

    @admin.action(description=_("New draft from this version"), permissions=["add"])
    def make_draft(self, request, queryset):
        for version in queryset.select_related("bank"):
            draft = bank_services.version_new_draft(version=version, by=request.user)
            url = reverse("admin:banks_bankversion_change", args=[draft.pk])
            self.message_user(
                request,
                format_html(_('Created <a href="{}">{}</a>.'), url, draft),
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Publish (retires the bank's current version)"), permissions=["change"]
    )
    def publish(self, request, queryset):
        for version in queryset.select_related("bank"):
            try:
                published = bank_services.version_publish(version=version, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
                continue
            self.message_user(
                request,
                _("Published %(version)s.") % {"version": published.label},
                messages.SUCCESS,
            )


class QuestionInline(LockedInline):
    model = Question
    fields = QUESTION_FIELDS

    def parent_version(self, dimension):
        return dimension.version


@admin.register(Dimension)
class DimensionAdmin(LockedUnlessDraft, admin.ModelAdmin):
    list_display = ["name", "version", "weight", "order"]
    list_filter = ["version__bank", "version__status"]
    list_select_related = ["version__bank"]
    search_fields = ["name", "description"]
    inlines = [QuestionInline]

    def version_of(self, obj):
        return obj.version

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for question in form.instance.questions.all():
            _give_default_levels(self, request, question)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = BankVersion.objects.filter(
                status=BankVersion.Status.DRAFT
            ).select_related("bank")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChoiceInline(LockedInline):
    model = Choice
    fields = ["order", "label", "score"]
    show_change_link = False

    def parent_version(self, question):
        return question.dimension.version


def _give_default_levels(model_admin, request, question) -> None:
    if bank_services.question_give_default_levels(question=question, by=request.user):
        model_admin.message_user(
            request,
            _("Question %(key)s got the five default levels (0 to 100): edit their labels.")
            % {"key": question.key},
            messages.INFO,
        )


@admin.register(Question)
class QuestionAdmin(LockedUnlessDraft, admin.ModelAdmin):
    # A question is never listed without its bank and version: keys repeat across versions.
    list_display = [
        "key",
        "text",
        "bank",
        "version_number",
        "dimension",
        "kind",
        "weight",
        "knockout_level",
        "required",
    ]
    list_filter = ["kind", "dimension__version__bank", "dimension__version__status"]
    list_select_related = ["dimension__version__bank"]
    search_fields = ["key", "text", "help"]
    inlines = [ChoiceInline]

    def version_of(self, obj):
        return obj.dimension.version

    @admin.display(description=_("bank"), ordering="dimension__version__bank__name")
    def bank(self, question):
        return question.dimension.version.bank.name

    @admin.display(description=_("version"), ordering="dimension__version__number")
    def version_number(self, question):
        version = question.dimension.version
        return f"v{version.number} ({in_sentence(version.get_status_display())})"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _give_default_levels(self, request, form.instance)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            kwargs["queryset"] = Dimension.objects.filter(
                version__status=BankVersion.Status.DRAFT
            ).select_related("version__bank")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            # Dimension names repeat from version to version: say whose each one is.
            field.label_from_instance = lambda d: f"{d.version.label} · {d.name}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
