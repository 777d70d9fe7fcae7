"""Demo sponsors for `manage.py seed_demo` (idempotent: safe to run again, any day).

Project Aurora (confidential): Elena Rossi, the demo `executive`, is our
executive sponsor; Helios Analytics' CEO is theirs, and both race the same
Porsche 911 GT3 at track days (the rapport panel finds it). Her signals show
a budget request that took five weeks to be allocated, a recent advocacy
mention and a KPI review. Cobalt Cloud co-sell has a partner sponsor but none
on our side, so sponsor match has several of our executives to rank.
Dates are relative to today, so health looks the same whenever it is seeded.
"""

from datetime import timedelta

from django.utils import timezone

from alliances.demo import Demo
from alliances.models import Organisation
from alliances.services import system_user
from sponsors import services
from sponsors.models import PeerLink, Signal, Sponsor, Sponsorship

TRACK_DAYS = "porsche-911-gt3-track-days"

OUR_PEOPLE = [
    dict(
        name="Elena Rossi",
        title="Chief Digital Officer",
        seniority=Sponsor.Seniority.C_SUITE,
        business_unit="Digital & Data",
        user="executive",
        interests=[TRACK_DAYS, "ai-ethics", "opera"],
    ),
    dict(
        name="Marcus Webb",
        title="Head of Analytics Products",
        seniority=Sponsor.Seniority.BU_HEAD,
        business_unit="Analytics Products",
        interests=["predictive-maintenance", "cycling"],
    ),
    dict(
        name="Hannah Schmidt",
        title="Chief Revenue Officer",
        seniority=Sponsor.Seniority.C_SUITE,
        business_unit="Sales — Public Sector & DACH",
        interests=["public-sector", "sovereign-cloud", "marathon-running"],
    ),
    dict(
        name="David Okonkwo",
        title="SVP Cloud Operations",
        seniority=Sponsor.Seniority.REPORTS_TO_C_SUITE,
        business_unit="Cloud & Managed Services",
        interests=["managed-services", "kubernetes", "chess"],
    ),
    dict(
        name="Li Wei",
        title="Non-executive director",
        seniority=Sponsor.Seniority.BOARD,
        business_unit="Board",
        interests=["governance", "golf"],
    ),
]

PARTNER_PEOPLE = {
    "Helios Analytics": [
        dict(
            name="Pieter de Vries",
            title="CEO and co-founder",
            seniority=Sponsor.Seniority.C_SUITE,
            business_unit="Executive team",
            interests=["Porsche 911 GT3 track days", "data-science-meetups"],
        ),
        dict(
            name="Sanne Bakker",
            title="CTO",
            seniority=Sponsor.Seniority.C_SUITE,
            business_unit="Engineering",
            interests=["open-source", "cycling"],
        ),
    ],
    "Cobalt Cloud Services": [
        dict(
            name="Katrin Vogel",
            title="VP Public Sector",
            seniority=Sponsor.Seniority.REPORTS_TO_C_SUITE,
            business_unit="Public Sector",
            interests=["sovereign-cloud", "sailing"],
        ),
    ],
}


def _person(organisation, data, users) -> Sponsor:
    data = dict(data)
    interests = data.pop("interests", [])
    username = data.pop("user", None)
    name = data.pop("name")
    sponsor = Sponsor.objects.filter(organisation=organisation, name=name).first()
    sponsor = sponsor or Sponsor(organisation=organisation, name=name)
    for field, value in data.items():
        setattr(sponsor, field, value)
    sponsor.user = users[username] if username else None
    return services.sponsor_save(sponsor=sponsor, interests=interests)


def _sponsorship(alliance, sponsor, side, role, since, **knowledge) -> Sponsorship:
    """`knowledge`: what this alliance's team records of them (motives, agenda, notes)."""
    system = system_user()
    sponsorship = Sponsorship.objects.filter(
        alliance=alliance, sponsor=sponsor, until__isnull=True
    ).first()
    fields = dict(side=side, role=role, since=since, **knowledge)
    if sponsorship is None:
        sponsorship = Sponsorship(alliance=alliance, sponsor=sponsor, **fields)
        return services.sponsorship_create(sponsorship=sponsorship, by=system)
    for field, value in fields.items():
        setattr(sponsorship, field, value)
    return services.sponsorship_update(sponsorship=sponsorship, by=system)


