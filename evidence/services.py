"""Writes of evidence files: attach and delete, each checking the acting user's right
on the target (evidence/targets.py) inside one transaction. Scanning happens in the
worker (evidence/scanning.py), enqueued here once the file's row is committed."""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.access import Action, ensure_can
from evidence import content, tasks
from evidence.models import EvidenceFile
from evidence.targets import TargetKind, kind_of

NAME_MAX = 255


def ensure_may_change(*, target, by) -> TargetKind:
    """The target's kind, or PermissionDenied unless `by` may change its files."""
    kind = kind_of(target)
    if kind is None:
        raise PermissionDenied(_("Files cannot be attached to this."))
    if not kind.may_change(by, target):
        raise PermissionDenied(_("You may not change the files of this."))
    return kind


def display_name(raw: str) -> str:
    """The name people gave, without any folder, kept within NAME_MAX with its suffix."""
    name = PurePath(raw.replace("\\", "/")).name.strip() or "file"
    name = "".join(ch for ch in name if ch.isprintable())
    if len(name) > NAME_MAX:
        suffix = PurePath(name).suffix[:20]
        name = name[: NAME_MAX - len(suffix)] + suffix
    return name


def check_upload(upload) -> str:
    """The upload's content type from its bytes, or a ValidationError saying why not."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s: files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    mime = content.detect(upload)
    if mime is None:
        raise ValidationError(
            _(
                "This file is not a PDF, an Office document (Word, Excel, PowerPoint) or an "
                "image (PNG, JPEG, GIF, WebP), whatever its name says."
            ),
            code="type",
        )
    return mime


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def evidence_file_attach(*, alliance, target, upload, by) -> EvidenceFile:
    """Store `upload` privately as evidence on `target` (a registered thing of `alliance`).

    With CLAMD_URL set the file waits in "scanning" until the worker's verdict; without
    it, it is "not scanned" and served at once."""
    ensure_can(by, Action.VIEW, alliance)
    kind = ensure_may_change(target=target, by=by)
    if reason := kind.locked(target):
        raise ValidationError(reason, code="locked")
    mime = check_upload(upload)
    scanning = bool(settings.CLAMD_URL)
    evidence = EvidenceFile(
        alliance=alliance,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        name=display_name(upload.name or ""),
        size=upload.size,
        sha256=_sha256(upload),
        content_type=mime,
        state=EvidenceFile.State.SCANNING if scanning else EvidenceFile.State.NOT_SCANNED,
        uploaded_by=by,
    )
    evidence.file.save("upload", upload, save=False)
    try:
        with transaction.atomic():
            evidence.save()
            if scanning:
                tasks.scan_evidence_file.delay_on_commit(evidence.pk)
    except BaseException:
        # No row, no bytes: a failed save leaves nothing behind in storage.
        default_storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def evidence_file_delete(*, evidence_file: EvidenceFile, target, by) -> EvidenceFile:
    """Mark the file deleted (its row and history stay); refused while its target is
    locked (a submitted answer keeps the files it was submitted with)."""
    locked = EvidenceFile.objects.select_for_update().get(pk=evidence_file.pk)
    kind = ensure_may_change(target=target, by=by)
    if reason := kind.locked(target):
        raise ValidationError(reason, code="locked")
    if locked.deleted_at is not None:
        raise ValidationError(_("This file was already deleted."), code="deleted")
    locked.deleted_at = timezone.now()
    locked.deleted_by = by
    locked.save(update_fields=["deleted_at", "deleted_by"])
    return locked
