"""Demo users, organisations and alliances for `manage.py seed_demo` (idempotent)."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from alliances.access import BANK_ADMINS_GROUP, EXECUTIVES_GROUP, MANAGERS_GROUP
from alliances.models import KPI, Alliance, Membership, Organisation

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
        team={"manager": "manager", "contributor": "contributor", "viewer": "viewer"},
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
        user.groups.set(Group.objects.filter(name__in=demo.groups))
        users[demo.username] = user
    return users


def seed_alliances(users: dict[str, User]) -> dict[str, Alliance]:
    organisations = {}
    for data in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=data["name"], defaults={k: v for k, v in data.items() if k != "name"}
        )
        organisations[organisation.name] = organisation
    alliances = {}
    for data in ALLIANCES:
        alliance, _ = Alliance.objects.update_or_create(
            slug=data["slug"],
            defaults=dict(
                name=data["name"],
                partner=organisations[data["partner"]],
                type=data["type"],
                stage=data["stage"],
                origin=data["origin"],
                objectives=data["objectives"],
                partner_fit=data.get("partner_fit", ""),
                is_confidential=data["is_confidential"],
                is_archived=False,
                created_by=users["manager"],
            ),
        )
        for username, role in data["team"].items():
            Membership.objects.update_or_create(
                alliance=alliance, user=users[username], defaults={"role": role}
            )
        for category, name, target, actual, unit, period in data["kpis"]:
            KPI.objects.update_or_create(
                alliance=alliance,
                name=name,
                period=period,
                defaults=dict(
                    category=category,
                    target=Decimal(target),
                    actual=Decimal(actual),
                    unit=unit,
                    is_current=True,
                ),
            )
        alliances[alliance.slug] = alliance
    return alliances