def _signals(sponsorship, recorded_by, today, rows):
    """rows: (key, kind, days ago, answers key or None, extra fields). Keyed on the
    note, so a second run updates rather than duplicates."""
    made = {}
    for key, kind, days, answers, extra in rows:
        extra = dict(extra)
        note = extra.pop("note")
        signal = Signal.objects.filter(sponsorship=sponsorship, kind=kind, note=note).first()
        fields = dict(date=today - timedelta(days=days), responds_to=made.get(answers), **extra)
        if signal is None:
            signal = Signal(sponsorship=sponsorship, kind=kind, note=note, **fields)
            made[key] = services.signal_record(signal=signal, by=recorded_by)
            continue
        for field, value in fields.items():
            setattr(signal, field, value)
        made[key] = services.signal_update(signal=signal, by=recorded_by)
    return made


def _peer_link(alliance, ours, theirs, **fields) -> PeerLink:
    link = PeerLink.objects.filter(alliance=alliance, ours=ours, theirs=theirs).first()
    link = link or PeerLink(alliance=alliance, ours=ours, theirs=theirs)
    for field, value in fields.items():
        setattr(link, field, value)
    return services.peer_link_save(link=link, by=system_user())


def seed(demo: Demo) -> list[str]:
    users, alliances = demo.users, demo.alliances
    today = timezone.localdate()
    ours = Organisation.objects.get(is_own=True, name="Northwind Systems")
    people = {p["name"]: _person(ours, p, users) for p in OUR_PEOPLE}
    for organisation_name, rows in PARTNER_PEOPLE.items():
        organisation = Organisation.objects.filter(name=organisation_name).order_by("pk").first()
        people.update({p["name"]: _person(organisation, p, users) for p in rows})

    aurora = alliances["project-aurora"]
    side, role = Sponsorship.Side, Sponsorship.Role
    elena = _sponsorship(
        aurora,
        people["Elena Rossi"],
        side.OURS,
        role.EXECUTIVE_SPONSOR,
        today - timedelta(days=180),
        motive_corporate="Predictive analytics in the ERP suite by FY2027.",
        motive_departmental="Digital & Data needs an AI offer to keep its budget growing.",
        motive_personal="Her board case for a group-wide data platform.",
        personal_agenda=(
            "Wants a visible AI success before the FY2027 board strategy review; "
            "sees Aurora as her case for a group-wide data platform budget."
        ),
        notes="Prefers one-page briefs. Do not schedule on Fridays (track days).",
    )
    _sponsorship(
        aurora,
        people["Marcus Webb"],
        side.OURS,
        role.CHAMPION,
        today - timedelta(days=150),
        motive_corporate="Recurring analytics revenue.",
        motive_departmental="Fills the predictive gap in his product line.",
        personal_agenda="Hopes to run the combined analytics line if Aurora launches.",
    )
    pieter = _sponsorship(
        aurora,
        people["Pieter de Vries"],
        side.PARTNER,
        role.EXECUTIVE_SPONSOR,
        today - timedelta(days=170),
        motive_corporate="Access to Northwind's mid-market manufacturers.",
        motive_departmental="A reference customer at enterprise scale.",
        motive_personal="A strong logo for the Series C round.",
        personal_agenda="Preparing a Series C round: a Northwind logo would help.",
    )
    _sponsorship(
        aurora,
        people["Sanne Bakker"],
        side.PARTNER,
        role.ESCALATION_POINT,
        today - timedelta(days=160),
        motive_departmental="Engineering roadmap fit with the ERP data model.",
    )
    # Helios is small: its CEO is the counterpart of our CDO, its CTO of a BU head.
    for our, their, strength, days in [
        ("Elena Rossi", "Pieter de Vries", 3, 12),
        ("Marcus Webb", "Sanne Bakker", 2, 20),
    ]:
        _peer_link(
            aurora,
            people[our],
            people[their],
            strength=strength,
            last_contact=today - timedelta(days=days),
        )

    manager = users["manager"]
    kind = Signal.Kind
    _signals(
        elena,
        manager,
        today,
        [
            (
                "budget",
                kind.RESOURCES_REQUESTED,
                75,
                None,
                {"note": "EUR 400k for the predictive-analytics pilot team"},
            ),
            (
                "budget-ok",
                kind.RESOURCES_ALLOCATED,
                40,
                "budget",
                {"note": "Pilot budget approved after two steering-committee rounds"},
            ),
            (
                "people",
                kind.RESOURCES_REQUESTED,
                30,
                None,
                {"note": "Two data engineers seconded to the pilot"},
            ),
            (
                "people-ok",
                kind.RESOURCES_ALLOCATED,
                21,
                "people",
                {"note": "Data engineers seconded from Digital & Data"},
            ),
            (
                "escalation",
                kind.ESCALATION_RAISED,
                50,
                None,
                {"note": "Helios data-residency terms blocking the pilot contract"},
            ),
            (
                "escalation-ok",
                kind.ESCALATION_RESOLVED,
                44,
                "escalation",
                {"note": "Elena agreed EU-only hosting with Pieter"},
            ),
            (
                "steering",
                kind.SENIOR_PRESENCE,
                20,
                None,
                {"note": "Opened the joint steering committee in Utrecht"},
            ),
            (
                "kpis",
                kind.KPI_REVIEW,
                14,
                None,
                {"note": "Reviewed pilot KPIs and the FY2027 revenue path with the team"},
            ),
            (
                "track",
                kind.MEETING,
                12,
                None,
                {
                    "note": "Met Pieter at the Zandvoort track day; agreed the pilot scope",
                    "meeting_with": Signal.MeetingWith.COUNTERPART,
                },
            ),
            (
                "advocacy",
                kind.ADVOCACY,
                6,
                None,
                {
                    "note": "Named Aurora our flagship AI partnership",
                    "where": "Quarterly all-hands town hall",
                },
            ),
        ],
    )
    _signals(
        pieter,
        manager,
        today,
        [
            (
                "post",
                kind.ADVOCACY,
                10,
                None,
                {"note": "Announced the pilot to Helios staff", "where": "Helios company blog"},
            ),
            (
                "track",
                kind.MEETING,
                12,
                None,
                {
                    "note": "Zandvoort track day with Elena",
                    "meeting_with": Signal.MeetingWith.COUNTERPART,
                },
            ),
        ],
    )

    # Elena also backs Quartz: her load is two, and an old KPI review is overdue there.
    quartz = _sponsorship(
        alliances["quartz-embedded-payments"],
        people["Elena Rossi"],
        side.OURS,
        role.EXECUTIVE_SPONSOR,
        today - timedelta(days=400),
        motive_corporate="Payments revenue share on every Northwind invoice.",
    )
    _signals(
        quartz,
        manager,
        today,
        [
            ("kpis", kind.KPI_REVIEW, 120, None, {"note": "Half-year KPI review with Quartz"}),
            (
                "advocacy",
                kind.ADVOCACY,
                130,
                None,
                {
                    "note": "Presented embedded payments to the sales kick-off",
                    "where": "Sales kick-off keynote",
                },
            ),
        ],
    )

    # Cobalt: their sponsor only; ours is for sponsor match to find.
    katrin = _sponsorship(
        alliances["cobalt-cloud-co-sell"],
        people["Katrin Vogel"],
        side.PARTNER,
        role.EXECUTIVE_SPONSOR,
        today - timedelta(days=90),
        motive_corporate="Northwind ERP on Cobalt's sovereign cloud.",
    )
    _signals(
        katrin,
        manager,
        today,
        [
            (
                "summit",
                kind.ADVOCACY,
                20,
                None,
                {
                    "note": "Presented the co-sell offer to Cobalt's public-sector partners",
                    "where": "Cobalt partner summit, Berlin",
                },
            ),
        ],
    )

    # Meridian: a champion's resource request unanswered for 40 days, so its manager
    # (manager2) finds an overdue signal on My work.
    meridian = alliances.get("meridian-warehouse-automation")
    if meridian is not None:
        champion = _sponsorship(
            meridian,
            people["David Okonkwo"],
            side.OURS,
            role.CHAMPION,
            today - timedelta(days=120),
            motive_corporate="Managed warehouse automation as a recurring service.",
        )
        _signals(
            champion,
            users["manager2"],
            today,
            [
                (
                    "meridian-ask",
                    kind.RESOURCES_REQUESTED,
                    40,
                    None,
                    {"note": "Two automation engineers for the pilot site survey"},
                ),
            ],
        )
    return ["Sponsors, sponsorships and engagement signals on every alliance."]
