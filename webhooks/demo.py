"""Demo webhook endpoint: an inactive one for Cobalt's events, with one delivery in its
log, so the pages have content. Made directly, not by `endpoint_save`: the demo runs
without a network, and example.com's address could not be checked. Inactive, it is
never sent anything."""

from alliances.demo import Demo
from webhooks import signing
from webhooks.models import Delivery, Endpoint

URL = "https://hooks.example.com/alliance-readiness"
COBALT = "cobalt-cloud-co-sell"


def seed(demo: Demo) -> list[str]:
    cobalt = demo.alliances[COBALT]
    endpoint, created = Endpoint.objects.get_or_create(
        url=URL,
        defaults=dict(
            description="CRM sync (demo)",
            events=["decision.changed", "brief.ready"],
            scope=Endpoint.Scope.LISTED,
            secret=signing.new_secret(),
            is_active=False,
            created_by=demo.users["admin"],
        ),
    )
    if created:
        endpoint.alliances.set([cobalt])
        Delivery.objects.create(
            endpoint=endpoint,
            event_type="brief.ready",
            webhook_id=signing.new_message_id(),
            payload={"type": "brief.ready", "data": {"alliance_id": cobalt.pk}},
            status=Delivery.Status.FAILED,
            attempts=1,
            last_error="Could not connect: ConnectionError",
        )
    return ["Webhooks: an inactive endpoint for Cobalt's decision and briefs (admin)."]
