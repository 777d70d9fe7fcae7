"""The partner's side of a two-sided assessment: invitations by link, the partner's
questionnaire, and the throttle on guessed links. The comparison itself is pure
(assessments/perception.py); the decision and the brief read it through selectors."""
