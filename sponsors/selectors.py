"""Reads with rules: an alliance's sponsors with their health, a sponsor's profile,
and sponsor match candidates. Each is built in a constant number of queries,
whatever the number of sponsorships and signals."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.access import Action, can, my_role_on, visible_alliances
from alliances.models import KPI, Alliance
from kit.memo import per_request
from sponsors import health, matching
from sponsors.access import can_see_sensitive_of
from sponsors.health import HealthReport, KPIFact, Rapport, SignalFact, SponsorFacts
from sponsors.models import PeerLink, Signal, Sponsor, SponsorChangeProposal, Sponsorship


@dataclass(frozen=True)
class SponsorOverview:
    """Everything the alliance's sponsor page, the decision and the brief need.

    `ours` / `partner`: active sponsorships of each side, executive sponsor first;
    `past`: ended ones. Each sponsorship carries `show_sensitive` (may this reader
    see its personal agenda, notes and personal motive) and `health`.
    `health` is our executive sponsor's (unknown without one), `partner_health`
    the partner's. `rapport` is None unless both sides have an executive sponsor.
    """

    alliance: Alliance
    ours: tuple[Sponsorship, ...]
    partner: tuple[Sponsorship, ...]
    past: tuple[Sponsorship, ...]
    our_executive_sponsor: Sponsorship | None
    partner_executive_sponsor: Sponsorship | None
    health: HealthReport
    partner_health: HealthReport
    rapport: Rapport | None
    peer_map: tuple[PeerLink, ...]
    can_see_sensitive: bool


# The facts below are read once per page (kit/memo.py): the alliance page asks for the
# executive sponsor's health now and month by month.
@per_request
def _signal_facts(sponsorship_ids: Iterable[int]) -> dict[int, list[SignalFact]]:
    rows = Signal.objects.filter(sponsorship_id__in=list(sponsorship_ids)).values_list(
        "sponsorship_id", "id", "kind", "date", "responds_to_id", "meeting_with"
    )
    facts = defaultdict(list)
    for sponsorship_id, pk, kind, day, responds_to, meeting_with in rows:
        with_counterpart = meeting_with == Signal.MeetingWith.COUNTERPART
        facts[sponsorship_id].append(SignalFact(pk, kind, day, responds_to, with_counterpart))
    return facts


@per_request
def _kpi_facts(alliance_ids: Iterable[int]) -> dict[int, list[KPIFact]]:
    rows = KPI.objects.filter(alliance_id__in=list(alliance_ids)).values_list(
        "alliance_id", "target", "actual", "is_current"
    )
    facts = defaultdict(list)
    for alliance_id, target, actual, is_current in rows:
        facts[alliance_id].append(KPIFact(target, actual, is_current))
    return facts


@per_request
def _alliance_contacts(alliance_ids: Iterable[int]) -> dict[tuple[int, int], list[date]]:
    return _contacts(PeerLink.objects.filter(alliance_id__in=list(alliance_ids)))


def _contacts(links: Iterable[PeerLink]) -> dict[tuple[int, int], list[date]]:
    """(alliance id, sponsor id) → last direct contacts from the peer map, either side."""
    contacts = defaultdict(list)
    for link in links:
        if link.last_contact:
            contacts[(link.alliance_id, link.ours_id)].append(link.last_contact)
            contacts[(link.alliance_id, link.theirs_id)].append(link.last_contact)
    return contacts


def _health(sponsorship, signals, kpis, contacts, today) -> HealthReport:
    return health.sponsorship_health(
        signals=signals.get(sponsorship.pk, ()),
        kpis=kpis.get(sponsorship.alliance_id, ()),
        since=sponsorship.since,
        today=today,
        counterpart_contacts=contacts.get((sponsorship.alliance_id, sponsorship.sponsor_id), ()),
    )


def sponsorship_healths(
    sponsorships: Iterable[Sponsorship], *, today: date | None = None
) -> dict[int, HealthReport]:
    """Health of each sponsorship by id, in three queries whatever their number."""
    sponsorships = list(sponsorships)
    if not sponsorships:
        return {}
    today = today or timezone.localdate()
    alliance_ids = {s.alliance_id for s in sponsorships}
    signals = _signal_facts(s.pk for s in sponsorships)
    kpis = _kpi_facts(alliance_ids)
    contacts = _alliance_contacts(alliance_ids)
    return {s.pk: _health(s, signals, kpis, contacts, today) for s in sponsorships}


def _by_role(sponsorships):
    order = list(Sponsorship.Role.values)
    return tuple(sorted(sponsorships, key=lambda s: (order.index(s.role), s.sponsor.name)))


def _rapport(ours: Sponsorship, theirs: Sponsorship, *, alliance, user) -> Rapport:
    """Common ground of two sponsors; shared alliances only among those `user` may see."""
    others = (
        Sponsorship.objects.filter(sponsor_id__in=[ours.sponsor_id, theirs.sponsor_id])
        .exclude(alliance=alliance)
        .filter(alliance__in=visible_alliances(user).values("pk"))
        .values_list("sponsor_id", "alliance__name")
    )
    names = defaultdict(set)
    for sponsor_id, alliance_name in others:
        names[sponsor_id].add(alliance_name)

    def facts(sponsorship):
        sponsor = sponsorship.sponsor
        return SponsorFacts(
            name=sponsor.name,
            interests=tuple(tag.name for tag in sponsor.interests.all()),
            alliances=tuple(names[sponsor.pk]),
        )

    return health.rapport(facts(ours), facts(theirs))


def sponsor_overview(alliance: Alliance, *, user) -> SponsorOverview:
    """The alliance's sponsors on both sides with health, rapport and peer map."""
    today = timezone.localdate()
    sponsorships = list(
        alliance.sponsorships.select_related("sponsor__organisation", "sponsor__user")
        .prefetch_related("sponsor__interests")
        .order_by("-since", "pk")
    )
    can_see_sensitive = can(user, Action.VIEW_SENSITIVE, alliance)
    for sponsorship in sponsorships:
        sponsorship.alliance = alliance
        own = sponsorship.sponsor.user_id is not None and sponsorship.sponsor.user_id == user.pk
        sponsorship.show_sensitive = can_see_sensitive or own
    active = [s for s in sponsorships if s.until is None or s.until >= today]
    ours = _by_role(s for s in active if s.side == Sponsorship.Side.OURS)
    partner = _by_role(s for s in active if s.side == Sponsorship.Side.PARTNER)
    active_ids = {s.pk for s in active}
    past = tuple(s for s in sponsorships if s.pk not in active_ids)

    def executive(side):
        return next((s for s in side if s.is_executive), None)

    our_executive, partner_executive = executive(ours), executive(partner)
    peer_map = tuple(
        alliance.peer_links.select_related("ours", "theirs").order_by("ours__name", "theirs__name")
    )
    measured = [s for s in (our_executive, partner_executive) if s is not None]
    signals = _signal_facts(s.pk for s in measured) if measured else {}
    kpis = _kpi_facts([alliance.pk])
    contacts = _contacts(peer_map)
    healths = {s.pk: _health(s, signals, kpis, contacts, today) for s in measured}
    for sponsorship in sponsorships:
        sponsorship.health = healths.get(sponsorship.pk)
    no_partner = health.no_sponsor_health(_("No executive sponsor on the partner's side."))
    return SponsorOverview(
        alliance=alliance,
        ours=ours,
        partner=partner,
        past=past,
        our_executive_sponsor=our_executive,
        partner_executive_sponsor=partner_executive,
        health=healths[our_executive.pk] if our_executive else health.no_sponsor_health(),
        partner_health=healths[partner_executive.pk] if partner_executive else no_partner,
        rapport=(
            _rapport(our_executive, partner_executive, alliance=alliance, user=user)
            if our_executive and partner_executive
            else None
        ),
        peer_map=peer_map,
        can_see_sensitive=can_see_sensitive,
    )


