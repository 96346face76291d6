"""The contract between `manage.py seed_demo` and the apps' demo seeders.

An app registers `seed(run)` with `apps.core.registry.register_demo_seeder` from its apps.py;
seed_demo builds one `DemoRun` and calls the seeders by their `order` (organisation and sectors,
then accounts, members, notifications, the domain apps). A seeder:

- creates only what is missing, looked up by natural keys, so a second run creates nothing;
- reads its literal data (names, units, titles…) from data files beside it (`load_data`);
- draws with `run.rng(...)`, seeded from the run's fixed seed, so every run plans the same rows;
- gives demo accounts `run.password_hash` (hashed once per run: PBKDF2 per account costs seconds);
- reports what it made with `run.created(label, n)`, lists sign-in accounts with `run.account()`
  and adds lines under the account table with `run.note()`.
"""

from __future__ import annotations

import random
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "Zhengxie@2026"
DEMO_SEED = 20240108


def load_data(module_file: str, name: str) -> dict[str, Any]:
    """A TOML data file that sits beside a demo module (`load_data(__file__, "units.toml")`)."""
    with (Path(module_file).resolve().parent / name).open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class DemoAccount:
    """One line of the sign-in table seed_demo prints."""

    role: str
    username: str
    note: str
    totp: bool = False


@dataclass
class DemoRun:
    """What one `seed_demo` run hands every seeder: its options, its randomness, the demo
    password and where progress goes. Seeders share nothing else through it."""

    options: Mapping[str, Any] = field(default_factory=dict)
    stdout: Any = None  # a management command's OutputWrapper (None: silent)
    style: Any = None  # the command's django.core.management.color.Style
    verbosity: int = 1
    seed: int = DEMO_SEED
    password: str = DEMO_PASSWORD
    counts: Counter[str] = field(default_factory=Counter)
    accounts: list[DemoAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def option(self, name: str, default: Any = None) -> Any:
        """A command option (e.g. `proposals`, the number of demo proposals)."""
        value = self.options.get(name)
        return default if value is None else value

    def rng(self, *parts: object) -> random.Random:
        """A generator of its own for one purpose (`run.rng("roster", "jinan")`): drawing one
        thing differently does not reshuffle everything else."""
        return random.Random(":".join(str(part) for part in (self.seed, *parts)))

    @cached_property
    def password_hash(self) -> str:
        """The demo password, hashed once for every demo account of this run."""
        from django.contrib.auth.hashers import make_password

        return make_password(self.password)

    def created(self, label: str, count: int = 1) -> None:
        if count:
            self.counts[label] += count

    def account(self, role: str, username: str, note: str, *, totp: bool = False) -> None:
        self.accounts.append(DemoAccount(role, username, note, totp))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def progress(self, message: str) -> None:
        """A detail line, shown with -v 2."""
        if self.stdout is not None and self.verbosity > 1:
            self.stdout.write(f"    {message}")
