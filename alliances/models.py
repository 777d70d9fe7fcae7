from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {
    "Organisation": ("name", "website", "industry", "country"),
    "Alliance": ("name", "objectives", "partner_fit"),
    "KPI": ("name", "unit", "period"),
    "Invitation": ("email",),
    "KPIActual": ("source",),
}
NOT_USER_TEXT = {
    "Alliance": ("slug",),
    "Invitation": ("token_sha256",),
    "KPIActual": ("idempotency_key",),
}


class Organisation(models.Model):
    class SizeBand(models.TextChoices):
        STARTUP = "startup", _("Start-up (under 50)")
        SMALL = "small", _("Small (50–249)")
        MEDIUM = "medium", _("Medium (250–999)")
        LARGE = "large", _("Large (1,000–9,999)")
        ENTERPRISE = "enterprise", _("Enterprise (10,000+)")

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=80, blank=True)
    size_band = models.CharField(
        _("size band"), max_length=20, choices=SizeBand.choices, blank=True
    )
    is_own = models.BooleanField(
        _("our organisation"),
        default=False,
        help_text=_("Our own company, not a partner. Only one; set by an administrator."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        # Names are unique only among what a user may see (alliances/names.py): an
        # organisation known only from hidden alliances must not block a name.
        constraints = [
            models.UniqueConstraint(
                fields=["is_own"],
                condition=models.Q(is_own=True),
                name="one_own_organisation",
                violation_error_message=_("Another organisation is already ours: there is one."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliances:partner_detail", args=[self.pk])


class Alliance(models.Model):
    class Type(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        RESELLER = "reseller", _("Reseller")
        CO_SELL = "co_sell", _("Co-sell")
        JOINT_VENTURE = "joint_venture", _("Joint venture")
        RND = "rnd", _("R&D")
        OEM = "oem", _("OEM / embedded")
        SERVICES = "services", _("Services / integrator")

    class Stage(models.TextChoices):
        """The ASAP alliance lifecycle, from first look to exit."""

        EXPLORING = "exploring", _("Exploring")
        ASSESSING = "assessing", _("Assessing")
        NEGOTIATING = "negotiating", _("Negotiating")
        LAUNCHED = "launched", _("Launched")
        MANAGING = "managing", _("Managing")
        EXITING = "exiting", _("Exiting")
        CLOSED = "closed", _("Closed")

    class Origin(models.TextChoices):
        EXECUTIVE = "executive", _("Executive-initiated")
        BOTTOM_UP = "bottom_up", _("Bottom-up")
        PARTNER = "partner", _("Partner-initiated")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    partner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="alliances", verbose_name=_("partner")
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.EXPLORING
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    objectives = models.TextField(
        _("objectives"),
        blank=True,
        help_text=_("The corporate objectives this alliance serves, one per line."),
    )
    partner_fit = models.TextField(
        _("where the partner fits"),
        blank=True,
        help_text=_("Where the partner sits in our strategy, in two or three sentences."),
    )
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the alliance team can see a confidential alliance."),
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        # Names are unique only among what a user may see (alliances/names.py); open
        # alliances, which everyone sees, are unique here too.
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                condition=models.Q(is_confidential=False),
                name="open_alliance_name_unique_ci",
                violation_error_message=_(
                    "An open alliance already has this name: rename this one first."
                ),
            ),
        ]
        indexes = [models.Index(fields=["is_archived", "stage"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliances:detail", args=[self.slug])

    @property
    def objective_lines(self):
        return [line.strip(" -•\t") for line in self.objectives.splitlines() if line.strip(" -•\t")]


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        CONTRIBUTOR = "contributor", _("Contributor")
        EXECUTIVE = "executive", _("Executive")
        VIEWER = "viewer", _("Viewer")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("alliance")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alliance_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "user"], name="one_membership_per_user"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.alliance}"


class KPI(models.Model):
    class Category(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        NEW_SOLUTIONS = "new_solutions", _("New solutions")
        INTEGRATIONS = "integrations", _("Integrations")
        MARKET_PENETRATION = "market_penetration", _("Market penetration")
        OTHER = "other", _("Other")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("alliance")
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    target = models.DecimalField(
        _("target"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    actual = models.DecimalField(
        _("actual"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit = models.CharField(
        _("unit"), max_length=30, blank=True, help_text=_("e.g. EUR k, customers, %")
    )
    period = models.CharField(_("period"), max_length=40, help_text=_("e.g. FY2026 or 2026-Q3"))
    is_current = models.BooleanField(
        _("current"), default=True, help_text=_("Current KPIs count towards sponsor health.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["alliance", "-is_current", "category", "name"]

    def __str__(self):
        return f"{self.name} ({self.period})"

    @property
    def attainment(self):
        """Actual as a percentage of target, or None when nothing is reported yet."""
        if self.actual is None or not self.target:
            return None
        return round(self.actual / self.target * 100)


# The longest `Idempotency-Key` a client may send (the API refuses a longer one).
IDEMPOTENCY_KEY_MAX = 200
KPI_SOURCE_MAX = 60


class KPIActual(models.Model):
    """One reported value of a KPI, for the day it applies to, from where it came (a CRM,
    a CSV upload, …). The KPI's `actual` is the latest of them (by day, then entry)."""

    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("KPI")
    )
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    on = models.DateField(_("date"), help_text=_("The day the value applies to."))
    source = models.CharField(
        _("source"), max_length=KPI_SOURCE_MAX, help_text=_("e.g. Salesforce, CSV upload")
    )
    # A client's key for one POST (the API's Idempotency-Key), unique per user: the same
    # request sent again finds this row instead of adding a second one.
    idempotency_key = models.CharField(
        max_length=IDEMPOTENCY_KEY_MAX, null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("KPI actual")
        verbose_name_plural = _("KPI actuals")
        ordering = ["kpi", "on", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="kpi_actual_idempotency_key_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.kpi.name} {self.on}: {self.value}"


class Invitation(models.Model):
    """A manager's invitation to someone without an account: a single-use link, valid
    for `INVITATION_DAYS`, whose token is stored only as a hash (a leaked table opens
    nothing)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} → {self.alliance} ({self.get_role_display()})"
