"""bench/run: measure the portal in its production configuration on loopback.

Steps: make sure the scale's database exists (generate it if not, or with --regenerate), migrate,
collect static files, prepare sessions and fixtures (bench.prepare), start gunicorn with
bench.settings (production + the floor view) and --preload, then measure:

1. pages: for each page and endpoint, a wrk run of the floor (/bench/floor/, same persona,
   same cookie) right before a wrk run of the page: req/s as a share of that floor, p50/p95,
   SQL statements per request (the X-Bench-Queries header of a warm request);
2. worker memory after warm-up (RSS and PSS per gunicorn worker);
3. check-in: N members check in within a minute (locust), p95 and errors, every one recorded;
4. the plenary burst: M members file within the window (locust), no error, numbers unique and
   without gaps, every submission in the database;
5. with --soak: 200 concurrent users in the role mix for 10 minutes (or --soak-minutes).

Prints a table and writes bench/results/<time>-scale<scale>.json (and latest-scale<scale>.json).
Targets are reported, never asserted: this is not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TARGETS = {  # share of the floor's req/s, p95 in ms, by kind (issue 9's targets)
    "hot": (0.40, 150),
    "page": (0.25, 150),
    "leadership": (0.40, 150),
    "search": (0.25, 100),
    "pdf": (0.0, 1000),
}


SCALES = {"tiny": 0.001, "small": 0.01, "moderate": 0.05, "full": 1.0}


def parse_scale(value: str) -> float:
    """A named scale (tiny: CI's 3 committees; small; moderate: what a shared 2-core machine
    runs in minutes; full: the province, 300,000 proposals) or a number (a share of full)."""
    if value in SCALES:
        return SCALES[value]
    try:
        scale = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--scale: one of {', '.join(SCALES)} or a number in (0, 1]"
        ) from None
    if not 0 < scale <= 1:
        raise argparse.ArgumentTypeError("--scale: a number in (0, 1]")
    return scale


def locust_command() -> list[str] | None:
    """How to start locust: BENCH_LOCUST (a locust executable, e.g. in a venv of its own), the
    project's venv if it has locust, or one on PATH; None when there is none."""
    configured = os.environ.get("BENCH_LOCUST")
    if configured:
        return [configured]
    probe = subprocess.run([PYTHON, "-c", "import locust"], capture_output=True)
    if probe.returncode == 0:
        return [PYTHON, "-m", "locust"]
    found = shutil.which("locust")
    return [found] if found else None


def say(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def db_name(scale: float) -> str:
    return "zhengxie_bench" if scale >= 1 else "zhengxie_bench_" + f"{scale:g}".replace(".", "_")


def bench_env(scale: float) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db_name(scale)}",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(cmd: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def psql(sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        text=True,
        capture_output=True,
    )
    return out.stdout.strip()


# ---------------------------------------------------------------------------------------------
# Database and server
# ---------------------------------------------------------------------------------------------


def ensure_database(scale: float, regenerate: bool, env: dict[str, str]) -> dict[str, Any]:
    name = db_name(scale)
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    generated = None
    if regenerate or not exists:
        say(f"generating {name} at scale {scale:g} (this is the data set; see bench/generate.py)")
        psql(f'DROP DATABASE IF EXISTS "{name}"')
        psql(f'CREATE DATABASE "{name}"')
        started = time.monotonic()
        run([PYTHON, "-m", "bench.generate", "--scale", str(scale), "--migrate"], env)
        generated = round(time.monotonic() - started, 1)
    else:
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    counts = {
        table: int(psql(f"SELECT count(*) FROM {table}", name))
        for table in (
            "members_member",
            "proposals_proposal",
            "consultations_meeting",
            "consultations_invitation",
            "opinions_opinionreport",
            "core_auditevent",
        )
    }
    size = psql(f"SELECT pg_size_pretty(pg_database_size('{name}'))")
    return {"database": name, "generated_seconds": generated, "rows": counts, "size": size}