def signal_timeline(alliance: Alliance) -> QuerySet[Signal]:
    """Every signal on the alliance's sponsorships, newest first."""
    return (
        Signal.objects.filter(sponsorship__alliance=alliance)
        .select_related("sponsorship__sponsor", "recorded_by", "responds_to")
        .order_by("-date", "-id")
    )


def open_asks(alliance: Alliance, *, include: Signal | None = None) -> QuerySet[Signal]:
    """Requests and escalations without an answer yet (plus `include`, the one an
    edited signal already answers), for the "answers" choice of the signal form."""
    unanswered = Q(response__isnull=True)
    if include is not None:
        unanswered |= Q(pk=include.pk)
    return (
        Signal.objects.filter(
            sponsorship__alliance=alliance,
            kind__in=[Signal.Kind.RESOURCES_REQUESTED, Signal.Kind.ESCALATION_RAISED],
        )
        .filter(unanswered)
        .select_related("sponsorship__sponsor")
        .order_by("-date", "-id")
    )


@dataclass(frozen=True)
class SponsorProfile:
    """A person's sponsorships the reader may see, with each one's health.

    `load` is the number of active sponsorships among them; `average_score` the
    mean of the known health scores of the active ones (None when none is known).
    """

    sponsor: Sponsor
    active: tuple[Sponsorship, ...]
    past: tuple[Sponsorship, ...]
    load: int
    average_score: int | None
    sensitive: tuple[Sponsorship, ...]


