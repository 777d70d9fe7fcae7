"""The pages no app owns: the dashboard, the My work badge, the health check and the
error pages in the site's layout."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from alliances.access import can_register_alliances, visible_alliances
from decisions.selectors import alliance_decisions
from home.my_work import my_work


@require_GET
@login_not_required
def healthz(request):
    """Liveness probe for docker-compose and load balancers."""
    return HttpResponse("ok", content_type="text/plain")


class DashboardView(TemplateView):
    template_name = "home/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = (
            visible_alliances(self.request.user)
            .filter(memberships__user=self.request.user, is_archived=False)
            .select_related("partner")
            .order_by("-updated_at")
        )
        context["my_alliances"] = mine
        context["my_work"] = my_work(self.request)
        context["can_register"] = can_register_alliances(self.request.user)
        if context["can_register"] and not mine:
            # A registrar on no team (e.g. a superuser, who sees every alliance) would
            # read "No alliances yet" while some exist: say how many they may open.
            context["others_count"] = (
                visible_alliances(self.request.user).filter(is_archived=False).count()
            )
        # Each alliance's decision by id, in a fixed number of queries.
        context["decisions"] = alliance_decisions(mine)
        return context


class MyWorkCountView(View):
    """The navigation bar's count of what needs the user (loaded after the page)."""

    def get(self, request):
        return TemplateResponse(
            request, "home/_my_work_count.html", {"count": len(my_work(request))}
        )


def _error_response(request, *, status, heading, reason):
    # An htmx request gets the message alone, to show in place of the fragment it asked for.
    template = "partials/error.html" if request.headers.get("HX-Request") else f"{status}.html"
    context = {"heading": heading, "reason": reason}
    return TemplateResponse(request, template, context, status=status).render()


def bad_request(request, exception):
    """400: our parameter parser's message says what was refused (kit/params.py).
    Other bad requests (e.g. too many fields) get a general message: Django keeps the
    details of a suspicious request out of the page."""
    reason = _("The request could not be understood: check the address or the form, and try again.")
    if type(exception) is BadRequest and exception.args:
        reason = str(exception)
    return _error_response(request, status=400, heading=_("Bad request"), reason=reason)


def permission_denied(request, exception):
    """403 with its reason, e.g. “You may not edit this alliance.”"""
    reason = str(exception) if exception and str(exception) else _("You may not do this.")
    return _error_response(request, status=403, heading=_("Not allowed"), reason=reason)
