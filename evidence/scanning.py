"""The worker side of a file's virus scan: stream its bytes from storage to clamd and
record the verdict. A refused file's bytes are deleted from storage at once, so nothing
can ever serve them; its row stays, saying what clamd found."""

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from evidence import clamav
from evidence.models import EvidenceFile

logger = logging.getLogger(__name__)

READ_BYTES = 64 * 1024


def _chunks(name: str):
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(READ_BYTES):
            yield chunk


def evidence_file_scan(*, file_id: int) -> str | None:
    """Scan the file if it is still waiting; returns its new state (None: nothing to do).

    Raises clamav.ClamdUnavailable when clamd cannot be reached (the task retries)."""
    evidence = EvidenceFile.objects.filter(pk=file_id, state=EvidenceFile.State.SCANNING).first()
    if evidence is None:
        return None  # a duplicate delivery, or the file is gone
    if not settings.CLAMD_URL:
        raise clamav.ClamdUnavailable("CLAMD_URL is not set where this worker runs")
    try:
        verdict = clamav.scan_stream(
            settings.CLAMD_URL, _chunks(evidence.file.name), timeout=settings.CLAMD_TIMEOUT
        )
    except clamav.ClamdRefusedToScan as exc:
        # clamd will not scan it (beyond its limits): never served, like a virus.
        verdict = clamav.Verdict(clean=False, signature=str(exc))
    except FileNotFoundError:
        verdict = clamav.Verdict(clean=False, signature="missing from storage")
    return _record(file_id, verdict)


def _record(file_id: int, verdict: clamav.Verdict) -> str | None:
    with transaction.atomic():
        evidence = (
            EvidenceFile.objects.select_for_update()
            .filter(pk=file_id, state=EvidenceFile.State.SCANNING)
            .first()
        )
        if evidence is None:
            return None
        evidence.scanned_at = timezone.now()
        if verdict.clean:
            evidence.state = EvidenceFile.State.CLEAN
            evidence.save(update_fields=["state", "scanned_at"])
            return evidence.state
        stored = evidence.file.name
        evidence.state = EvidenceFile.State.REFUSED
        evidence.scan_result = verdict.signature[:200]
        evidence.file = ""
        evidence.save(update_fields=["state", "scanned_at", "scan_result", "file"])
        transaction.on_commit(lambda: default_storage.delete(stored))
    logger.warning("Evidence file %s refused by clamd: %s", file_id, verdict.signature)
    return EvidenceFile.State.REFUSED


def evidence_file_unscannable(*, file_id: int, error: str) -> None:
    """clamd stayed out of reach through every retry: the file keeps waiting (never
    served unscanned) and says why."""
    EvidenceFile.objects.filter(pk=file_id, state=EvidenceFile.State.SCANNING).update(
        scan_result=error[:200]
    )