def sponsor_profile(sponsor: Sponsor, *, user) -> SponsorProfile:
    """`sensitive`: the sponsorships whose agenda, notes and personal motive this reader
    may see (the person themself: all; a manager: those of the alliances they manage)."""
    today = timezone.localdate()
    sponsorships = list(
        sponsor.sponsorships.filter(alliance__in=visible_alliances(user).values("pk"))
        .select_related("alliance__partner")
        .annotate(my_role=my_role_on("alliance", user))
        .order_by("-since", "pk")
    )
    healths = sponsorship_healths(sponsorships, today=today)
    for sponsorship in sponsorships:
        sponsorship.alliance.my_role = sponsorship.my_role  # what access.can() reads
        sponsorship.sponsor = sponsor
        sponsorship.health = healths[sponsorship.pk]
        sponsorship.show_sensitive = can_see_sensitive_of(user, sponsorship)
    active = tuple(s for s in sponsorships if s.until is None or s.until >= today)
    scores = [s.health.score for s in active if s.health.score is not None]
    active_ids = {s.pk for s in active}
    return SponsorProfile(
        sponsor=sponsor,
        active=active,
        past=tuple(s for s in sponsorships if s.pk not in active_ids),
        load=len(active),
        average_score=round(sum(scores) / len(scores)) if scores else None,
        sensitive=tuple(s for s in sponsorships if s.show_sensitive),
    )


def pending_proposals(sponsor: Sponsor) -> list[SponsorChangeProposal]:
    """Changes proposed to the person and not decided yet, oldest first, each knowing
    its person (for `changes()`, against the details as they are now)."""
    proposals = list(
        sponsor.change_proposals.filter(state=SponsorChangeProposal.State.PENDING)
        .select_related("proposed_by")
        .order_by("created_at", "pk")
    )
    for proposal in proposals:
        proposal.sponsor = sponsor
    return proposals


def sponsor_of(user) -> Sponsor | None:
    """The sponsor record linked to `user`'s account, if any."""
    if not user.is_authenticated:
        return None
    return (
        Sponsor.objects.select_related("organisation")
        .prefetch_related("interests")
        .filter(user=user)
        .first()
    )


