"""What banks adds to My work (home/my_work.py): draft versions to review and publish, for
those who may publish them. One query."""

from django.urls import reverse
from django.utils.translation import gettext as _

from alliances.pages import WorkItem
from banks.models import BankVersion


def drafts_to_publish(user) -> list[BankVersion]:
    """Draft question-bank versions, for those who may publish them (one query)."""
    # Publishing happens in the admin: only staff can; the permission check costs queries.
    may_publish = user.is_staff and user.has_perm("banks.change_bankversion")
    if not (user.is_superuser or may_publish):
        return []
    return list(
        BankVersion.objects.filter(status=BankVersion.Status.DRAFT)
        .select_related("bank")
        .order_by("bank__name", "number")
    )


def my_work(request) -> list[WorkItem]:
    if not request.user.is_authenticated:
        return []
    return [
        WorkItem(
            kind="bank_draft",
            title=_("Review and publish the draft “%(version)s”") % {"version": version.label},
            url=reverse("admin:banks_bankversion_change", args=[version.pk]),
            detail=_("Assessments use published versions only."),
        )
        for version in drafts_to_publish(request.user)
    ]
