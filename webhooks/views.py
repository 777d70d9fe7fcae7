"""The webhook pages, for superusers: the endpoints, one endpoint with its secret and
delivery log, the form to register or edit one, re-keying and deleting (each confirmed
first), and replaying a delivery. Everyone else signed in gets a 403. Views are thin:
forms validate, `webhooks.services` writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, ListView, TemplateView, UpdateView, View

from alliances.views import ServiceFormMixin
from webhooks import services
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint

PAGE_SIZE = 25


class SuperuserMixin:
    def dispatch(self, request, *args, **kwargs):
        if not services.may_manage_webhooks(request.user):
            raise PermissionDenied(_("Only superusers manage webhooks."))
        return super().dispatch(request, *args, **kwargs)


class EndpointMixin(SuperuserMixin):
    def endpoint(self) -> Endpoint:
        if not hasattr(self, "_endpoint"):
            self._endpoint = get_object_or_404(Endpoint, pk=self.kwargs["pk"])
        return self._endpoint


class EndpointListView(SuperuserMixin, ListView):
    template_name = "webhooks/endpoint_list.html"
    context_object_name = "endpoints"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Endpoint.objects.prefetch_related("alliances")


class EndpointFormMixin(SuperuserMixin, ServiceFormMixin):
    model = Endpoint
    form_class = EndpointForm
    success_message = _("Webhook endpoint saved.")

    def save(self, form):
        return services.endpoint_save(
            endpoint=form.instance, alliances=form.cleaned_data["alliances"], by=self.request.user
        )

    def get_success_url(self):
        return self.object.get_absolute_url() if self.object else reverse("webhooks:list")


class EndpointCreateView(EndpointFormMixin, CreateView):
    heading = _("Register a webhook endpoint")

    def get_back(self):
        return reverse("webhooks:list"), _("Webhooks")


class EndpointUpdateView(EndpointMixin, EndpointFormMixin, UpdateView):
    heading = _("Edit the webhook endpoint")

    def get_object(self, queryset=None):
        return self.endpoint()


class EndpointDetailView(EndpointMixin, ListView):
    """The endpoint, its secret (for the receiver's configuration) and its delivery log,
    newest first."""

    template_name = "webhooks/endpoint_detail.html"
    context_object_name = "deliveries"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Delivery.objects.filter(endpoint=self.endpoint())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["endpoint"] = self.endpoint()
        context["alliances"] = self.endpoint().alliances.order_by("name")
        return context

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # The secret is on this page: no cache keeps a copy.
        response["Cache-Control"] = "no-store"
        return response


class ConfirmView(EndpointMixin, TemplateView):
    """GET asks, POST does: the page names the endpoint and what will happen."""

    template_name = "webhooks/endpoint_confirm.html"
    http_method_names = ["get", "post"]
    heading = text = confirm_label = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoint = self.endpoint()
        context.update(
            heading=self.heading % {"url": endpoint.url},
            text=self.text,
            confirm_label=self.confirm_label,
            back_url=endpoint.get_absolute_url(),
        )
        return context


class EndpointRotateView(ConfirmView):
    heading = _("Give %(url)s a new secret?")
    text = _(
        "The current secret stops working at once: the receiving system must be given the "
        "new one, or it will refuse the next webhooks."
    )
    confirm_label = _("Make a new secret")

    def post(self, request, *args, **kwargs):
        endpoint = services.endpoint_rotate_secret(endpoint=self.endpoint(), by=request.user)
        messages.success(request, _("New secret made: give it to the receiving system."))
        return redirect(endpoint)


class EndpointDeleteView(ConfirmView):
    heading = _("Delete the webhook endpoint %(url)s?")
    text = _("It receives nothing more, and its delivery log is deleted with it.")
    confirm_label = _("Delete")
    success_url = reverse_lazy("webhooks:list")

    def post(self, request, *args, **kwargs):
        endpoint = self.endpoint()
        url = endpoint.url
        services.endpoint_delete(endpoint=endpoint, by=request.user)
        messages.success(request, _("Webhook endpoint %(url)s deleted.") % {"url": url})
        return redirect(self.success_url)


class DeliveryReplayView(SuperuserMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        delivery = get_object_or_404(Delivery.objects.select_related("endpoint"), pk=kwargs["pk"])
        services.delivery_replay(delivery=delivery, by=request.user)
        messages.success(request, _("The webhook is being sent again."))
        return redirect(delivery.endpoint)
