"""Reads of evidence files: a target's files for its page, an alliance's for the brief."""

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from evidence.models import EvidenceFile
from evidence.targets import kind_of, kind_of_model


def target_files(target) -> list[EvidenceFile]:
    """The target's files not deleted, oldest first, with who uploaded them."""
    return list(
        EvidenceFile.objects.filter(
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            deleted_at=None,
        ).select_related("uploaded_by")
    )


def files_context(user, alliance, target) -> dict:
    """What templates/evidence/_files.html shows of `target`'s files to `user`."""
    kind = kind_of(target)
    may_change = kind.may_change(user, target)
    locked = kind.locked(target)
    return {
        "alliance": alliance,
        "target": target,
        "kind": kind,
        "files": target_files(target),
        "may_change": may_change,
        "locked": locked,
        "may_upload": may_change and not locked,
        "upload_url": reverse("evidence:files", args=[alliance.slug, kind.name, target.pk]),
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
    }


def alliance_files_for_brief(alliance) -> list[dict]:
    """The alliance's files that may be served (clean, or not scanned without a scanner)
    and whose target still exists: name, size and sha256, in the order attached."""
    files = list(
        EvidenceFile.objects.filter(
            alliance=alliance, deleted_at=None, state__in=EvidenceFile.SERVED
        ).select_related("target_type")
    )
    ids_by_model = defaultdict(set)
    for f in files:
        ids_by_model[f.target_type.model_class()].add(f.target_id)
    existing = {}
    for model, ids in ids_by_model.items():
        kind = kind_of_model(model)
        if kind is not None:
            found = model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
            existing[model] = (kind, set(found))
    rows = []
    for f in files:
        kind, found = existing.get(f.target_type.model_class(), (None, set()))
        if kind is None or f.target_id not in found:
            continue
        rows.append(
            {
                "name": f.name,
                "size": filesizeformat(f.size),
                "bytes": f.size,
                "sha256": f.sha256,
                "on": str(kind.label()),
            }
        )
    return rows
