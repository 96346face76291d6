"""The annual-report batch at benchmark scale (issue 14): a real Celery worker builds every
member's 年度履职报告 while this script watches it.

    python -m bench.batch                      # scale 0.01 (bench/run --scale small made it)
    python -m bench.batch --scale 0.05         # zhengxie_bench_0_05 (bench/run --scale moderate)
    python -m bench.batch --members 1000       # only as many committees as cover 1,000 members
    python -m bench.batch --database postgres://…/somedb

What it does, against a database the generator filled (bench/generate.py; this script never
creates or drops one):

1. starts a real worker (`celery -A zhengxie worker`, prefork, `--concurrency` processes, 2 by
   default) on a Redis database of its own (`--redis-db`, 12 by default: broker and cache, so it
   meets no other run's queue), with the benchmark's production settings;
2. starts the year's batch for every committee through the service the 委员联络处's button
   calls (`batch_start`, as the committee's liaison user), and waits until none is running (the
   data of every report: its web page), then for the PDF pass that follows (at most
   `--pdf-wait` seconds) and the queue to drain (the notices), while a thread samples the
   worker processes' RSS from /proc (VmRSS every 0.2 s, VmHWM too);
3. times single PDFs in this process for the members with the largest records of the year
   (`--sample`): the content (the chunk's queries for one member) and the PDF apart, the first
   build (which reads the fonts) apart from the rest;
4. prints a table against the issue's targets — all 30,000 members in under 5 minutes on 2
   cores, any single PDF under 2 s, the worker's peak memory under 1 GiB — and writes
   bench/results/<stamp>-batch-scale<s>.json.

The year is the one with the most duty scores unless `--year` says. Re-running replaces the
year's reports (the service's own rule); members already told are not told again. Mail goes to
Django's in-memory backend and SMS to the log backend, so nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
TARGET_MEMBERS = 30_000
TARGET_SECONDS = 300.0
TARGET_PDF_SECONDS = 2.0
TARGET_RSS_MB = 1024.0


def say(message: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", flush=True)


def db_name(scale: float) -> str:
    """The generator's database of a scale (the same names as bench/runner.py)."""
    return "zhengxie_bench" if scale >= 1 else "zhengxie_bench_" + f"{scale:g}".replace(".", "_")


# ---------------------------------------------------------------------------------------------
# The worker's processes and their memory (/proc, no psutil needed)
# ---------------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Samples the RSS of a process and its children until stopped: the peak of any one
    process, the peak of their sum, and each process's kernel high-water mark (VmHWM)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.every = every
        self.halt = threading.Event()
        self.peak_process_kb = 0
        self.peak_total_kb = 0
        self.hwm_kb: dict[int, int] = {}
        self.samples = 0

    def sample(self) -> None:
        pids = [self.pid, *_children(self.pid)]
        sizes = {pid: _status_kb(pid, "VmRSS") for pid in pids}
        self.peak_process_kb = max(self.peak_process_kb, *sizes.values())
        self.peak_total_kb = max(self.peak_total_kb, sum(sizes.values()))
        for pid in pids:
            self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), _status_kb(pid, "VmHWM"))
        self.samples += 1

    def run(self) -> None:
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(self.every)

    def stop(self) -> None:
        self.sample()
        self.halt.set()
        self.join(timeout=5)


