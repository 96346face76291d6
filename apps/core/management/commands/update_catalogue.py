"""Regenerate the zh_Hans message catalogue (zhengxie/locale) from the code and templates.

Runs makemessages over apps/, templates/ and zhengxie/ (not the virtualenv, static files or
tests), then fills each new entry's msgstr with its msgid (the source strings are Chinese
already: the catalogue is complete for zh_Hans and the starting point for another locale).
Needs GNU gettext (Debian package gettext)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

IGNORE = [
    ".venv/*",
    "static/*",
    "tests/*",
    "var/*",
    "test-artifacts/*",
    "bench/*",
    "*/node_modules/*",
]


class Command(BaseCommand):
    help = "Regenerate the zh_Hans catalogue (makemessages, then msgstr filled from msgid)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not shutil.which("msgen"):
            raise CommandError(_("需要 GNU gettext（Debian 软件包 gettext）。"))
        locale_dir = Path(settings.LOCALE_PATHS[0])
        locale_dir.mkdir(parents=True, exist_ok=True)
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            no_obsolete=True,
            no_location=True,
            ignore_patterns=IGNORE,
            verbosity=0,
        )
        po = locale_dir / "zh_Hans" / "LC_MESSAGES" / "django.po"
        subprocess.run(["msgen", str(po), "-o", str(po)], check=True)
        text = po.read_text(encoding="utf-8")
        text = text.replace('#, fuzzy\nmsgid ""', 'msgid ""', 1)
        text = text.replace(
            '"Project-Id-Version: PACKAGE VERSION\\n"', '"Project-Id-Version: zhengxie\\n"'
        )
        text = text.replace('"Language: \\n"', '"Language: zh_Hans\\n"')
        po.write_text(text, encoding="utf-8")
        self.stdout.write(f"{po}: {text.count(chr(10) + 'msgid ') - 1} messages")
