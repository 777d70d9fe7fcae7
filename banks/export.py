"""Write a question bank version as a bank file (YAML, format 1, see README.md beside this
module): what `parse` reads back as the same `BankData`.

Pure: no Django, no ORM.
"""

from __future__ import annotations

import yaml

from banks.schema import (
    DEFAULT_LANGUAGE,
    FORMAT,
    BankData,
    QuestionData,
    Translations,
)


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line texts as literal blocks; never anchors (the reader refuses them)."""

    def ignore_aliases(self, data):
        return True


def _str_presenter(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def export_bank(data: BankData) -> str:
    """The YAML text of a version, in the documented format (format 1)."""
    status = "draft" if data.status == "draft" else "published"
    document = {
        "format": FORMAT,
        "bank": {
            "slug": data.slug,
            "name": data.name,
            "kind": data.kind,
            "description": data.description,
            **({"language": data.language} if data.language != DEFAULT_LANGUAGE else {}),
            **({"translations": data.translations} if data.translations else {}),
        },
        "version": {
            "number": data.number,
            "status": status,
            "notes": data.notes,
            "thresholds": {
                "go": data.go,
                "no_go": data.no_go,
                "gap": data.gap,
                "perception_gap": data.perception_gap,
            },
            "perception_gaps_decide": data.perception_gaps_decide,
        },
        "dimensions": [
            {
                "name": d.name,
                "description": d.description,
                "weight": d.weight,
                "questions": [_export_question(q) for q in d.questions],
                **({"translations": d.translations} if d.translations else {}),
            }
            for d in data.dimensions
        ],
    }
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _export_question(q: QuestionData) -> dict:
    item = {
        "key": q.key,
        "text": q.text,
        "help": q.help,
        "kind": q.kind,
        "weight": q.weight,
        "required": q.required,
        "allows_na": q.allows_na,
        "allows_dont_know": q.allows_dont_know,
        "knockout_level": q.knockout_level,
    }
    if q.kind == "scale":
        item["levels"] = [c.label for c in q.choices]
    elif q.kind == "choice":
        item["choices"] = [{"label": c.label, "score": c.score} for c in q.choices]
    translations = _export_translations(q)
    if translations:
        item["translations"] = translations
    return item


def _export_translations(q: QuestionData) -> Translations:
    """The question's translations as the file holds them: text and help, then the levels'
    or choices' labels in order (the bank's own label where one is not translated)."""
    name = "levels" if q.kind == "scale" else "choices"
    codes = dict.fromkeys([*q.translations, *(code for c in q.choices for code in c.translations)])
    result: dict = {}
    for code in codes:
        entry: dict = dict(q.translations.get(code, {}))
        labels = [c.translations.get(code, {}).get("label") for c in q.choices]
        if any(labels):
            entry[name] = [label or c.label for label, c in zip(labels, q.choices, strict=True)]
        result[code] = entry
    return result
