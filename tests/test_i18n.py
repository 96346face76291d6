"""Every user-facing string goes through gettext (issue 6 §6).

- The message of every domain error (and of Django's PermissionDenied / Http404 /
  ValidationError, which end on Chinese pages and forms) is a gettext call, optionally
  %-formatted — never a literal, an f-string or a concatenation (the scan below).
- `makemessages` over the code and templates yields exactly the committed zh_Hans catalogue.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted(p.name for p in (ROOT / "apps").iterdir() if (p / "apps.py").exists())
ERROR_CLASSES = {
    "DomainError",
    "ValidationFailed",
    "PermissionDenied",
    "NotFound",
    "Conflict",
    "DjangoPermissionDenied",
    "Http404",
    "ValidationError",
    "CommandError",
}
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "_lazy"}
CATALOGUE = ROOT / "zhengxie" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _is_gettext(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in GETTEXT
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _is_gettext(node.left)
    return False


def _is_literal_text(node: ast.expr) -> bool:
    """A message written out in the code: a string, an f-string, or built from them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value != ""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_literal_text(node.left) or _is_literal_text(node.right)
    return False


def untranslated_messages(path: Path) -> list[str]:
    """file:line of every error raised or built with a literal message in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in ERROR_CLASSES:
            continue
        messages = list(node.args[:1]) + [kw.value for kw in node.keywords if kw.arg == "message"]
        for message in messages:
            if _is_literal_text(message) and not _is_gettext(message):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_error_messages_go_through_gettext(app):
    offenders = [
        hit
        for path in sorted((ROOT / "apps" / app).rglob("*.py"))
        if "migrations" not in path.parts
        for hit in untranslated_messages(path)
    ]
    assert offenders == [], "error messages not wrapped in gettext:\n" + "\n".join(offenders)


def test_the_scan_catches_literal_messages(tmp_path):
    source = tmp_path / "bad.py"
    source.write_text(
        "from apps.core.errors import Conflict\n"
        "def f(x):\n"
        "    raise Conflict('不能这样做。')\n"
        "def g(x):\n"
        "    raise Conflict(f'{x}不能这样做。')\n"
        "def h(x):\n"
        "    raise Conflict(_('%(x)s不能这样做。') % {'x': x})\n",
        encoding="utf-8",
    )
    hits = [line.rsplit(":", 1)[1] for line in untranslated_messages_at(source)]
    assert hits == ["3", "5"]


def untranslated_messages_at(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ERROR_CLASSES:
            message = node.args[0]
            if _is_literal_text(message) and not _is_gettext(message):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_default_domain_error_messages_are_translatable():
    from django.utils.functional import Promise

    from apps.core import errors

    for cls in (errors.DomainError, errors.ValidationFailed, errors.PermissionDenied):
        assert isinstance(cls.default_message, Promise), cls
    assert isinstance(errors.NotFound.default_message, Promise)
    assert isinstance(errors.Conflict.default_message, Promise)


def _msgids(po: Path) -> set[str]:
    ids: set[str] = set()
    current: list[str] | None = None
    for raw in po.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            current = [line[6:].strip('"')]
        elif current is not None and line.startswith('"'):
            current.append(line.strip('"'))
        else:
            if current is not None and "".join(current):
                ids.add("".join(current))
            current = None
    return ids


def test_makemessages_gives_the_committed_catalogue(tmp_path, settings):
    """Run the catalogue command (makemessages) over a copy of the code and templates and
    compare the message ids with the committed zh_Hans catalogue (`manage.py
    update_catalogue` regenerates it)."""
    assert shutil.which("xgettext"), "GNU gettext is needed (Debian package gettext)"
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing"
    for name in ("apps", "templates", "zhengxie"):
        shutil.copytree(
            ROOT / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("__pycache__", "locale", "*.pyc"),
        )
    locale = tmp_path / "zhengxie" / "locale"
    locale.mkdir()
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            str(ROOT / "manage.py"),
            "update_catalogue",
        ],
        cwd=tmp_path,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "zhengxie.settings.test",
            "PYTHONPATH": str(tmp_path),
            "ZHENGXIE_LOCALE_DIR": str(locale),
            "ZHENGXIE_VAR_DIR": str(tmp_path / "var"),
        },
    )
    fresh = _msgids(locale / "zh_Hans" / "LC_MESSAGES" / "django.po")
    committed = _msgids(CATALOGUE)
    assert fresh - committed == set(), "strings missing from the catalogue"
    assert committed - fresh == set(), "stale strings in the catalogue"
