from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from django.views.generic.edit import FormView

from alliances.access import visible_alliances
from notifications import services
from notifications.forms import PreferencesForm
from notifications.models import DeliveryPreference, Notification

PAGE_SIZE = 25


def my_notifications(user):
    """The user's notifications of alliances they may still see (or of none)."""
    return Notification.objects.filter(recipient=user).filter(
        Q(alliance__isnull=True) | Q(alliance__in=visible_alliances(user).values("pk"))
    )


def own_notification(request, pk) -> Notification:
    """The user's notification, or 404: someone else's does not exist for them."""
    return get_object_or_404(my_notifications(request.user), pk=pk)


class NotificationListView(ListView):
    template_name = "notifications/notification_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "notifications"

    def get_queryset(self):
        return my_notifications(self.request.user).select_related("alliance", "actor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = (
            my_notifications(self.request.user).filter(read_at__isnull=True).count()
        )
        return context


def _target(notification: Notification) -> str:
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return notification.url
    return "notifications:list"


class NotificationOpenView(View):
    """Follow a notification to its page; opening it marks it read (links in e-mails)."""

    def get(self, request, pk):
        notification = own_notification(request, pk)
        services.notification_mark_read(notification=notification, by=request.user)
        return redirect(_target(notification))


class NotificationReadView(View):
    def post(self, request, pk):
        notification = own_notification(request, pk)
        services.notification_mark_read(notification=notification, by=request.user)
        return redirect("notifications:list")


class NotificationReadAllView(View):
    def post(self, request):
        count = services.notifications_mark_all_read(by=request.user)
        messages.success(request, _("%(count)d marked read.") % {"count": count})
        return redirect("notifications:list")


class PreferencesView(FormView):
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        current = dict(
            DeliveryPreference.objects.filter(user=self.request.user).values_list(
                "kind", "delivery"
            )
        )
        return {**super().get_form_kwargs(), "current": current}

    def form_valid(self, form):
        services.preferences_save(by=self.request.user, choices=form.cleaned_data)
        messages.success(self.request, _("Your e-mail choices are saved."))
        return redirect("notifications:preferences")