class Server:
    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.env = env
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None
        self.log = open(tempfile.mktemp(prefix="bench9-gunicorn-", suffix=".log"), "wb")  # noqa: SIM115

    def start(self) -> None:
        cmd = [
            PYTHON, "-m", "gunicorn", "zhengxie.wsgi:application",
            "-c", str(BENCH / "gunicorn.conf.py"), "--preload",
            "--bind", f"127.0.0.1:{PORT}", "--workers", str(self.workers),
            "--timeout", "120", "--graceful-timeout", "10",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 300  # --preload loads the text engine first
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{BASE}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer /healthz; see {self.log.name}")

    def worker_memory(self) -> list[dict[str, Any]]:
        """RSS, PSS and USS of the master and each worker (from /proc/<pid>/smaps_rollup)."""
        assert self.process is not None
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        rows = []
        for pid in [master, *(int(c) for c in children)]:
            fields: dict[str, int] = {}
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            for line in text.splitlines()[1:]:
                key, _, rest = line.partition(":")
                if rest.strip().endswith("kB"):
                    fields[key] = int(rest.split()[0])
            uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
            rows.append(
                {
                    "pid": pid,
                    "role": "master" if pid == master else "worker",
                    "rss_mb": round(fields.get("Rss", 0) / 1024, 1),
                    "pss_mb": round(fields.get("Pss", 0) / 1024, 1),
                    "uss_mb": round(uss / 1024, 1),
                }
            )
        return rows

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------


def headers_for(fixtures: dict[str, Any], persona: str, path: str) -> tuple[str, str]:
    """(Cookie, Authorization) for a persona: the API with the member's token when it has one
    (the mobile app's way), everything else with the session."""
    if path.startswith("/api/") and persona == "member":
        return "", f"Bearer {fixtures['tokens']['member']}"
    session = fixtures["sessions"][persona]
    return f"sessionid={session}; csrftoken={fixtures['csrf']}", ""


def fetch(path: str, cookie: str, auth: str) -> tuple[int, int, float]:
    """(status, SQL statements, seconds) of one GET."""
    request = urllib.request.Request(f"{BASE}{path}")
    if cookie:
        request.add_header("Cookie", cookie)
    if auth:
        request.add_header("Authorization", auth)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status, queries = response.status, int(response.headers.get("X-Bench-Queries", -1))
    except urllib.error.HTTPError as error:
        status, queries = error.code, int(error.headers.get("X-Bench-Queries", -1))
    return status, queries, time.perf_counter() - started


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


urllib.request.install_opener(urllib.request.build_opener(NoRedirect))


def wrk(paths: list[str], cookie: str, auth: str, seconds: int, connections: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="bench9-", delete=False) as f:
        f.write(f"{cookie}\n{auth}\n" + "\n".join(paths) + "\n")
        name = f.name
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
             "-s", str(BENCH / "pages.lua"), BASE, "--", name],
            check=True, text=True, capture_output=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(name)
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    data = json.loads(line[6:])
    seconds_run = data["duration_us"] / 1e6
    errors = data["non2xx"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
    return {
        "rps": round(data["requests"] / seconds_run, 1),
        "requests": data["requests"],
        "errors": errors,
        "p50_ms": round(data["p50"] / 1000, 1),
        "p95_ms": round(data["p95"] / 1000, 1),
        "p99_ms": round(data["p99"] / 1000, 1),
    }


def measure_pages(
    fixtures: dict[str, Any],
    seconds: int,
    connections: int,
    only: str | None,
    exclude: str | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for target in fixtures["targets"]:
        if only and not re.search(only, target["name"]):
            continue
        if exclude and re.search(exclude, target["name"]):
            continue
        persona, paths = target["persona"], target["paths"]
        cookie, auth = headers_for(fixtures, persona, paths[0])
        # warm-up and correctness: every path answers 200; the query count of a warm request
        statuses, queries, single = [], [], []
        for path in paths:
            fetch(path, cookie, auth)
            status, count, took = fetch(path, cookie, auth)
            statuses.append(status)
            queries.append(count)
            single.append(took)
        floor_cookie, floor_auth = headers_for(fixtures, persona, "/bench/floor/")
        fetch("/bench/floor/", floor_cookie, floor_auth)
        floor_queries = fetch("/bench/floor/", floor_cookie, floor_auth)[1]
        floor = wrk(["/bench/floor/"], floor_cookie, floor_auth, seconds, connections)
        floor["queries"] = floor_queries
        page = wrk(paths, cookie, auth, seconds, connections)
        share, p95_target = TARGETS[target["kind"]]
        ratio = page["rps"] / floor["rps"] if floor["rps"] else 0.0
        row = {
            "name": target["name"],
            "persona": persona,
            "kind": target["kind"],
            "paths": paths,
            "status": sorted(set(statuses)),
            "queries": max(queries),
            "single_ms": round(1000 * min(single), 1),
            "floor": floor,
            "page": page,
            "ratio": round(ratio, 4),
            "target_ratio": share,
            "target_p95_ms": p95_target,
            "meets": bool(
                ratio >= share
                and page["p95_ms"] <= p95_target
                and page["errors"] == 0
                and statuses == [200] * len(statuses)
                and max(queries) <= 12
            ),
        }
        rows.append(row)
        say(
            f"{target['name']:<34} {page['rps']:>7.1f} req/s = {100 * ratio:5.1f}% of floor "
            f"{floor['rps']:.0f}; p50 {page['p50_ms']} p95 {page['p95_ms']} ms; "
            f"{max(queries)} queries; status {sorted(set(statuses))}"
        )
    return rows


def locust(
    scenario: str, fixtures_path: Path, users: int, rate: float, seconds: int, env: dict[str, str]
) -> dict[str, Any]:
    prefix = Path(tempfile.mkdtemp(prefix=f"bench9-{scenario}-")) / "stats"
    cmd = [
        *(locust_command() or ["locust"]), "-f", str(BENCH / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--host", BASE,
        "--csv", str(prefix), "--only-summary", "--stop-timeout", "60", "--loglevel", "WARNING",
    ]  # fmt: skip
    locust_env = dict(env, BENCH_SCENARIO=scenario, BENCH_FIXTURES=str(fixtures_path))
    started = time.monotonic()
    subprocess.run(cmd, env=locust_env, cwd=ROOT, text=True, capture_output=True)
    elapsed = time.monotonic() - started
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[f"{row['Type']} {row['Name']}".strip()] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    failures = []
    try:
        with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
            failures = [dict(r) for r in csv.DictReader(handle)]
    except FileNotFoundError:
        pass
    return {"elapsed_s": round(elapsed, 1), "stats": rows, "failures": failures[:20]}


def checkin(
    fixtures: dict[str, Any], path: Path, env: dict[str, str], database: str
) -> dict[str, Any]:
    n = len(fixtures["checkin"]["tokens"])
    window = 55
    result = locust("checkin", path, n, n / window, window + 15, env)
    meeting = fixtures["checkin"]["meeting_id"]
    checked = int(
        psql(
            "SELECT count(*) FROM consultations_invitation "
            f"WHERE meeting_id = {meeting} AND checked_in_at IS NOT NULL",
            database,
        )
    )
    agg = result["stats"].get("Aggregated", {})
    result.update(members=n, checked_in=checked, window_s=window)
    result["meets"] = bool(
        checked == n and agg.get("failures", 1) == 0 and agg.get("p95_ms", 1e9) < 200
    )
    return result


def burst(
    fixtures: dict[str, Any], path: Path, env: dict[str, str], database: str, window: int
) -> dict[str, Any]:
    members = fixtures["burst"]["members"]
    users = len(members) + len(fixtures["burst"]["office"])
    started = psql("SELECT now()", database)
    result = locust("burst", path, users, len(members) / window, window + 90, env)
    committee = fixtures["burst"]["committee_id"]
    like = "【基准测试】%"
    joint = ",".join(str(m["joint"]) for m in members if m["joint"]) or "0"
    # this burst's proposals: drafted during it, or the joint drafts prepared for it
    states = dict(
        line.split("|")
        for line in psql(
            f"SELECT status, count(*) FROM proposals_proposal WHERE committee_id = {committee} "
            f"AND title LIKE '{like}' AND (created_at >= '{started}' OR id IN ({joint})) "
            "GROUP BY status",
            database,
        ).splitlines()
        if line
    )
    duplicates = psql(
        "SELECT count(*) FROM (SELECT number_series, number FROM proposals_proposal "
        f"WHERE committee_id = {committee} AND number IS NOT NULL "
        "GROUP BY 1, 2 HAVING count(*) > 1) d",
        database,
    )
    gaps = psql(
        "SELECT count(*) FROM (SELECT p.number_series, count(*) n, max(p.number) top, "
        "min(s.last_number) last FROM proposals_proposal p JOIN proposals_proposalnumberseries s "
        "ON s.committee_id = p.committee_id AND s.key = p.number_series "
        f"WHERE p.committee_id = {committee} AND p.number IS NOT NULL GROUP BY 1) x "
        "WHERE n <> top OR top <> last",
        database,
    )
    submits = result["stats"].get("POST POST submit", {})
    accepted = result["stats"].get("POST POST office accept", {})
    agg = result["stats"].get("Aggregated", {})
    filed = sum(int(v) for k, v in states.items() if k != "draft")
    # every member's own draft and every joint draft prepared for the burst (a 409 answered
    # while a co-signer has not confirmed yet is retried, so submit answers overcount)
    expected = len(members) + sum(1 for m in members if m["joint"])
    result.update(
        members=len(members),
        window_s=window,
        states=states,
        filed_in_db=filed,
        expected_filed=expected,
        submit_successes=submits.get("requests", 0) - submits.get("failures", 0),
        accepted_requests=accepted.get("requests", 0),
        duplicated_numbers=int(duplicates),
        series_with_gaps=int(gaps),
    )
    result["meets"] = bool(
        agg.get("failures", 1) == 0
        and int(duplicates) == 0
        and int(gaps) == 0
        and filed == expected
    )
    return result


def soak(path: Path, env: dict[str, str], minutes: float, users: int) -> dict[str, Any]:
    result = locust("soak", path, users, max(1, users / 60), int(minutes * 60), env)
    agg = result["stats"].get("Aggregated", {})
    result.update(users=users, minutes=minutes)
    result["meets"] = bool(agg.get("failures", 1) == 0 and agg.get("p95_ms", 1e9) < 300)
    return result


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = psql("SHOW server_version")
    load = os.getloadavg()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
        "load_before": [round(x, 2) for x in load],
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"scale {report['scale']:g} · {report['data']['rows']['proposals_proposal']:,} proposals · "
        f"{report['data']['rows']['members_member']:,} members · "
        f"{report['data']['rows']['opinions_opinionreport']:,} reports · "
        f"{report['data']['rows']['consultations_meeting']:,} meetings · "
        f"gunicorn {report['workers']} workers (--preload) · wrk -c{report['connections']} "
        f"{report['seconds']}s per run",
        "",
        "| page / endpoint | persona | req/s | floor req/s | share of floor | target | p50 ms "
        "| p95 ms | queries | floor queries | ok |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for row in report["pages"]:
        target = f"≥ {100 * row['target_ratio']:.0f}%" if row["target_ratio"] else "—"
        target += f", p95 < {row['target_p95_ms']}"
        lines.append(
            f"| {row['name']} | {row['persona']} | {row['page']['rps']:.1f} | "
            f"{row['floor']['rps']:.0f} | {100 * row['ratio']:.1f}% | {target} | "
            f"{row['page']['p50_ms']:.0f} | {row['page']['p95_ms']:.0f} | {row['queries']} | "
            f"{row['floor'].get('queries', '?')} | {'✓' if row['meets'] else '✗'} |"
        )
    if report.get("memory"):
        workers = [m for m in report["memory"] if m["role"] == "worker"]
        lines += [
            "",
            "worker memory after warm-up (MB): "
            + ", ".join(
                f"RSS {m['rss_mb']} / PSS {m['pss_mb']} / USS {m['uss_mb']}" for m in workers
            )
            + " (target RSS < 250)",
        ]
    for key, label in (("checkin", "check-in"), ("burst", "plenary burst"), ("soak", "soak")):
        scenario = report.get(key)
        if not scenario:
            continue
        agg = scenario["stats"].get("Aggregated", {})
        extra = ""
        if key == "checkin":
            extra = (
                f"{scenario['checked_in']}/{scenario['members']} checked in "
                f"in {scenario['window_s']} s"
            )
        elif key == "burst":
            extra = (
                f"{scenario['members']} members in {scenario['window_s']} s; "
                f"{scenario['filed_in_db']}/{scenario.get('expected_filed', '?')} filed in the "
                "database, "
                f"{scenario['submit_successes']} submit answers 200; "
                f"duplicated numbers {scenario['duplicated_numbers']}, series with gaps "
                f"{scenario['series_with_gaps']}"
            )
        else:
            extra = f"{scenario['users']} users for {scenario['minutes']} min"
        lines.append(
            f"{label}: {extra}; {agg.get('requests', 0)} requests, {agg.get('failures', 0)} "
            f"failures, p50 {agg.get('p50_ms', 0):.0f} ms, p95 {agg.get('p95_ms', 0):.0f} ms "
            f"{'✓' if scenario['meets'] else '✗'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure the portal (issue 9).")
    parser.add_argument(
        "--scale",
        type=parse_scale,
        default=SCALES["small"],
        help="tiny, small (default), moderate, full, or a share of full such as 0.05",
    )
    parser.add_argument("--full", action="store_true", help="full scale (--scale full)")
    parser.add_argument("--regenerate", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--seconds", type=int, default=6, help="seconds per wrk run (default 6)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--only", help="only pages whose name matches this regular expression")
    parser.add_argument("--exclude", help="leave out pages whose name matches this expression")
    parser.add_argument("--checkin", type=int, default=700, help="members checking in (700)")
    parser.add_argument("--burst", type=int, default=500, help="members in the burst (500)")
    parser.add_argument("--burst-seconds", type=int, default=120, help="burst window (issue: 300)")
    parser.add_argument("--soak", action="store_true", help="run the soak (10 minutes)")
    parser.add_argument("--soak-minutes", type=float, default=10)
    parser.add_argument("--soak-users", type=int, default=200)
    parser.add_argument(
        "--skip", default="", help="comma list of steps to skip: pages,checkin,burst"
    )
    args = parser.parse_args(argv)
    scale = 1.0 if args.full else args.scale
    skip = set(filter(None, args.skip.split(",")))
    if locust_command() is None and not {"checkin", "burst"} <= skip:
        say("no locust (set BENCH_LOCUST or pip install locust): check-in and burst skipped")
        skip |= {"checkin", "burst"}
        args.soak = False
    env = bench_env(scale)
    RESULTS.mkdir(exist_ok=True)
    report: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "scale": scale,
        "machine": machine(),
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True, capture_output=True
        ).stdout.strip(),
    }
    report["data"] = ensure_database(scale, args.regenerate, env)
    say(f"data: {report['data']}")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    fixtures_path = Path(tempfile.gettempdir()) / f"bench9-fixtures-{db_name(scale)}.json"
    run([PYTHON, "-m", "bench.prepare", "--out", str(fixtures_path), "--checkin",
         str(args.checkin), "--burst", str(args.burst)], env)  # fmt: skip
    fixtures = json.loads(fixtures_path.read_text(encoding="utf-8"))
    server = Server(env, args.workers)
    try:
        server.start()
        say(f"gunicorn up ({server.log.name})")
        if "pages" not in skip:
            report["pages"] = measure_pages(
                fixtures, args.seconds, args.connections, args.only, args.exclude
            )
        else:
            report["pages"] = []
        report["memory"] = server.worker_memory()
        say(f"memory: {report['memory']}")
        if "checkin" not in skip:
            report["checkin"] = checkin(fixtures, fixtures_path, env, db_name(scale))
            say(f"check-in: {report['checkin']['stats'].get('Aggregated')}")
        if "burst" not in skip:
            report["burst"] = burst(
                fixtures, fixtures_path, env, db_name(scale), args.burst_seconds
            )
            say(f"burst: {report['burst']['stats'].get('Aggregated')}")
        if args.soak:
            report["soak"] = soak(fixtures_path, env, args.soak_minutes, args.soak_users)
            say(f"soak: {report['soak']['stats'].get('Aggregated')}")
        report["memory_after"] = server.worker_memory()
    finally:
        server.stop()
    report["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    text = table(report)
    print("\n" + text)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"{stamp}-scale{scale:g}.json", f"latest-scale{scale:g}.json"):
        (RESULTS / name).write_text(
            json.dumps({**report, "table": text}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    (RESULTS / f"latest-scale{scale:g}.md").write_text(text + "\n", encoding="utf-8")
    say(f"written to {RESULTS}/latest-scale{scale:g}.json and .md")


if __name__ == "__main__":
    main()
