"""Demo users, organisations and alliances for `manage.py seed_demo` (idempotent)."""

from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliances import services
from alliances.access import BANK_ADMINS_GROUP, EXECUTIVES_GROUP, MANAGERS_GROUP
from alliances.models import KPI, Alliance, Organisation

User = get_user_model()

CONFIDENTIAL_SLUG = "project-aurora"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    groups: tuple[str, ...] = ()
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def password(self) -> str:
        return f"{self.username}-demo"

    @property
    def needs_two_factor(self) -> bool:
        return self.is_superuser or BANK_ADMINS_GROUP in self.groups


DEMO_USERS = [
    DemoUser("manager", "Maya", "Patel", "alliance manager", (MANAGERS_GROUP,)),
    DemoUser("contributor", "Chris", "Okafor", "contributor (fills in assessments)"),
    DemoUser(
        "executive",
        "Elena",
        "Rossi",
        "executive sponsor (Chief Digital Officer)",
        (EXECUTIVES_GROUP,),
    ),
    DemoUser("viewer", "Victor", "Lindqvist", "viewer"),
    DemoUser(
        "manager2",
        "Omar",
        "Haddad",
        "alliance manager outside the confidential team",
        (MANAGERS_GROUP,),
    ),
    DemoUser(
        "bankadmin",
        "Beatriz",
        "Santos",
        "question bank admin (Django admin)",
        (BANK_ADMINS_GROUP,),
        is_staff=True,
    ),
    DemoUser("admin", "Ada", "Admin", "superuser", is_staff=True, is_superuser=True),
]

ORGANISATIONS = [
    dict(
        name="Northwind Systems",
        is_own=True,
        industry="Enterprise software",
        country="United Kingdom",
        size_band="enterprise",
        website="https://northwind.example",
    ),
    dict(
        name="Helios Analytics",
        industry="AI and analytics",
        country="Netherlands",
        size_band="small",
        website="https://helios.example",
    ),
    dict(
        name="Cobalt Cloud Services",
        industry="Cloud infrastructure",
        country="Germany",
        size_band="large",
        website="https://cobalt.example",
    ),
    dict(
        name="Meridian Robotics",
        industry="Warehouse automation",
        country="Sweden",
        size_band="medium",
        website="https://meridian.example",
    ),
    dict(
        name="Quartz Payments",
        industry="Payments",
        country="Ireland",
        size_band="large",
        website="https://quartz.example",
    ),
]

ALLIANCES = [
    dict(
        slug=CONFIDENTIAL_SLUG,
        name="Project Aurora",
        partner="Helios Analytics",
        type=Alliance.Type.TECHNOLOGY,
        stage=Alliance.Stage.ASSESSING,
        origin=Alliance.Origin.EXECUTIVE,
        is_confidential=True,
        objectives=(
            "Add predictive analytics to the Northwind ERP suite by FY2027\n"
            "Grow recurring analytics revenue to EUR 12 m a year\n"
            "Win back mid-market manufacturers lost to cloud-native rivals"
        ),
        partner_fit=(
            "Helios would fill the predictive-analytics gap in our ERP suite. Its product "
            "line is built on our Northwind Insight platform."
        ),
        team={"manager": "manager", "contributor": "contributor", "executive": "executive"},
        kpis=[],
    ),
    dict(
        slug="cobalt-cloud-co-sell",
        name="Cobalt Cloud co-sell",
        partner="Cobalt Cloud Services",
        type=Alliance.Type.CO_SELL,
        stage=Alliance.Stage.NEGOTIATING,
        origin=Alliance.Origin.BOTTOM_UP,
        is_confidential=False,
        objectives=(
            "Reach German public-sector buyers through Cobalt's framework contracts\n"
            "Offer Northwind ERP as a managed service on Cobalt's sovereign cloud"
        ),
        team={
            "manager": "manager",
            "contributor": "contributor",
            "viewer": "viewer",
            "executive": "executive",  # asked to sign off the decision
        },
        kpis=[
            ("revenue", "Co-sold ARR", "2000000", "1450000", "EUR", "FY2026"),
            ("market_penetration", "Public-sector logos", "15", "9", "customers", "FY2026"),
        ],
    ),
    dict(
        slug="meridian-warehouse-automation",
        name="Meridian warehouse automation",
        partner="Meridian Robotics",
        type=Alliance.Type.RND,
        stage=Alliance.Stage.EXPLORING,
        origin=Alliance.Origin.PARTNER,
        is_confidential=False,
        objectives="Prototype robot-ready picking workflows in Northwind WMS",
        team={"manager2": "manager", "viewer": "viewer"},
        kpis=[],
    ),
    dict(
        slug="quartz-embedded-payments",
        name="Quartz embedded payments",
        partner="Quartz Payments",
        type=Alliance.Type.OEM,
        stage=Alliance.Stage.MANAGING,
        origin=Alliance.Origin.BOTTOM_UP,
        is_confidential=False,
        objectives="Embed card and bank payments in Northwind invoicing",
        team={"manager": "manager", "executive": "executive"},
        kpis=[
            ("revenue", "Payments revenue share", "800000", "910000", "EUR", "FY2026"),
            ("integrations", "Invoicing integrations live", "4", "4", "integrations", "FY2026"),
            ("new_solutions", "Joint solutions launched", "2", "1", "solutions", "FY2026"),
        ],
    ),
]


