"""Names and slugs that tell nobody what they may not see.

A uniqueness check answers a question about what exists. Had "project aurora" been
refused because a confidential alliance outside the user's teams bears that name, the
refusal would tell them the alliance exists; had "Project-Aurora!" got the slug
`project-aurora-2`, the `-2` would tell them the same. So:

- An alliance's name is unique (case-insensitively) among the alliances the user may
  see (alliances/access.py), an organisation's among the organisations they may see
  (ours, those in no alliance yet, partners of an alliance they may see). A name that
  only a hidden record bears is accepted and makes a separate record.
- A record that keeps its name on an edit is not checked again: the team of a
  confidential alliance can still edit it after someone outside registered an open
  alliance of the same name (which it now sees).
- Open alliances, which everyone sees, are also unique in the database
  (models.py `open_alliance_name_unique_ci`): it refuses only what every user may know.
"""

import secrets

from django.db.models import Model, QuerySet
from django.utils.text import slugify

from alliances.access import visible_alliances, visible_organisations
from alliances.models import Alliance, Organisation

# Lower-case base32 (RFC 4648): letters and 2-7, no 0/1 to mistake for o/l.
SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
SLUG_SUFFIX_LENGTH = 6  # 32**6: about a billion per name
SLUG_BASE_LENGTH = 200


def _name_clash(visible: QuerySet, name: str, *, pk: int | None, was: str) -> Model | None:
    """The record among `visible` already named `name` (any case), other than row `pk`;
    None when there is none, or when `pk` keeps the name it had (`was`)."""
    if pk is not None and name.lower() == was.lower():
        return None
    others = visible.filter(name__iexact=name)
    if pk is not None:
        others = others.exclude(pk=pk)
    return others.order_by("pk").first()


def visible_alliance_named(user, name: str, *, pk=None, was: str = "") -> Alliance | None:
    """An alliance `user` may see that already bears `name`, or None (see above)."""
    return _name_clash(visible_alliances(user), name, pk=pk, was=was)


def visible_organisation_named(user, name: str, *, pk=None, was: str = "") -> Organisation | None:
    """An organisation `user` may see that already bears `name`, or None (see above)."""
    return _name_clash(visible_organisations(user), name, pk=pk, was=was)


def new_alliance_slug(name: str) -> str:
    """The slug of an alliance registered now: its name slugified, then a hyphen and six
    random base32 characters, e.g. `project-aurora-k3x7qa`, whatever slugs exist.

    Every new alliance gets the suffix, so it says nothing: a suffix only on taken
    slugs (`-2`) would reveal the taken ones. It is random rather than derived from the
    new row's id because ids count every alliance ever made: the gap between two of a
    user's registrations would reveal how many confidential alliances were made in
    between. A random suffix that is already taken (one chance in a billion per name) is
    drawn again; nobody can tell that from the outcome. Existing alliances and the
    demo's keep their slugs (links stay valid)."""
    base = slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "alliance"
    while True:
        suffix = "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
        slug = f"{base}-{suffix}"
        if not Alliance.objects.filter(slug=slug).exists():
            return slug
