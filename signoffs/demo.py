"""Demo sign-off: the executive has a sign-off waiting on Cobalt (asked by the manager)."""

from alliances.demo import Demo
from signoffs import services
from signoffs.models import SignOffRequest

COBALT = "cobalt-cloud-co-sell"


def seed(demo: Demo) -> list[str]:
    users, alliances = demo.users, demo.alliances
    cobalt = alliances[COBALT]
    if SignOffRequest.objects.filter(alliance=cobalt).exists():
        return []
    services.signoff_request(
        alliance=cobalt,
        executives=[users["executive"]],
        by=users["manager"],
        message="The partner-selection gap on escalations is covered by the joint steering "
        "board; please sign off before the QBR.",
    )
    return ["Cobalt: sign-off requested from the executive."]
