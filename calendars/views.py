"""The calendar feed: its owner's page (create, rotate, revoke) and the feed itself.

The feed's address is the credential: calendars fetch it without a session, so it needs
no log-in, and it is looked up by its hash on every fetch. An unknown, rotated or revoked
address is a 404 (counted against the client's address, like a partner link's); the
answers are private (`Cache-Control: no-store`, `Referrer-Policy: no-referrer`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from alliances.access import my_team_alliances
from calendars import selectors, services
from calendars.ical import feed_ics
from calendars.models import CalendarFeed
from kit.people import display_name, preferred_language
from kit.secret_links import Throttle
from kit.site_url import absolute_url, site_origin

# Guessed addresses are counted per client address, with the partner links' limits.
FEED_THROTTLE = Throttle(
    "calendar-feed", "PARTNER_LINK_FAILURE_LIMIT", "PARTNER_LINK_FAILURE_WINDOW_SECONDS"
)


def _private(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


# ---------------------------------------------------------------- the owner's page


def feed_addresses(request, token: str) -> dict:
    """The personal address of `token` and one per alliance of the user's teams."""
    personal = absolute_url(reverse("calendars:feed", args=[token]), request)
    alliances = [
        (a.name, absolute_url(reverse("calendars:alliance_feed", args=[token, a.slug]), request))
        for a in my_team_alliances(request.user).order_by("name")
    ]
    return {"new_address": personal, "alliance_addresses": alliances}


class FeedSettingsView(TemplateView):
    """The page of the user's feed; a POST makes it (its address shown once)."""

    template_name = "calendars/settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["feed"] = CalendarFeed.objects.filter(user=self.request.user).first()
        return context

    def show_new_address(self, made: services.NewAddress, message: str):
        # Shown on this response only: the address is never stored, only its hash.
        messages.success(self.request, message)
        response = self.render_to_response(
            self.get_context_data(**feed_addresses(self.request, made.token))
        )
        return _private(response)

    def post(self, request, *args, **kwargs):
        try:
            made = services.feed_create(by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return self.render_to_response(self.get_context_data(), status=400)
        return self.show_new_address(
            made, _("Calendar feed created. Copy its address now: it is shown only once.")
        )


class FeedChangeView(FeedSettingsView):
    """Asks first, then changes the user's feed; there is none to change: a 404."""

    template_name = "calendars/confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not CalendarFeed.objects.filter(user=request.user.pk).exists():
            raise Http404(_("You have no calendar feed."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = reverse("calendars:settings")
        return context


class FeedRotateView(FeedChangeView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=_("Give your calendar feed a new address?"),
            text=_(
                "The current address stops working at once: calendars subscribed to it "
                "must be given the new one."
            ),
            confirm_label=_("Rotate"),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            made = services.feed_rotate(by=request.user)
        except ValidationError as exc:  # revoked in another tab meanwhile
            messages.error(request, exc.messages[0])
            return redirect("calendars:settings")
        self.template_name = FeedSettingsView.template_name
        return self.show_new_address(
            made, _("New address made; the old one no longer works. Copy it now.")
        )


class FeedRevokeView(FeedChangeView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=_("Revoke your calendar feed?"),
            text=_("Its address stops working at once, in every calendar subscribed to it."),
            confirm_label=_("Revoke"),
        )
        return context

    def post(self, request, *args, **kwargs):
        services.feed_revoke(by=request.user)
        messages.success(request, _("Calendar feed revoked."))
        return redirect("calendars:settings")


# ---------------------------------------------------------------- the feed


def _not_found(text: str, status: int = 404):
    return _private(HttpResponse(text, status=status, content_type="text/plain; charset=utf-8"))


@method_decorator(login_not_required, name="dispatch")
class PersonalFeedView(View):
    """The feed of the address's owner, whoever fetches it (the address is the key)."""

    http_method_names = ["get", "head"]

    def get(self, request, token, **kwargs):
        feed = selectors.feed_for_token(token)
        # A valid address is always served: only wrong ones are counted and refused.
        if feed is None and FEED_THROTTLE.is_over(request):
            return _not_found(_("Too many wrong calendar addresses from your address."), 429)
        if feed is None:
            FEED_THROTTLE.record_failure(request)
            return _not_found(_("No such calendar feed: it was revoked or given a new address."))
        owner = feed.user
        link = lambda path: absolute_url(path, request)  # noqa: E731
        with translation.override(preferred_language(owner) or settings.LANGUAGE_CODE):
            found = self.entries(owner, link, **kwargs)
            if found is None:
                return _not_found(_("No such calendar feed."))
            name, entries = found
            body = feed_ics(entries, name=name, host=urlsplit(site_origin(request)).hostname)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="alliance-readiness.ics"'
        response["X-Robots-Tag"] = "noindex"
        return _private(response)

    def entries(self, owner, link):
        name = _("Alliance Readiness: %(name)s") % {"name": display_name(owner)}
        return name, selectors.personal_entries(owner, link)


class AllianceFeedView(PersonalFeedView):
    """One alliance's feed for its team: a 404 when the address's owner is not on it."""

    def entries(self, owner, link, slug):
        alliance = selectors.team_alliance(owner, slug)
        if alliance is None:
            return None
        name = _("Alliance Readiness: %(alliance)s") % {"alliance": alliance.name}
        return name, selectors.alliance_entries(alliance, link)
