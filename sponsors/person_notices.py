"""Who hears of what happens to a person's shared record, and in which words.

A person's details show on every alliance they sponsor, so the person and the managers
of those alliances hear when someone adds them to another alliance or proposes a change
to them. Nobody learns of a confidential alliance outside its team: a notice names the
alliance (and who acted on it) only to those who may see it, and says "another alliance"
to the others. Called by sponsors/services.py inside its transactions.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from alliances.models import Alliance, Membership
from kit.people import display_name
from notifications.models import Kind
from notifications.services import notify
from sponsors.access import may_edit_person
from sponsors.models import Sponsor, SponsorChangeProposal, Sponsorship

User = get_user_model()


def _managers_of(alliance_ids) -> list:
    rows = Membership.objects.filter(
        alliance_id__in=list(alliance_ids), role=Membership.Role.MANAGER
    ).select_related("user")
    return list({m.user_id: m.user for m in rows}.values())


def people_around(sponsor: Sponsor, *, except_alliance: Alliance | None = None) -> list:
    """The person (when linked to an account) and the managers of every alliance they
    sponsor or sponsored, but `except_alliance`."""
    alliance_ids = set(
        Sponsorship.objects.filter(sponsor_id=sponsor.pk).values_list("alliance_id", flat=True)
    )
    if except_alliance is not None:
        alliance_ids.discard(except_alliance.pk)
    people = _managers_of(alliance_ids)
    if sponsor.user_id and sponsor.user_id not in {u.pk for u in people}:
        people.append(User.objects.get(pk=sponsor.user_id))
    return people


def added_to_alliance(sponsorship: Sponsorship, *, by) -> None:
    """An existing person was added as a sponsor of one more alliance."""
    sponsor, alliance = sponsorship.sponsor, sponsorship.alliance
    url = reverse("sponsors:profile", args=[sponsor.pk])
    # alliances.access.can_see, for other users than the one `alliance` was loaded for
    # (its `my_role` is the actor's).
    team = set(Membership.objects.filter(alliance_id=alliance.pk).values_list("user_id", flat=True))
    for person in people_around(sponsor, except_alliance=alliance):
        if person.pk == by.pk:
            continue
        yourself = person.pk == sponsor.user_id
        if person.is_superuser or not alliance.is_confidential or person.pk in team:
            words = {"who": display_name(by), "name": sponsor.name, "alliance": alliance.name}
            title = (
                _("%(who)s added you as a sponsor of %(alliance)s") % words
                if yourself
                else _("%(who)s added %(name)s as a sponsor of %(alliance)s") % words
            )
            # The alliance goes on the notification: an e-mail about a confidential
            # one never names it (notifications/emails.py).
            notify(
                Kind.SPONSOR_ADDED,
                alliance=alliance,
                recipients=[person],
                title=title,
                url=url,
                by=by,
            )
        else:
            title = (
                _("You were added as a sponsor of another alliance")
                if yourself
                else _("%(name)s was added as a sponsor of another alliance")
                % {"name": sponsor.name}
            )
            # Neither the alliance nor who added them: both would say who is on its team.
            notify(Kind.SPONSOR_ADDED, alliance=None, recipients=[person], title=title, url=url)


def _changes_text(proposal: SponsorChangeProposal) -> str:
    return "\n".join(
        _("%(field)s: “%(now)s” → “%(new)s”")
        % {"field": label, "now": now or "—", "new": new or "—"}
        for label, now, new in proposal.changes()
    )


def change_proposed(proposal: SponsorChangeProposal, *, by) -> None:
    """Those who may decide hear of it, and the other managers of the person's alliances
    (the details show on theirs too). Superusers hear of it only when nobody else may
    decide."""
    sponsor = proposal.sponsor
    people = [p for p in people_around(sponsor) if p.pk != by.pk]
    if not any(may_edit_person(p, sponsor) for p in people):
        people += list(User.objects.filter(is_superuser=True, is_active=True))
    body = _changes_text(proposal)
    if proposal.note:
        body += "\n" + _("Why: %(note)s") % {"note": proposal.note}
    notify(
        Kind.PERSON_CHANGE_PROPOSED,
        alliance=None,
        recipients=people,
        title=_("%(who)s proposes a change to the details of %(name)s")
        % {"who": display_name(by), "name": sponsor.name},
        body=body,
        url=reverse("sponsors:profile", args=[sponsor.pk]) + "#proposals",
        by=by,
    )


def change_decided(proposal: SponsorChangeProposal, *, by) -> None:
    """The proposer hears whether their change was made."""
    words = {"who": display_name(by), "name": proposal.sponsor.name}
    title = (
        _("%(who)s accepted your change to the details of %(name)s") % words
        if proposal.state == SponsorChangeProposal.State.ACCEPTED
        else _("%(who)s declined your change to the details of %(name)s") % words
    )
    notify(
        Kind.PERSON_CHANGE_DECIDED,
        alliance=None,
        recipients=[proposal.proposed_by],
        title=title,
        url=reverse("sponsors:profile", args=[proposal.sponsor_id]),
        by=by,
    )