class Worker:
    """A real Celery worker of the project, started and stopped by this script only."""

    def __init__(self, env: dict[str, str], concurrency: int) -> None:
        self.env = env
        self.concurrency = concurrency
        self.log_path = Path(f"/tmp/bench-batch-worker-{os.getpid()}.log")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> int:
        cmd = [
            PYTHON, "-m", "celery", "-A", "zhengxie", "worker",
            "--pool", "prefork", "--concurrency", str(self.concurrency),
            "--loglevel", "WARNING", "--hostname", f"bench-batch-{os.getpid()}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        return self.process.pid

    def ready(self, timeout: float = 120) -> None:
        """Wait until the worker has forked its processes (they then wait for tasks)."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the worker exited; see {self.log_path}")
            if len(_children(self.process.pid)) >= self.concurrency:
                return
            time.sleep(0.5)
        raise SystemExit(f"the worker did not start in {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish, then exit
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# The batch, through the staff service
# ---------------------------------------------------------------------------------------------


def _setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _year(year: int | None) -> int:
    from django.db.models import Count

    from apps.duties.models import DutySummary

    if year:
        return year
    top = DutySummary.objects.values("year").annotate(n=Count("id")).order_by("-n", "-year").first()
    if top is None:
        raise SystemExit("no duty scores in this database: fill it with bench/generate.py first")
    return int(top["year"])


def _liaison(committee_id: int) -> Any:
    from django.contrib.auth import get_user_model

    from apps.accounts.roles import Role

    return (
        get_user_model()
        .objects.filter(
            committee_id=committee_id, is_active=True, groups__name=Role.LIAISON_OFFICE.value
        )
        .order_by("id")
        .first()
    )


def _queue_length() -> int:
    import redis
    from django.conf import settings

    return int(redis.Redis.from_url(settings.CELERY_BROKER_URL).llen("celery"))


def _wait_for_pdfs(tokens: list[str], started: float, wait: float) -> dict[str, Any]:
    """After the data: wait (at most `wait` seconds) for the PDF pass to make every built
    report's PDF and for the queue to drain (the members' notices are delivered by then)."""
    from apps.dashboards.models import AnnualReport, ReportStatus

    ready = AnnualReport.objects.filter(batch_token__in=tokens, status=ReportStatus.READY)
    total = ready.count()
    began = time.monotonic()
    drained_at = None
    made = 0
    while time.monotonic() - began < wait:
        made = ready.exclude(pdf="").count()
        if drained_at is None and _queue_length() == 0:
            drained_at = time.monotonic()
        if made >= total:
            break
        time.sleep(1)
    finished = time.monotonic()
    return {
        "pdfs_made": made,
        "pdfs_total": total,
        "pdfs_seconds": round(finished - started, 1) if made >= total else None,
        "pdf_phase_seconds": round(finished - began, 1),
        "queue_drained_seconds": round(drained_at - started, 1) if drained_at else None,
        "pdfs_per_second": round(made / (finished - began), 2) if finished > began else None,
    }


def run_batches(year: int, members: int | None, timeout: float, pdf_wait: float) -> dict[str, Any]:
    from django.db import transaction

    from apps.dashboards.models import AnnualReport, AnnualReportBatch, BatchStatus
    from apps.dashboards.reports import services
    from apps.organisation.models import Committee

    plan = []
    covered = 0
    for committee in Committee.objects.filter(is_active=True).order_by("id"):
        if members is not None and covered >= members:
            break
        count = len(services.report_membership_ids(committee_id=committee.pk, year=year))
        if not count:
            continue
        plan.append((committee, count))
        covered += count
    # A batch an earlier, interrupted run of this script left running would refuse the start.
    stale = AnnualReportBatch.objects.filter(
        committee_id__in=[c.pk for c, _n in plan], year=year, status=BatchStatus.RUNNING
    ).update(status=BatchStatus.FAILED, finished_at=dt.datetime.now(dt.UTC))
    if stale:
        say(f"ended {stale} batch(es) an earlier run left running")
    say(f"starting {len(plan)} batches for {year}: {covered} reports")
    started = time.monotonic()
    batches = []
    for committee, _count in plan:
        user = _liaison(committee.pk)
        with transaction.atomic():  # the worker is told when this commits, as on the page
            batch = services.batch_start(user=user, committee_id=committee.pk, year=year)
        batches.append(batch.pk)
    queued = time.monotonic() - started
    say(f"all batches started in {queued:.1f} s; waiting for the worker")
    progress_at = time.monotonic()
    last = -1
    while True:
        rows = list(
            AnnualReportBatch.objects.filter(pk__in=batches).values_list("status", "done", "failed")
        )
        finished = sum(done + failed for _s, done, failed in rows)
        running = sum(status == BatchStatus.RUNNING for status, _d, _f in rows)
        if finished != last:
            last, progress_at = finished, time.monotonic()
        if not running:
            break
        if time.monotonic() - progress_at > timeout:
            raise SystemExit(f"no progress for {timeout:.0f} s ({finished}/{covered} built)")
        time.sleep(0.5)
    wall = time.monotonic() - started
    tokens = list(AnnualReportBatch.objects.filter(pk__in=batches).values_list("token", flat=True))
    pdfs = _wait_for_pdfs(tokens, started, pdf_wait)
    ended = list(
        AnnualReportBatch.objects.filter(pk__in=batches).values("done", "failed", "started_at")
    )
    built = sum(row["done"] for row in ended)
    failed = sum(row["failed"] for row in ended)
    last_report = (
        AnnualReport.objects.filter(
            batch_token__in=AnnualReportBatch.objects.filter(pk__in=batches).values("token")
        )
        .order_by("-built_at")
        .values_list("built_at", flat=True)
        .first()
    )
    first_start = min(row["started_at"] for row in ended)
    reports_seconds = (last_report - first_start).total_seconds() if last_report else None
    return {
        "year": year,
        "committees": len(plan),
        "members": covered,
        "reports_built": built,
        "reports_failed": failed,
        "wall_seconds": round(wall, 1),
        "start_seconds": round(queued, 1),
        "reports_seconds": round(reports_seconds, 1) if reports_seconds else None,
        "reports_per_second": round(built / wall, 2) if wall else None,
        "projected_seconds_30000": round(TARGET_MEMBERS * wall / covered, 0) if covered else None,
        **pdfs,
        "projected_pdf_hours_30000": round(TARGET_MEMBERS / pdfs["pdfs_per_second"] / 3600, 1)
        if pdfs["pdfs_per_second"]
        else None,
    }


# ---------------------------------------------------------------------------------------------
# Single PDFs, in this process
# ---------------------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def time_pdfs(year: int, sample: int) -> dict[str, Any]:
    from django.db.models import Count

    from apps.dashboards.reports.content import contents_for
    from apps.dashboards.reports.documents import build_report_pdf
    from apps.duties.models import DutyRecord

    largest = list(
        DutyRecord.objects.filter(year=year)
        .values("membership_id")
        .annotate(n=Count("id"))
        .order_by("-n", "membership_id")[:sample]
    )
    content_times: list[float] = []
    pdf_times: list[float] = []
    sizes: list[int] = []
    first = None
    for index, row in enumerate(largest):
        began = time.perf_counter()
        content = contents_for(membership_ids=[row["membership_id"]], year=year)[
            row["membership_id"]
        ]
        content_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        data = build_report_pdf(content)
        spent = time.perf_counter() - began
        sizes.append(len(data))
        if index == 0:
            first = spent  # reads the fonts: once per worker process
        else:
            pdf_times.append(spent)
    records = [row["n"] for row in largest]
    return {
        "sample": len(largest),
        "records_max": max(records, default=0),
        "records_median": statistics.median(records) if records else 0,
        "first_pdf_seconds": round(first, 3) if first is not None else None,
        "pdf_p50": round(_percentile(pdf_times, 0.5), 3),
        "pdf_p95": round(_percentile(pdf_times, 0.95), 3),
        "pdf_max": round(max(pdf_times, default=0.0), 3),
        "content_p50": round(_percentile(content_times, 0.5), 3),
        "pdf_kb_max": round(max(sizes, default=0) / 1024, 1),
    }


# ---------------------------------------------------------------------------------------------


def _table(result: dict[str, Any]) -> str:
    batch, pdf, memory = result["batch"], result["pdf"], result["memory"]
    projected = batch["projected_seconds_30000"] or 0
    rows = [
        ("members (reports to build)", f"{batch['members']}", "", ""),
        ("reports built / failed", f"{batch['reports_built']} / {batch['reports_failed']}", "", ""),
        ("data of every report (batches done)", f"{batch['wall_seconds']} s", "", ""),
        ("reports/s", f"{batch['reports_per_second']}", "", ""),
        (
            "projected, 30,000 members",
            f"{projected:.0f} s",
            f"< {TARGET_SECONDS:.0f} s",
            "✓" if projected < TARGET_SECONDS else "✗",
        ),
        (
            "PDF pass: made / total (in s)",
            f"{batch['pdfs_made']} / {batch['pdfs_total']} ({batch['pdf_phase_seconds']} s)",
            "",
            "",
        ),
        (
            "PDF pass: PDFs/s, projected 30,000",
            f"{batch['pdfs_per_second']}, {batch['projected_pdf_hours_30000']} h",
            "",
            "",
        ),
        ("queue drained (notices sent)", f"{batch['queue_drained_seconds']} s", "", ""),
        ("first PDF (fonts read)", f"{pdf['first_pdf_seconds']} s", "", ""),
        (
            f"PDF p50 / p95 / max (n={pdf['sample'] - 1}, ≤ {pdf['records_max']} records)",
            f"{pdf['pdf_p50']} / {pdf['pdf_p95']} / {pdf['pdf_max']} s",
            f"< {TARGET_PDF_SECONDS:.0f} s",
            "✓" if pdf["pdf_max"] < TARGET_PDF_SECONDS else "✗",
        ),
        (
            "worker peak RSS: one process / all",
            f"{memory['peak_process_mb']} / {memory['peak_total_mb']} MB",
            f"< {TARGET_RSS_MB:.0f} MB",
            "✓" if memory["peak_total_mb"] < TARGET_RSS_MB else "✗",
        ),
    ]
    lines = ["| measure | value | target | ok |", "|---|---:|---:|:-:|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01, help="the bench database's scale")
    parser.add_argument("--database", help="a DATABASE_URL instead of the scale's database")
    parser.add_argument("--members", type=int, help="only committees covering this many")
    parser.add_argument("--year", type=int, help="default: the year with the most scores")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--redis-db", type=int, default=12, help="broker and cache database")
    parser.add_argument("--sample", type=int, default=25, help="PDFs timed in-process")
    parser.add_argument("--timeout", type=float, default=600, help="seconds without progress")
    parser.add_argument(
        "--pdf-wait", type=float, default=900, help="seconds to wait for the PDF pass"
    )
    parser.add_argument("--label", default="", help="added to the result file's name")
    args = parser.parse_args(argv)

    database = args.database or f"postgres://postgres@127.0.0.1:5432/{db_name(args.scale)}"
    if database.rstrip("/").rsplit("/", 1)[-1] == "zhengxie_bench" and args.scale < 1:
        raise SystemExit("refusing the full-scale database without --scale 1")
    redis = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database,
        REDIS_URL=redis,
        CELERY_BROKER_URL=redis,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SMS_BACKEND="apps.core.sms.LogSmsBackend",
        PYTHONPATH=str(ROOT),
    )
    _setup(env)
    from zhengxie.celery import app

    year = _year(args.year)
    purged = app.control.purge()  # what an interrupted run left on this script's queue
    if purged:
        say(f"purged {purged} message(s) an earlier run left queued")
    worker = Worker(env, args.concurrency)
    pid = worker.start()
    say(f"worker {pid} starting ({args.concurrency} processes, {redis}); log {worker.log_path}")
    sampler = MemorySampler(pid)
    try:
        worker.ready()
        sampler.start()
        idle_kb = sum(_status_kb(p, "VmRSS") for p in [pid, *_children(pid)])
        batch = run_batches(year, args.members, args.timeout, args.pdf_wait)
    finally:
        sampler.stop()
        worker.stop()
    say("timing single PDFs in this process")
    pdf = time_pdfs(year, args.sample)
    load = os.getloadavg()
    result = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "database": database.rsplit("/", 1)[-1],
        "scale": args.scale,
        "concurrency": args.concurrency,
        "cores": os.cpu_count(),
        "load_average": [round(value, 2) for value in load],
        "batch": batch,
        "pdf": pdf,
        "memory": {
            "idle_total_mb": round(idle_kb / 1024, 1),
            "peak_process_mb": round(sampler.peak_process_kb / 1024, 1),
            "peak_total_mb": round(sampler.peak_total_kb / 1024, 1),
            "hwm_process_mb": round(max(sampler.hwm_kb.values(), default=0) / 1024, 1),
            "samples": sampler.samples,
        },
        "targets": {
            "members": TARGET_MEMBERS,
            "seconds": TARGET_SECONDS,
            "pdf_seconds": TARGET_PDF_SECONDS,
            "rss_mb": TARGET_RSS_MB,
        },
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    label = f"-{args.label}" if args.label else ""
    path = RESULTS / f"{stamp}-batch-scale{args.scale:g}{label}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(_table(result))
    print(f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} cores")
    say(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
