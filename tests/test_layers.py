"""Dependencies point one way (issue 6 §3; DESIGN.md "Layers").

Tiers, low → high; a module may import its own app and the apps of lower tiers only:

    core < sectors < organisation < accounts < members < notifications < domain apps < dashboards

Every app under apps/ that is not named in a lower tier or as dashboards is a domain app
(proposals, and later consultations, opinions, duties, …). Domain apps do not import each other:
an edge between two of them has to be written into ALLOWED_DOMAIN_EDGES, with its reason, and
there is none. core imports no app at all.

The scan reads every module's syntax tree, so it sees module-level, function-level and
`if TYPE_CHECKING:` imports alike, relative imports that climb out of their app
(`from ...members import x`) and `import_module("apps.x")` / `import_string("apps.x.y")` calls
with a literal name. Run one app with `-k organisation`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APPS_DIR = PROJECT_ROOT / "apps"

TIERS: dict[str, int] = {
    "core": 0,
    "sectors": 1,
    "organisation": 2,
    "accounts": 3,
    "members": 4,
    "notifications": 5,
    # 6: every app not named here (domain apps)
    "dashboards": 7,
}
DOMAIN_TIER = 6
# (importing app, imported app) pairs of domain apps allowed to depend on each other. Empty on
# purpose: peers share through lower layers or register with the core registry instead.
ALLOWED_DOMAIN_EDGES: frozenset[tuple[str, str]] = frozenset()
_DYNAMIC_IMPORTERS = frozenset({"import_module", "import_string", "__import__"})


def tier_of(app: str) -> int:
    return TIERS.get(app, DOMAIN_TIER)


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    statement: str
    source_app: str
    target: str  # the imported module, "apps.members.models"; "" when it climbs out of apps
    reason: str

    def describe(self, root: Path) -> str:
        try:
            where = self.path.relative_to(root)
        except ValueError:
            where = self.path
        return f"{where}:{self.line}: {self.statement}  — {self.reason}"


def _module_parts(path: Path, apps_dir: Path) -> list[str]:
    """apps/organisation/views.py → [apps, organisation, views]; a package's __init__.py is
    the package itself."""
    relative = path.relative_to(apps_dir.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return parts


def _statement(source: str, node: ast.AST) -> str:
    text = ast.get_source_segment(source, node) or ast.unparse(node)
    return " ".join(text.split())


def imported_modules(path: Path, apps_dir: Path) -> list[tuple[int, str, str | None]]:
    """(line, statement, imported module) for every import in the file, at any depth.

    The module is None when a relative import climbs above the top package.
    """
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    parts = _module_parts(path, apps_dir)
    is_package = path.name == "__init__.py"
    package = parts if is_package else parts[:-1]
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((node.lineno, _statement(source, node), alias.name))
        elif isinstance(node, ast.ImportFrom):
            statement = _statement(source, node)
            if node.level:
                up = node.level - 1
                if up > len(package) - 1:
                    found.append((node.lineno, statement, None))
                    continue
                base = package[: len(package) - up]
            else:
                base = []
            module = [*base, *(node.module.split(".") if node.module else [])]
            if len(module) <= 1:
                # `from apps import members` / `from ... import members`: the names are modules.
                found.extend(
                    (node.lineno, statement, ".".join([*module, alias.name]))
                    for alias in node.names
                )
            else:
                found.append((node.lineno, statement, ".".join(module)))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _DYNAMIC_IMPORTERS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((node.lineno, _statement(source, node), first.value))
    return found


def _app_of(module: str, top: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == top else None


def layer_violations(apps_dir: Path, *, only_app: str | None = None) -> list[Violation]:
    """Every import under `apps_dir` that reaches an app above (or beside) its own."""
    top = apps_dir.name
    violations: list[Violation] = []
    for path in sorted(apps_dir.rglob("*.py")):
        parts = _module_parts(path, apps_dir)
        if len(parts) < 2:
            continue  # apps/__init__.py belongs to no app
        source_app = parts[1]
        if only_app is not None and source_app != only_app:
            continue
        for line, statement, module in imported_modules(path, apps_dir):
            if module is None:
                violations.append(
                    Violation(
                        path,
                        line,
                        statement,
                        source_app,
                        "",
                        "relative import climbs out of the apps package",
                    )
                )
                continue
            target_app = _app_of(module, top)
            if target_app is None or target_app == source_app:
                continue
            reason = _reason(source_app, target_app)
            if reason:
                violations.append(Violation(path, line, statement, source_app, module, reason))
    return violations


def _reason(source_app: str, target_app: str) -> str:
    if source_app == "core":
        return f"core imports no app (imports {target_app})"
    source_tier, target_tier = tier_of(source_app), tier_of(target_app)
    if target_tier > source_tier:
        return f"{target_app} is a higher layer than {source_app}"
    if target_tier == source_tier and (source_app, target_app) not in ALLOWED_DOMAIN_EDGES:
        return f"domain apps do not import each other ({source_app} → {target_app})"
    return ""


def _apps() -> list[str]:
    return sorted(p.parent.name for p in APPS_DIR.glob("*/__init__.py"))


def _report(violations: list[Violation], root: Path = PROJECT_ROOT) -> str:
    return "imports against the layers:\n" + "\n".join(v.describe(root) for v in violations)


@pytest.mark.parametrize("app", _apps())
def test_app_imports_only_its_own_layer_and_below(app):
    violations = layer_violations(APPS_DIR, only_app=app)
    assert not violations, _report(violations)


def test_core_imports_no_app():
    imported = {
        (path, line, module)
        for path in (APPS_DIR / "core").rglob("*.py")
        for line, _stmt, module in imported_modules(path, APPS_DIR)
        if module is None or _app_of(module, "apps") not in (None, "core")
    }
    assert not imported, sorted(imported)


def test_every_listed_tier_is_an_app():
    """A renamed app must not silently fall into the domain tier."""
    assert set(TIERS) <= set(_apps())


# The scanner itself, on a planted package ----------------------------------------------------


def _plant(root: Path, files: dict[str, str]) -> Path:
    apps_dir = root / "apps"
    for relative, text in files.items():
        path = apps_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for directory in [apps_dir, *apps_dir.rglob("*")]:
        if directory.is_dir() and not (directory / "__init__.py").exists():
            (directory / "__init__.py").write_text("", encoding="utf-8")
    return apps_dir


PLANTED = {
    "core/helpers.py": "import os\nfrom apps.sectors.models import Sector\n",
    "sectors/models.py": "from apps.core.models import TimeStampedModel\nfrom . import defaults\n",
    "sectors/defaults.py": "NAMES = ()\n",
    "organisation/views.py": (
        "from typing import TYPE_CHECKING\n"
        "from apps.sectors.models import Sector\n"
        "from . import services\n"
        "if TYPE_CHECKING:\n"
        "    from apps.accounts.models import User\n"
        "\n"
        "def overview():\n"
        "    from apps.members.models import Membership\n"
        "    return Membership\n"
    ),
    "organisation/services.py": "from .. import notifications\n",
    "organisation/web/deep.py": (
        "from ...members import selectors\n"
        "from ..models import Committee\n"
        "from .... import outside\n"
    ),
    "organisation/models.py": "",
    "organisation/loader.py": (
        "import importlib\n"
        "from django.utils.module_loading import import_string\n"
        "importlib.import_module('apps.dashboards.views')\n"
        "import_string('apps.core.sms.LocmemSmsBackend')\n"
    ),
    "members/models.py": "import apps.organisation.models\n",
    "proposals/models.py": "from apps.members.models import Membership\n",
    "consultations/models.py": (
        "from apps.proposals.models import Proposal\nfrom apps import duties\n"
    ),
    "duties/models.py": "",
    "dashboards/views.py": "from apps.proposals.models import Proposal\n",
}


def test_scanner_reports_planted_bad_imports(tmp_path):
    apps_dir = _plant(tmp_path, PLANTED)
    found = {
        (str(v.path.relative_to(apps_dir)), v.line, v.target) for v in layer_violations(apps_dir)
    }
    assert found == {
        ("core/helpers.py", 2, "apps.sectors.models"),
        ("organisation/views.py", 5, "apps.accounts.models"),  # under TYPE_CHECKING
        ("organisation/views.py", 8, "apps.members.models"),  # inside a function
        ("organisation/services.py", 1, "apps.notifications"),  # `from .. import x`
        ("organisation/web/deep.py", 1, "apps.members"),  # `from ...members import x`
        ("organisation/web/deep.py", 3, ""),  # climbs above apps/
        ("organisation/loader.py", 3, "apps.dashboards.views"),  # import_module("…")
        ("consultations/models.py", 1, "apps.proposals.models"),  # domain peers
        ("consultations/models.py", 2, "apps.duties"),
    }


def test_scanner_message_names_file_line_and_import(tmp_path):
    apps_dir = _plant(tmp_path, PLANTED)
    violations = layer_violations(apps_dir, only_app="organisation")
    report = _report(violations, root=tmp_path)
    assert (
        "apps/organisation/views.py:8: from apps.members.models import Membership"
        "  — members is a higher layer than organisation"
    ) in report
    assert "apps/organisation/web/deep.py:1: from ...members import selectors" in report
    assert all(v.source_app == "organisation" for v in violations)


def test_an_allowed_domain_edge_is_not_reported(tmp_path, monkeypatch):
    apps_dir = _plant(tmp_path, PLANTED)
    monkeypatch.setattr(
        f"{__name__}.ALLOWED_DOMAIN_EDGES", frozenset({("consultations", "proposals")})
    )
    targets = {v.target for v in layer_violations(apps_dir, only_app="consultations")}
    assert targets == {"apps.duties"}
