from django import template

from evidence.forms import EvidenceFileForm
from evidence.selectors import files_context

register = template.Library()


@register.inclusion_tag("evidence/_files.html", takes_context=True)
def evidence_files(context, target):
    """A target's files with its upload form, on the target's own page (a finding, a
    condition, a signal): `{% evidence_files finding %}`; the page gives `alliance`."""
    request = context["request"]
    return {
        **files_context(request.user, context["alliance"], target),
        "form": context.get("evidence_form") or EvidenceFileForm(),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
