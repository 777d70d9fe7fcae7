"""Templates follow the apps' layers (the import-linter contract in pyproject.toml): a
lower app's templates never load a higher app's template tags. import-linter checks the
Python imports; this checks what it cannot see."""

import re
import tomllib
from pathlib import Path

from django.conf import settings
from django.template import engines

CONTRACTS = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())["tool"][
    "importlinter"
]["contracts"]
# The layers contract, lowest first.
LAYERS = next(c["layers"] for c in CONTRACTS if c["type"] == "layers")[::-1]
# Shared templates (base, partials, charts) use the register's tags (its links), no higher.
SHARED = "alliances"
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def library_app(library: str) -> str | None:
    """The app whose templatetags module defines `library`, None for Django's own."""
    app = engines["django"].engine.libraries[library].split(".")[0]
    return app if app in LAYERS else None


def template_app(path: Path) -> str:
    """templates/<app>/… belongs to <app>; shared templates (base, partials, charts)
    to the register, below every other app."""
    top = path.relative_to(settings.BASE_DIR / "templates").parts[0]
    return top if top in LAYERS else SHARED


def test_no_template_loads_the_tags_of_a_higher_app():
    wrong = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        owner = template_app(path)
        for match in LOAD.finditer(path.read_text()):
            for library in match.group(1).split():
                app = library_app(library)
                if app and LAYERS.index(app) > LAYERS.index(owner):
                    wrong.append(f"{path.name} ({owner}) loads {library} of {app}")
    assert wrong == []


def test_the_check_sees_a_wrong_way_load():
    assert library_app("assessment_tags") == "assessments"
    assert library_app("alliance_tags") == "alliances"
    assert library_app("static") is None
