"""Every write is a service taken by a user: the service checks the right itself (so
views, commands and scripts cannot skip it) and the history names who did it."""

import ast
import inspect
import pkgutil
import textwrap
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import URLResolver, get_resolver

from alliances import services as alliance_services
from alliances.models import KPI, Membership
from sponsors import services as sponsor_services
from sponsors.models import PeerLink, Signal, Sponsorship
from tests.factories import UserFactory
from tests.sponsor_factories import (
    PartnerSponsorshipFactory,
    SponsorshipFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def test_a_manager_edits_the_alliance_and_the_history_names_them(open_team):
    alliance, manager = open_team.alliance, open_team.users["manager"]
    alliance.objectives = "Win the public sector"
    alliance_services.alliance_update(alliance=alliance, by=manager)
    latest = alliance.history.latest()
    assert (latest.objectives, latest.history_user) == ("Win the public sector", manager)


@pytest.mark.parametrize("role", ["viewer", "contributor", "executive", "outsider"])
def test_only_managers_edit_an_alliance_or_its_kpis(open_team, role):
    alliance, user = open_team.alliance, open_team.users[role]
    alliance.name = "Renamed"
    with pytest.raises(PermissionDenied):
        alliance_services.alliance_update(alliance=alliance, by=user)
    kpi = KPI(alliance=alliance, category="revenue", name="ARR", target=10, period="FY26")
    with pytest.raises(PermissionDenied):
        alliance_services.kpi_save(kpi=kpi, by=user)
    assert not KPI.objects.filter(name="ARR").exists()


def test_a_kpi_edit_is_saved_and_recorded(open_team):
    kpi = open_team.alliance.kpis.get()
    kpi.actual = Decimal("42")
    alliance_services.kpi_save(kpi=kpi, by=open_team.users["manager"])
    assert KPI.objects.get(pk=kpi.pk).actual == Decimal("42")
    assert kpi.history.latest().history_user == open_team.users["manager"]


def test_team_changes_need_the_right_to_manage_the_team(open_team):
    newcomer = UserFactory(username="newcomer")
    with pytest.raises(PermissionDenied):
        alliance_services.membership_add(
            alliance=open_team.alliance,
            member=newcomer,
            role="viewer",
            by=open_team.users["viewer"],
        )
    viewer = open_team.member("viewer")
    with pytest.raises(PermissionDenied):
        alliance_services.membership_remove(membership=viewer, by=open_team.users["contributor"])
    alliance_services.membership_add(
        alliance=open_team.alliance,
        member=newcomer,
        role="viewer",
        by=open_team.users["manager"],
    )
    added = Membership.objects.get(user=newcomer)
    assert added.history.latest().history_user == open_team.users["manager"]


def test_sponsor_writes_check_the_right_and_record_the_user(open_team):
    alliance = open_team.alliance
    ours = SponsorshipFactory(alliance=alliance)
    theirs = PartnerSponsorshipFactory(alliance=alliance)
    contributor, manager = open_team.users["contributor"], open_team.users["manager"]

    ours.motive_corporate = "Changed by someone who may not"
    with pytest.raises(PermissionDenied):
        sponsor_services.sponsorship_update(sponsorship=ours, by=contributor)
    with pytest.raises(PermissionDenied):
        sponsor_services.peer_link_save(
            link=PeerLink(alliance=alliance, ours=ours.sponsor, theirs=theirs.sponsor),
            by=contributor,
        )
    with pytest.raises(PermissionDenied):
        sponsor_services.signal_record(
            signal=Signal(sponsorship=ours, kind="kpi_review", date=days_ago(1)),
            by=open_team.users["viewer"],
        )
    signal = sponsor_services.signal_record(
        signal=Signal(sponsorship=ours, kind="kpi_review", date=days_ago(1)),
        by=contributor,
    )
    assert signal.history.latest().history_user == contributor
    ours.motive_corporate = "Growth in the public sector"
    sponsor_services.sponsorship_update(sponsorship=ours, by=manager)
    assert Sponsorship.objects.get(pk=ours.pk).history.latest().history_user == manager


# --- One way to name the actor, one place for writes -------------------------------
# The tests below read the code rather than run it: they keep the conventions of
# STYLE.md ("services are transactions", "views are thin") from drifting back.

# What the acting user used to be called before it was `by` everywhere.
ACTOR_NAMES = {"user", "creator", "actor", "requested_by", "recorded_by", "created_by", "who"}
# Modules beside the `services` ones whose functions write for their callers.
OTHER_SERVICE_MODULES = ["decisions.recheck"]
# ORM writes, called on a model instance, a manager or a queryset.
ORM_WRITES = {
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}


def _our_apps() -> list:
    """The project's own apps: the folders beside manage.py."""
    base = Path(settings.BASE_DIR)
    return [config for config in apps.get_app_configs() if Path(config.path).parent == base]


def _is_ours(module_name: str) -> bool:
    return module_name.split(".")[0] in {config.name for config in _our_apps()}


def _service_modules() -> list[ModuleType]:
    names = list(OTHER_SERVICE_MODULES)
    for config in _our_apps():
        package = import_module(config.name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
            if info.name.rsplit(".", 1)[-1] == "services":
                names.append(info.name)
    return [import_module(name) for name in sorted(set(names))]


def _public_functions(module: ModuleType):
    for name, function in inspect.getmembers(module, inspect.isfunction):
        function = inspect.unwrap(function)
        if not name.startswith("_") and function.__module__ == module.__name__:
            yield name, function


def _tree(function) -> ast.FunctionDef:
    return ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]


def _names_atomic(node: ast.AST) -> bool:
    """`transaction.atomic` or `atomic`, called or as a decorator."""
    return isinstance(node, ast.Attribute | ast.Name) and "atomic" in (
        getattr(node, "attr", None),
        getattr(node, "id", None),
    )


def _opens_a_transaction(tree: ast.AST) -> bool:
    """`@transaction.atomic` on it or `transaction.atomic(...)` in it."""
    return any(_names_atomic(node) for node in ast.walk(tree))


def _orm_writes(tree: ast.AST) -> list[str]:
    return [
        f"line {node.lineno}: .{node.func.attr}("
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ORM_WRITES
    ]


def test_the_service_modules_are_found():
    found = {module.__name__ for module in _service_modules()}
    assert {"alliances.services", "sponsors.services", "decisions.recheck"} <= found
    assert {"briefs.services", "api.services", "accounts.services"} <= found


def test_every_service_names_the_acting_user_by_and_only_by_keyword():
    wrong = []
    for module in _service_modules():
        for name, function in _public_functions(module):
            parameters = inspect.signature(function).parameters
            tree = _tree(function)
            # A question about a user (may they…?) names the user it asks about.
            asks = tree.returns is not None and ast.unparse(tree.returns) == "bool"
            if asks and not _opens_a_transaction(tree):
                continue
            actors = ACTOR_NAMES & set(parameters)
            if actors:
                wrong.append(f"{module.__name__}.{name}: {sorted(actors)} (call it `by`)")
            # Helpers that write nothing themselves (as_done_by) may take it by position.
            writes = _orm_writes(tree) or _opens_a_transaction(tree)
            by = parameters.get("by")
            if writes and by is not None and by.kind is not inspect.Parameter.KEYWORD_ONLY:
                wrong.append(f"{module.__name__}.{name}: `by` must be keyword-only")
    assert not wrong, "\n".join(wrong)


def test_every_service_that_writes_opens_its_own_transaction():
    wrong = []
    for module in _service_modules():
        for name, function in _public_functions(module):
            tree = _tree(function)
            writes = _orm_writes(tree)
            if writes and not _opens_a_transaction(tree):
                wrong.append(f"{module.__name__}.{name}: {', '.join(writes)} without atomic")
    assert not wrong, "\n".join(wrong)


def _url_callbacks(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_callbacks(pattern)
        else:
            yield pattern.callback


def _view_modules() -> set[str]:
    """Every module of ours that a URL's view (its class and their bases) comes from,
    and every admin module."""
    modules = {f"{config.name}.admin" for config in _our_apps()}
    for callback in _url_callbacks():
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        classes = view_class.__mro__ if view_class else ()
        modules.update(c.__module__ for c in classes)
        modules.add(inspect.unwrap(callback).__module__)
    return {name for name in modules if _is_ours(name) and find_spec(name) is not None}


def _writes_in_view_module(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if _names_atomic(node):
            found.append(f"line {node.lineno}: atomic")
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        if method not in ORM_WRITES:
            continue
        # A view's own hook (ServiceFormMixin.save calls a service), and the template
        # context it fills, are not the ORM.
        if isinstance(receiver, ast.Name) and receiver.id == "self":
            continue
        if method == "update" and isinstance(receiver, ast.Name) and receiver.id == "context":
            continue
        found.append(f"line {node.lineno}: .{method}(")
    return found


def test_the_view_modules_are_found():
    found = _view_modules()
    assert {"alliances.views", "api.token_views", "accounts.language", "banks.admin"} <= found


def test_no_view_writes_to_the_orm_or_opens_a_transaction():
    """Views call a service for every write: its permission check, its transaction and
    its history row are then the same for the pages, the API, commands and the demo."""
    wrong = []
    for name in sorted(_view_modules()):
        path = Path(find_spec(name).origin)
        wrong += [f"{name} {where}" for where in _writes_in_view_module(path)]
    assert not wrong, "\n".join(wrong)