def sponsor_candidates(alliance: Alliance, *, viewer, today: date | None = None) -> tuple:
    """Our people ranked for `alliance` (sponsors/matching.py), best first; those who
    already sponsor it are left out. The load counts the active sponsorships of the
    alliances `viewer` may see: a confidential alliance outside their team does not
    exist for them, not even as a number."""
    today = today or timezone.localdate()
    active = Q(sponsorships__alliance__in=visible_alliances(viewer)) & (
        Q(sponsorships__until__isnull=True) | Q(sponsorships__until__gte=today)
    )
    already = Sponsorship.objects.filter(alliance=alliance).active(today).values("sponsor_id")
    people = (
        Sponsor.objects.filter(organisation__is_own=True)
        .exclude(pk__in=already)
        .annotate(load=Count("sponsorships", filter=active, distinct=True))
        .prefetch_related("interests")
        .select_related("user")
    )
    by_id = {person.pk: person for person in people}
    ranked = matching.rank_candidates(
        (
            matching.Candidate(
                id=person.pk,
                name=person.name,
                seniority=person.seniority,
                business_unit=person.business_unit,
                interests=tuple(tag.name for tag in person.interests.all()),
                load=person.load,
            )
            for person in by_id.values()
        ),
        objectives=alliance.objectives,
    )
    return tuple((by_id[match.candidate.id], match) for match in ranked)


@per_request
def our_executive_sponsors(
    alliance_ids: Iterable[int], *, today: date | None = None
) -> dict[int, tuple[Sponsorship, HealthReport]]:
    """Our active executive sponsorship of each alliance that has one, with its health,
    in four queries whatever the number of alliances (the decision needs both)."""
    sponsorships = list(
        Sponsorship.objects.active(today)
        .filter(
            alliance_id__in=list(alliance_ids),
            side=Sponsorship.Side.OURS,
            role=Sponsorship.Role.EXECUTIVE_SPONSOR,
        )
        .select_related("sponsor")
    )
    healths = sponsorship_healths(sponsorships, today=today)
    return {s.alliance_id: (s, healths[s.pk]) for s in sponsorships}


def brief_sponsor_overview(alliance: Alliance) -> SponsorOverview:
    """The overview as nobody in particular reads it, for the PDF brief that every
    team member may download: no sensitive text, no names of other alliances."""
    return sponsor_overview(alliance, user=AnonymousUser())


def sponsorships_overdue(
    sponsorships: Iterable[Sponsorship], *, today: date | None = None
) -> dict[int, tuple[str, ...]]:
    """What each sponsorship's sponsor owes (a request unanswered, an escalation open, no
    counterpart contact for over 30 days, no KPI review), by id, only those that owe
    something; two queries whatever their number."""
    sponsorships = list(sponsorships)
    if not sponsorships:
        return {}
    today = today or timezone.localdate()
    signals = _signal_facts(s.pk for s in sponsorships)
    contacts = _alliance_contacts({s.alliance_id for s in sponsorships})
    owed = {}
    for sponsorship in sponsorships:
        facts = [f for f in signals.get(sponsorship.pk, ()) if f.date <= today]
        met = contacts.get((sponsorship.alliance_id, sponsorship.sponsor_id), [])
        met = met + [f.date for f in facts if f.kind == health.MEETING and f.with_counterpart]
        items = health.overdue(
            facts,
            met,
            since=sponsorship.since,
            today=today,
            contact_after_days=health.REMIND_CONTACT_AFTER_DAYS,
        )
        if items:
            owed[sponsorship.pk] = items
    return owed


def health_history(sponsorship: Sponsorship, days: Iterable[date]) -> list[HealthReport]:
    """The sponsorship's health as it stood on each of `days`, from the signals dated up
    to that day (KPIs as they are now: they carry no date), in three queries."""
    signals = _signal_facts([sponsorship.pk])
    kpis = _kpi_facts([sponsorship.alliance_id])
    contacts = _alliance_contacts([sponsorship.alliance_id])
    return [_health(sponsorship, signals, kpis, contacts, day) for day in days]
