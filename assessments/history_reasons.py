"""Why a response changed, as its history keeps it: English, a stored fact that does not
change with the reader; `in_words` says it in the reader's language."""

from django.utils.translation import gettext as _

SUBMITTED_REASON = "Submitted"
REOPENED_REASON = "Reopened by "  # followed by the manager's name


def in_words(reason: str) -> str:
    """A stored reason in the active language; one we do not know, as stored."""
    if reason == SUBMITTED_REASON:
        return _("Submitted")
    if reason.startswith(REOPENED_REASON):
        return _("Reopened by %(name)s") % {"name": reason.removeprefix(REOPENED_REASON)}
    return reason
