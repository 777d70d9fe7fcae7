"""Demo banks: the shipped question banks, and a draft of the next strategic-fit version
for the bank admins to review (My work)."""

from alliances.demo import Demo
from banks import services
from banks.models import BankVersion


def seed(demo: Demo) -> list[str]:
    lines = [
        f"Loaded question bank {version.label} from {path.name}."
        for path, version in services.load_shipped_banks()
        if version
    ]
    fit = BankVersion.objects.get(bank__slug="strategic-fit", status=BankVersion.Status.PUBLISHED)
    if not fit.bank.versions.filter(status=BankVersion.Status.DRAFT).exists():
        draft = services.version_new_draft(version=fit, by=demo.users["admin"])
        lines.append(f"Question bank draft {draft.label} to review.")
    return lines
