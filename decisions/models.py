"""The decision as last told to each alliance's team. The table keeps the name it had in
`assessments`, where the model lived first."""

from django.db import models

from alliances.models import Alliance

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {
    # The decision's reasons, in words that quote findings and names.
    "DecisionRecord": ("rationale",),
}
NOT_USER_TEXT = {"DecisionRecord": ("verdict",)}


class DecisionRecord(models.Model):
    """The decision of an alliance as last told to its team: when a recheck finds another
    verdict, the team hears "from X to Y because …" and this record moves on."""

    alliance = models.OneToOneField(
        Alliance, on_delete=models.CASCADE, related_name="decision_record"
    )
    verdict = models.CharField(max_length=30)
    rationale = models.TextField(blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "assessments_decisionrecord"

    def __str__(self):
        return f"{self.alliance}: {self.verdict}"