# Superusers and bank admins must use two-factor authentication: the demo gives them an
# authenticator with this published key (base32 DEMO_TOTP_KEY_BASE32), so a newcomer can
# add it to an app or ask `manage.py two_factor_code admin` for the current code.
DEMO_TOTP_KEY = "616c6c69616e63652d726561646976657373cafe"
DEMO_TOTP_KEY_BASE32 = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
DEMO_TOTP_DEVICE = "Demo authenticator (published key)"


def _demo_two_factor(user: User) -> None:
    TOTPDevice.objects.filter(user=user).exclude(name=DEMO_TOTP_DEVICE).delete()
    TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_TOTP_DEVICE,
        defaults=dict(key=DEMO_TOTP_KEY, confirmed=True, throttling_failure_count=0),
    )


def seed_users() -> dict[str, User]:
    users = {}
    for demo in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults=dict(
                first_name=demo.first_name,
                last_name=demo.last_name,
                email=f"{demo.username}@northwind.example",
                is_staff=demo.is_staff,
                is_superuser=demo.is_superuser,
                is_active=True,
            ),
        )
        user.set_password(demo.password)
        user.save(update_fields=["password"])
        # The groups come from a data migration; get_or_create survives a flushed database.
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in demo.groups])
        if demo.needs_two_factor:
            _demo_two_factor(user)
        users[demo.username] = user
    return users


def _organisation(data: dict, system: User) -> Organisation:
    # The first of that name: someone who may not see the demo's confidential alliance
    # may have registered another organisation of the same name (alliances/names.py).
    first = Organisation.objects.filter(name=data["name"]).order_by("pk").first()
    organisation = first or Organisation()
    for field, value in data.items():
        setattr(organisation, field, value)
    return services.organisation_save(organisation=organisation, by=system)


def _alliance(data: dict, partner: Organisation, users, system: User) -> Alliance:
    alliance = Alliance.objects.filter(slug=data["slug"]).first()
    fields = dict(
        name=data["name"],
        partner=partner,
        type=data["type"],
        stage=data["stage"],
        origin=data["origin"],
        objectives=data["objectives"],
        partner_fit=data.get("partner_fit", ""),
        is_confidential=data["is_confidential"],
    )
    if alliance is None:
        # The demo's fixed slugs, which its links and tests use (the pages' alliances
        # get a random suffix: alliances/names.py).
        return services.alliance_create(
            by=users["manager"], alliance=Alliance(**fields), slug=data["slug"]
        )
    for field, value in fields.items():
        setattr(alliance, field, value)
    if alliance.is_archived:
        services.alliance_set_archived(alliance=alliance, archived=False, by=system)
    return services.alliance_update(alliance=alliance, by=system)


def _team(alliance: Alliance, team: dict, users, system: User) -> None:
    current = {m.user.username: m for m in alliance.memberships.select_related("user")}
    for username, role in team.items():
        membership = current.get(username)
        if membership is None:
            services.membership_add(alliance=alliance, member=users[username], role=role, by=system)
        elif membership.role != role:
            services.membership_change_role(membership=membership, role=role, by=system)


def _kpis(alliance: Alliance, rows, system: User) -> None:
    for category, name, target, actual, unit, period in rows:
        kpi = KPI.objects.filter(alliance=alliance, name=name, period=period).first()
        kpi = kpi or KPI(alliance=alliance, name=name, period=period)
        kpi.category, kpi.unit, kpi.is_current = category, unit, True
        kpi.target, kpi.actual = Decimal(target), Decimal(actual)
        services.kpi_save(kpi=kpi, by=system)
        if not kpi.actuals.exists():
            _reported(kpi, Decimal(actual), system)


# The demo's KPIs as the CRM reported them: the first of the last three months, rising to
# today's actual, so each KPI page draws a trend against its target.
REPORTED_SHARES = (Decimal("0.5"), Decimal("0.8"), Decimal("1"))


def _reported(kpi: KPI, actual: Decimal, system: User) -> None:
    today = timezone.localdate()
    for months_ago, share in zip((2, 1, 0), REPORTED_SHARES, strict=True):
        on = (today - timedelta(days=30 * months_ago)).replace(day=1)
        value = (actual * share).quantize(Decimal("1") if actual >= 10 else Decimal("0.01"))
        services.kpi_actual_add(kpi=kpi, value=value, on=on, source="CRM (demo)", by=system)


def seed_alliances(users: dict[str, User]) -> dict[str, Alliance]:
    """Organisations, alliances, teams and KPIs, through the same services as the pages."""
    system = services.system_user()
    organisations = {data["name"]: _organisation(data, system) for data in ORGANISATIONS}
    alliances = {}
    for data in ALLIANCES:
        alliance = _alliance(data, organisations[data["partner"]], users, system)
        _team(alliance, data["team"], users, system)
        _kpis(alliance, data["kpis"], system)
        alliances[alliance.slug] = alliance
    return alliances


@dataclass(frozen=True)
class Demo:
    """What the apps above seed their demo data on (home's `seed_demo` hands it on)."""

    users: dict[str, User]
    alliances: dict[str, Alliance]


def seed() -> Demo:
    """The demo users, then the organisations, alliances, teams and KPIs."""
    users = seed_users()
    return Demo(users=users, alliances=seed_alliances(users))
