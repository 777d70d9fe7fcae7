"""Demo brief: Cobalt's, ready for its team to read (My work, notifications)."""

from alliances.demo import Demo
from alliances.services import system_user
from briefs import services

COBALT = "cobalt-cloud-co-sell"


def seed(demo: Demo) -> list[str]:
    # Asked by the system (as `render_brief` does), so the whole team hears it is ready.
    services.brief_render_now(alliance=demo.alliances[COBALT], by=system_user())
    return ["Cobalt: the brief is ready."]
