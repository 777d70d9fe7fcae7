"""The role groups, and what question bank admins may do in the admin, made sure of after
every migrate and every flush (both send post_migrate). The data migrations made them
once; a flushed database (`manage.py flush`, or the browser tests, which empty every
table between tests) would otherwise keep users but lose their groups' rights."""

from django.contrib.auth.models import Group, Permission

from alliances.access import BANK_ADMINS_GROUP, EXECUTIVES_GROUP, MANAGERS_GROUP

# Bank admins edit banks, nothing else (no assessment, answer or finding).
BANK_MODELS = ["questionbank", "bankversion", "dimension", "question", "choice"]
BANK_CODENAMES = [
    f"{action}_{model}" for model in BANK_MODELS for action in ("add", "change", "delete", "view")
]


def ensure_groups(*, using="default", **kwargs) -> None:
    for name in (MANAGERS_GROUP, EXECUTIVES_GROUP):
        Group.objects.using(using).get_or_create(name=name)
    bank_admins, _ = Group.objects.using(using).get_or_create(name=BANK_ADMINS_GROUP)
    bank_admins.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label="banks", codename__in=BANK_CODENAMES
        )
    )
