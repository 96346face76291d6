"""The database side of issue 9's fixes, on the benchmark's data, old shape against new in the
same run (so the machine's load weighs on both alike):

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://…/zhengxie_bench_0_05 \\
        .venv/bin/python -m bench.queries --fixtures /tmp/bench9-fixtures-zhengxie_bench_0_05.json

For the personas bench.prepare signed in (the busiest member of the province, its proposal
office): 「我的提案」's page and count, the office's all-proposals page and count, each as the
old query (an OR across the membership join and an EXISTS on co-signers; staff visibility
"personal OR not a draft" through the joins, the texts loaded) and as the portal builds it now,
each with and without the proposal_list_order index (dropped inside a transaction that is rolled
back); and the session write every signed-in request paid before the idle-timeout fix (an UPDATE
and a COMMIT). Each figure is the median of --repeat executions (EXPLAIN ANALYZE's execution
time; the session write timed around save()). Nothing is changed: the index drop is rolled back.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any


def explain_ms(sql: str, params: Any) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Execution Time"])


def median_ms(queryset: Any, repeat: int, *, count: bool = False) -> float:
    sql, params = queryset.query.sql_with_params()
    if count:
        sql = f"SELECT count(*) FROM ({sql}) counted"
    explain_ms(sql, params)  # warm the cache
    return round(statistics.median(explain_ms(sql, params) for _ in range(repeat)), 2)


def old_shapes(member: Any, office: Any, term_id: int) -> dict[str, Any]:
    """The queries as they were before the fixes (visibility.py / proposals.py of d9abd69)."""
    from django.db.models import Q

    from apps.organisation.selectors import committee_ids_visible_to
    from apps.proposals.models import Proposal, ProposalStatus
    from apps.proposals.selectors.visibility import authored_q, cosigned_q, with_list_relations

    def old_relations(queryset: Any) -> Any:
        return with_list_relations(queryset).defer(None).defer("search_vector", "keyword_vector")

    mine = old_relations(
        Proposal.objects.filter(
            authored_q(member) | cosigned_q(member),
            committee_id__in=committee_ids_visible_to(member),
        )
    ).order_by("-updated_at", "-id")
    personal = authored_q(office) | cosigned_q(office)
    office_list = old_relations(
        Proposal.objects.filter(
            Q(committee_id__in=committee_ids_visible_to(office))
            & (personal | ~Q(status=ProposalStatus.DRAFT)),
            committee_id=office.committee_id,
            term_id=term_id,
        )
    ).order_by("-submitted_at", "-id")
    return {"mine": mine, "office list": office_list}


def new_shapes(member: Any, office: Any, term_id: int) -> dict[str, Any]:
    from apps.proposals.selectors import ProposalFilter, proposal_list_mine
    from apps.proposals.selectors.office import OfficeListFilter, proposal_office_list

    filters = OfficeListFilter(
        base=ProposalFilter(committee_id=office.committee_id, term_id=term_id)
    )
    return {
        "mine": proposal_list_mine(user=member),
        "office list": proposal_office_list(user=office, filters=filters),
    }


def measure(shapes: dict[str, Any], repeat: int, page: int) -> dict[str, float]:
    out = {}
    for name, queryset in shapes.items():
        out[f"{name} page"] = median_ms(queryset[:page], repeat)
        out[f"{name} count"] = median_ms(queryset.order_by().values("pk"), repeat, count=True)
    return out


def session_write_ms(session_key: str, repeat: int) -> float:
    """What the idle-timeout middleware made every signed-in request pay: save the session."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    times = []
    for _ in range(repeat):
        store = store_class(session_key)
        store["zx_last_activity"] = time.time()
        started = time.perf_counter()
        store.save()
        times.append(1000 * (time.perf_counter() - started))
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", required=True, type=Path)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--page", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction

    from apps.accounts.models import User
    from apps.organisation.models import Term
    from apps.proposals.selectors.visibility import personal_ids

    fixtures = json.loads(args.fixtures.read_text(encoding="utf-8"))

    def persona(role: str) -> User:
        data = Session.objects.get(session_key=fixtures["sessions"][role]).get_decoded()
        return User.objects.get(pk=data["_auth_user_id"])

    member, office = persona("member"), persona("office")
    assert office.committee_id is not None
    term = Term.objects.get(committee_id=office.committee_id, is_current=True)
    rows = {
        "mine rows": new_shapes(member, office, term.pk)["mine"].count(),
        "office list rows": new_shapes(member, office, term.pk)["office list"].order_by().count(),
    }
    report: dict[str, Any] = {"rows": rows, "repeat": args.repeat}
    report["old shape"] = measure(old_shapes(member, office, term.pk), args.repeat, args.page)
    report["new shape"] = measure(new_shapes(member, office, term.pk), args.repeat, args.page)
    # the new 「我的提案」 reads its ids first (one more query): timed on its own
    report["new shape"]["mine ids (the union)"] = median_ms(personal_ids(member), args.repeat)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS proposal_list_order")
        report["old shape, no list index (as before)"] = measure(
            old_shapes(member, office, term.pk), args.repeat, args.page
        )
        report["new shape, no list index"] = measure(
            new_shapes(member, office, term.pk), args.repeat, args.page
        )
        transaction.set_rollback(True)
    report["session write per request (old middleware)"] = session_write_ms(
        fixtures["sessions"]["member"], args.repeat
    )
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
