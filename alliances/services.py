"""Writes to the alliance register: one transaction per action, taken by a user whose
right to it alliances/access.py checks, recorded in the history as theirs."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliances import kpi_csv, names
from alliances.access import (
    Action,
    can_edit_organisation,
    can_register_alliances,
    ensure_can,
)
from alliances.models import KPI, Alliance, Invitation, KPIActual, Membership, Organisation
from alliances.signals import decision_inputs_changed_on
from kit.mail import MailState, mail_queue, mail_states
from kit.people import display_name
from kit.secret_links import expiry, new_secret, secret_hash
from kit.site_url import absolute_url
from kit.texts import in_sentence

User = get_user_model()


SYSTEM_USERNAME = "system"


@transaction.atomic
def system_user() -> User:
    """The account that management commands act as: a superuser nobody can log in as,
    so the history says "system" rather than nothing."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults=dict(first_name="System", is_superuser=True, is_active=False),
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def as_done_by(instance, by):
    """Name `by` in the history row the next save writes (requests name the user
    themselves; commands and workers have no request)."""
    instance._history_user = by
    return instance


def _save_unique(instance, errors: dict):
    """Save, turning a race on a unique constraint into a form-level error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(errors) from exc
    return instance


def _alliance_name_free(alliance: Alliance, by: User, *, was: str = "") -> None:
    """Refuse a name that an alliance `by` may see already bears (alliances/names.py):
    one they may not see does not count, so the refusal reveals nothing."""
    if names.visible_alliance_named(by, alliance.name, pk=alliance.pk, was=was) is not None:
        raise ValidationError({"name": _("An alliance with this name already exists.")})


@transaction.atomic
def alliance_create(
    *, alliance: Alliance, by: User, slug: str = "", new_partner: Organisation | None = None
) -> Alliance:
    """Register an unsaved alliance; `by`, its creator, becomes its first manager. Its
    slug is new_alliance_slug's (alliances/names.py), unless `slug` is given: the demo
    keeps the fixed slugs its links and tests use.

    With `new_partner`, an unsaved organisation, it is registered as the alliance's
    partner in the same transaction (organisation_save's rules): if the alliance is then
    refused, the organisation is not kept either. Its errors name `new_partner_<field>`,
    so a form that shows both records puts each message on the right one."""
    if not can_register_alliances(by):
        raise PermissionDenied(_("Only alliance managers can register alliances and partners."))
    if new_partner is not None:
        try:
            alliance.partner = organisation_save(organisation=new_partner, by=by)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError(
                {f"new_partner_{field}": errors for field, errors in exc.error_dict.items()}
            ) from exc
    _alliance_name_free(alliance, by)
    alliance.slug = slug or names.new_alliance_slug(alliance.name)
    alliance.created_by = by
    _save_unique(
        as_done_by(alliance, by), {"name": _("An alliance with this name already exists.")}
    )
    membership = Membership(alliance=alliance, user=by, role=Membership.Role.MANAGER)
    as_done_by(membership, by).save()
    return alliance


@transaction.atomic
def alliance_update(*, alliance: Alliance, by: User) -> Alliance:
    ensure_can(by, Action.EDIT, alliance)
    was = Alliance.objects.filter(pk=alliance.pk).values_list("name", flat=True).first()
    _alliance_name_free(alliance, by, was=was or "")
    # The one constraint left on names: open alliances, which everyone sees (models.py).
    message = _("An open alliance already has this name: rename this one first.")
    return _save_unique(as_done_by(alliance, by), {"name": message})


@transaction.atomic
def alliance_set_archived(*, alliance: Alliance, archived: bool, by: User) -> Alliance:
    ensure_can(by, Action.EDIT if archived else Action.RESTORE, alliance)
    alliance.is_archived = archived
    as_done_by(alliance, by).save(update_fields=["is_archived", "updated_at"])
    return alliance


@transaction.atomic
def membership_add(*, alliance: Alliance, member: User, role: str, by: User) -> Membership:
    """Put `member` on the alliance's team as `role`, added by `by`."""
    ensure_can(by, Action.MANAGE_TEAM, alliance)
    if Membership.objects.filter(alliance=alliance, user=member).exists():
        raise ValidationError(
            _("%(name)s is already on this alliance's team.") % {"name": display_name(member)}
        )
    membership = Membership(alliance=alliance, user=member, role=role)
    as_done_by(membership, by).save()
    return membership


def _ensure_another_manager(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(alliance_id=membership.alliance_id, role=Membership.Role.MANAGER)
        .exclude(pk=membership.pk)
    )
    if not list(others):
        raise ValidationError(
            _("An alliance needs at least one manager: make someone else manager first.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    ensure_can(by, Action.MANAGE_TEAM, membership.alliance)
    if membership.role == Membership.Role.MANAGER and role != Membership.Role.MANAGER:
        _ensure_another_manager(membership)
    membership.role = role
    as_done_by(membership, by).save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    ensure_can(by, Action.MANAGE_TEAM, membership.alliance)
    if membership.role == Membership.Role.MANAGER:
        _ensure_another_manager(membership)
    as_done_by(membership, by).delete()


@transaction.atomic
def organisation_save(*, organisation: Organisation, by: User) -> Organisation:
    """Register or edit an organisation as `by` (alliances/access.py says who may).
    Which organisation is ours is an administrator's decision, and there is one."""
    stored = None
    if organisation.pk:
        stored = Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if stored is not None and not can_edit_organisation(by, stored):
        raise PermissionDenied(_("You may not edit this organisation."))
    if stored is None and not can_register_alliances(by):
        raise PermissionDenied(_("Only alliance managers can register organisations."))
    was_own = stored.is_own if stored else False
    if organisation.is_own != was_own and not by.is_superuser:
        raise PermissionDenied(_("Only an administrator can say which organisation is ours."))
    if organisation.is_own:
        ours = Organisation.objects.filter(is_own=True).exclude(pk=organisation.pk).first()
        if ours is not None:
            raise ValidationError(
                {"is_own": _("%(name)s is already our organisation.") % {"name": ours}}
            )
    # Unique among the organisations `by` may see (alliances/names.py): one known only
    # from hidden alliances does not count, and a separate record is made.
    was = stored.name if stored else ""
    if names.visible_organisation_named(by, organisation.name, pk=organisation.pk, was=was):
        raise ValidationError(
            {"name": _("An organisation with this name already exists: pick it from the list.")}
        )
    if stored is None:
        organisation.created_by = by
    # The one constraint left to race on: a single organisation of ours.
    ours = _("Another organisation is already ours: there is one.")
    return _save_unique(organisation, {"is_own": ours})


@transaction.atomic
def kpi_save(*, kpi: KPI, by: User) -> KPI:
    ensure_can(by, Action.EDIT, kpi.alliance)
    kpi.full_clean()
    as_done_by(kpi, by).save()
    decision_inputs_changed_on(kpi.alliance, by)
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: KPI, by: User) -> None:
    ensure_can(by, Action.EDIT, kpi.alliance)
    as_done_by(kpi, by).delete()
    decision_inputs_changed_on(kpi.alliance, by)


class IdempotencyConflict(Exception):
    """The idempotency key was used before by the same user for a different request."""


# Where the actuals of an uploaded file say they came from.
CSV_SOURCE = "CSV upload"
# A file with more faults lists these first (a wrong file can have thousands).
IMPORT_FAULTS_SHOWN = 50


def _same_request(actual: KPIActual, *, kpi: KPI, value, on, source: str) -> bool:
    return (actual.kpi_id, actual.value, actual.on, actual.source) == (
        kpi.pk,
        Decimal(value),
        on,
        source,
    )


def _replayed(actual: KPIActual, **request) -> KPIActual:
    if not _same_request(actual, **request):
        raise IdempotencyConflict(
            _(
                "This Idempotency-Key was already used for a different actual: send a new "
                "key for a new value, or the same body to repeat the first request."
            )
        )
    return actual


def _earlier_with_key(by: User, key: str) -> KPIActual | None:
    return KPIActual.objects.filter(created_by=by, idempotency_key=key).first()


def _latest_actual_set(*, kpi: KPI, added: set[int], by: User) -> bool:
    """Make the KPI's `actual` the latest reported one (by day, then entry) when that is
    one just added: a value back-filled for an earlier day leaves a later one (or a
    manager's own figure) in place. Whether the KPI's actual changed."""
    latest = kpi.actuals.order_by("-on", "-created_at", "-pk").values("pk", "value").first()
    if latest is None or latest["pk"] not in added or kpi.actual == latest["value"]:
        return False
    kpi.actual = latest["value"]
    as_done_by(kpi, by).save(update_fields=["actual"])
    return True


@transaction.atomic
def kpi_actual_add(
    *,
    kpi: KPI,
    value: Decimal,
    on: date,
    source: str,
    by: User,
    idempotency_key: str | None = None,
) -> tuple[KPIActual, bool]:
    """Record a reported value of `kpi` for the day `on`, from `source`; the KPI's actual
    becomes it when it is the latest. Returns (the actual, whether it is new).

    With an `idempotency_key` (a client's, unique per user), the same request sent again
    returns the first one's actual, not a second; the key sent with a different request
    raises IdempotencyConflict."""
    ensure_can(by, Action.EDIT, kpi.alliance)
    source = (source or "").strip()
    request = dict(kpi=kpi, value=value, on=on, source=source)
    if idempotency_key is not None:
        earlier = _earlier_with_key(by, idempotency_key)
        if earlier is not None:
            return _replayed(earlier, **request), False
    # One writer per KPI at a time, so "the latest" is read after the other's insert.
    KPI.objects.select_for_update().filter(pk=kpi.pk).first()
    actual = KPIActual(
        kpi=kpi,
        value=value,
        on=on,
        source=source,
        idempotency_key=idempotency_key,
        created_by=by,
    )
    actual.full_clean(exclude=["kpi", "created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            actual.save()
    except IntegrityError:
        # The same key's first request committed while this one ran.
        earlier = _earlier_with_key(by, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return _replayed(earlier, **request), False
    if _latest_actual_set(kpi=kpi, added={actual.pk}, by=by):
        decision_inputs_changed_on(kpi.alliance, by)
    return actual, True


def _kpi_named(kpis: list[KPI], name: str) -> KPI | str:
    """The alliance's KPI a file names, by its name or as shown, “name (period)”."""
    wanted = name.casefold()
    shown = [k for k in kpis if str(k).casefold() == wanted]
    named = shown or [k for k in kpis if k.name.casefold() == wanted]
    if len(named) == 1:
        return named[0]
    if not named:
        return _("This alliance has no KPI named “%(name)s”.") % {"name": name}
    return _("Several KPIs are named “%(name)s”: write it with its period, e.g. “%(example)s”.") % {
        "name": name,
        "example": str(named[0]),
    }


@transaction.atomic
def kpi_actuals_import(*, alliance: Alliance, text: str, by: User) -> int:
    """Add the actuals of a CSV file (alliances/kpi_csv.py) to the alliance's KPIs, all or
    none: any faulty row (its alliance is not this one, its KPI unknown, its date or value
    unreadable) refuses the whole file with every fault by line. Returns the rows added."""
    ensure_can(by, Action.EDIT, alliance)
    rows, faults = kpi_csv.parse_actuals(text)
    errors = [(fault.line, str(fault)) for fault in faults]
    kpis = list(KPI.objects.select_for_update().filter(alliance=alliance))
    ours = {alliance.slug.casefold(), alliance.name.casefold()}
    resolved = []
    for row in rows:
        fault = ""
        if row.alliance and row.alliance.casefold() not in ours:
            fault = _(
                "“%(named)s” is not this alliance (%(name)s): upload each alliance's actuals "
                "on its own page."
            ) % {"named": row.alliance, "name": alliance.name}
        kpi = _kpi_named(kpis, row.kpi) if row.kpi else None
        if isinstance(kpi, str):
            fault = f"{fault} {kpi}".strip()
        if fault:
            errors.append((row.line, str(kpi_csv.LineError(row.line, fault))))
        elif kpi is not None and row.on is not None and row.value is not None:
            resolved.append((row, kpi))
    if errors:
        errors.sort(key=lambda error: error[0])  # stable: a line's faults in reading order
        messages = [message for _line, message in errors[:IMPORT_FAULTS_SHOWN]]
        if len(errors) > IMPORT_FAULTS_SHOWN:
            more = len(errors) - IMPORT_FAULTS_SHOWN
            messages.append(
                ngettext("… and %(count)d more fault.", "… and %(count)d more faults.", more)
                % {"count": more}
            )
        raise ValidationError(messages)
    added: dict[KPI, set[int]] = {}
    for row, kpi in resolved:
        kpi.alliance = alliance
        actual = KPIActual.objects.create(
            kpi=kpi, value=row.value, on=row.on, source=CSV_SOURCE, created_by=by
        )
        added.setdefault(kpi, set()).add(actual.pk)
    changed = [_latest_actual_set(kpi=kpi, added=pks, by=by) for kpi, pks in added.items()]
    if any(changed):
        decision_inputs_changed_on(alliance, by)
    return len(resolved)


INVITATION_DAYS = 7
# What the mail path calls an invitation's e-mail (kit.mail `purpose`).
INVITATION_MAIL = "team_invitation"


class InvitationInvalid(Exception):
    """A link that cannot be used: `status` is the HTTP status its page answers with."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def invitation_link(token: str) -> str:
    return absolute_url(reverse("alliances:invitation", args=[token]))


@transaction.atomic
def invitation_send(*, alliance: Alliance, email: str, role: str, by: User) -> Invitation:
    """Invite someone without an account to the team: an e-mail (queued on the mail path,
    sent by a worker after commit) with a single-use link valid for `INVITATION_DAYS`
    days. Only its hash is stored."""
    ensure_can(by, Action.MANAGE_TEAM, alliance)
    email = User.objects.normalize_email(email).strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ValidationError(
            {"email": _("This person already has an account: add them to the team by name.")}
        )
    token = new_secret()
    invitation = Invitation.objects.create(
        alliance=alliance,
        email=email,
        role=role,
        token_sha256=secret_hash(token),
        invited_by=by,
        expires_at=expiry(INVITATION_DAYS),
    )
    # A confidential alliance is not named in a mail that may be forwarded or misaddressed.
    where = (
        _("a confidential alliance")
        if alliance.is_confidential
        else _("the alliance “%(name)s”") % {"name": alliance.name}
    )
    subject = _("%(who)s invites you to %(where)s on Alliance Readiness") % {
        "who": display_name(by),
        "where": where,
    }
    body = _(
        "%(who)s invites you to join the team of %(where)s as %(role)s.\n\n"
        "Open this link to choose your password (valid for %(days)d days, once):\n%(link)s\n"
    ) % {
        "who": display_name(by),
        "where": where,
        "role": in_sentence(Membership.Role(role).label),
        "days": INVITATION_DAYS,
        "link": invitation_link(token),
    }
    mail_queue(
        to=[email], subject=subject, body=body, purpose=INVITATION_MAIL, object_id=invitation.pk
    )
    return invitation


def invitations_pending(alliance: Alliance) -> list[Invitation]:
    """The alliance's invitations neither accepted nor expired, newest first, each with
    `mail`: where its e-mail stands (a kit.mail.MailState, or None). 2 queries."""
    invitations = list(
        alliance.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
    )
    states: dict[str, MailState] = mail_states(
        purpose=INVITATION_MAIL, object_ids=[i.pk for i in invitations]
    )
    for invitation in invitations:
        invitation.mail = states.get(str(invitation.pk))
    return invitations


def invitation_by_token(token: str, *, for_update: bool = False) -> Invitation:
    """The usable invitation of a link, or InvitationInvalid saying why not."""
    invitations = Invitation.objects.select_related("alliance")
    if for_update:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(token_sha256=secret_hash(token)).first()
    if invitation is None:
        raise InvitationInvalid(
            _("This invitation link is not valid. Check that you copied all of it."), 404
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid(
            _("This invitation has already been used. Log in with the account it made."), 410
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _("This invitation has expired. Ask the alliance manager for a new one."), 410
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, first_name: str, last_name: str, password: str
) -> tuple[User, Invitation]:
    """Make the invitee's account and membership; the link is then spent."""
    invitation = invitation_by_token(token, for_update=True)
    email = invitation.email
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email[:150])).exists():
        raise InvitationInvalid(
            _("An account with this e-mail address already exists: log in instead."), 409
        )
    user = User.objects.create_user(
        username=email[:150],
        email=email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    membership = Membership(alliance=invitation.alliance, user=user, role=invitation.role)
    as_done_by(membership, invitation.invited_by or user).save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user, invitation
