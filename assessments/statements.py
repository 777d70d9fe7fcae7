"""A finding in words: its question named once, then what people wrote of it. Pure, so
the findings list (assessments/models.py) and the decision's rules (which put the
question in the reader's language) say it the same way."""


def finding_statement(key: str, question: str, issue: str, *, written: str = "") -> str:
    """`issue` led by the question's words unless it already starts with them; an
    issue written before the question's words led it ("S4 knock-out: …") loses that
    prefix. `written` is the question as its bank wrote it when `question` is a
    translation: an issue starting with the bank's words gets the translation instead."""
    issue = issue.strip().removeprefix(f"{key} knock-out: ").strip()
    question = question.strip()
    for words in filter(None, (written.strip().rstrip("."), question.rstrip("."))):
        if issue.startswith(words):
            issue = issue[len(words) :].lstrip(" .—–-").strip()
            break
    if not issue:
        return question
    return f"{question.rstrip('.')} — {issue}"
