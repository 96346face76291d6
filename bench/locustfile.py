"""locust scenarios of the benchmark (bench/run starts them headless; BENCH_SCENARIO picks one,
BENCH_FIXTURES names the file bench.prepare wrote).

- checkin: every invited member checks in once through the API with the code on the venue
  screen (the QR token of the current 30-second period), all within the spawn window.
- burst: the plenary burst. Each member answers the co-sign invitations waiting for them,
  creates a draft, saves it again, submits it, and submits their own joint draft once its
  co-signer has answered; the proposal office accepts what comes in (立案 issues the numbers).
- soak: the day's mix of roles, written down in bench/README.md ("The soak's mix").
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections import deque
from typing import Any

from locust import FastHttpUser, between, constant, task
from locust.exception import StopUser

FIXTURES: dict[str, Any] = json.loads(
    open(os.environ["BENCH_FIXTURES"], encoding="utf-8").read()  # noqa: SIM115
)
SCENARIO = os.environ.get("BENCH_SCENARIO", "soak")
CSRF = FIXTURES["csrf"]
_next = itertools.count()
SUBMITTED: deque[int] = deque()


def session_headers(session: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


if SCENARIO == "checkin":
    CHECKIN = FIXTURES["checkin"]

    class CheckInMember(FastHttpUser):
        """One member, one scan, then gone."""

        wait_time = constant(0)

        @task
        def check_in(self) -> None:
            index = next(_next)
            if index >= len(CHECKIN["tokens"]):
                raise StopUser()
            slot = str(int(time.time()) // CHECKIN["rotation"])
            token = CHECKIN["slots"][slot]
            self.client.post(
                "/api/v1/consultations/checkin",
                json={"code": f"/consultations/c/{CHECKIN['meeting_id']}/{token}/"},
                headers=bearer(CHECKIN["tokens"][index]),
                name="POST checkin",
            )
            raise StopUser()


if SCENARIO == "burst":
    BURST = FIXTURES["burst"]
    _office = itertools.count()

    class PlenaryMember(FastHttpUser):
        """A member filing at the plenary: answer co-sign invitations, draft, save, submit."""

        weight = 50
        wait_time = between(1, 4)

        def on_start(self) -> None:
            index = next(_next)
            if index >= len(BURST["members"]):
                raise StopUser()
            self.me = BURST["members"][index]
            self.text = BURST["texts"][index % len(BURST["texts"])]
            self.auth = bearer(self.me["token"])

        @task
        def file(self) -> None:
            for cosigner_id in self.me["answer"]:
                self.client.post(
                    f"/api/v1/proposals/cosign/{cosigner_id}",
                    json={"answer": "confirm"},
                    headers=self.auth,
                    name="POST cosign answer",
                )
            title, grounds, suggestions = self.text
            with self.client.post(
                "/api/v1/proposals/drafts",
                json={"title": title, "grounds": grounds, "category_id": BURST["category_id"]},
                headers=self.auth,
                name="POST draft",
                catch_response=True,
            ) as response:
                if response.status_code != 201:
                    response.failure(f"draft: {response.status_code}")
                    raise StopUser()
                draft = response.json()["id"]
            time.sleep(random.uniform(1, 4))
            self.client.patch(
                f"/api/v1/proposals/{draft}",
                json={"suggestions": suggestions},
                headers=self.auth,
                name="PATCH draft (autosave)",
            )
            time.sleep(random.uniform(1, 4))
            self._submit(draft, retries=0)
            if self.me["joint"]:
                self._submit(self.me["joint"], retries=15)
            raise StopUser()

        def _submit(self, proposal_id: int, retries: int) -> None:
            for attempt in range(retries + 1):
                with self.client.post(
                    f"/api/v1/proposals/{proposal_id}/submit",
                    headers=self.auth,
                    name="POST submit",
                    catch_response=True,
                ) as response:
                    if response.status_code == 200:
                        SUBMITTED.append(proposal_id)
                        return
                    if response.status_code == 409 and attempt < retries:
                        # the co-signer has not answered yet: not an error, try again later
                        response.success()
                        time.sleep(5)
                        continue
                    response.failure(f"submit: {response.status_code}")
                    return

    class ProposalOffice(FastHttpUser):
        """An officer accepting (立案) the submitted proposals as they come in."""

        weight = 1
        fixed_count = len(BURST["office"])
        wait_time = constant(0.5)

        def on_start(self) -> None:
            self.headers = session_headers(
                BURST["office"][next(_office) % len(BURST["office"])]["session"]
            )

        @task
        def accept(self) -> None:
            try:
                proposal_id = SUBMITTED.popleft()
            except IndexError:
                time.sleep(1)
                return
            with self.client.post(
                f"/proposals/office/{proposal_id}/accept/",
                data={"category": str(BURST["category_id"]), "note": ""},
                headers=self.headers,
                name="POST office accept",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code in (200, 302):
                    response.success()
                else:
                    response.failure(f"accept: {response.status_code}")


if SCENARIO == "soak":
    SOAK = FIXTURES["soak"]
    _counters = {
        role: itertools.count() for role in ("member", "office", "unit", "leader", "opinion")
    }

    def pick(role: str) -> dict[str, Any]:
        people = SOAK[role]
        return people[next(_counters[role]) % len(people)]

    class Member(FastHttpUser):
        """Members mostly read their home and their proposals (75 % of the users)."""

        weight = 75
        wait_time = between(3, 12)

        def on_start(self) -> None:
            self.me = pick("member")
            self.headers = session_headers(self.me["session"])

        def get(self, path: str, name: str) -> None:
            self.client.get(path, headers=self.headers, name=name)

        @task(30)
        def home(self) -> None:
            self.get("/", "member home")

        @task(20)
        def mine(self) -> None:
            self.get("/proposals/", "我的提案")

        @task(20)
        def detail(self) -> None:
            pool = self.me["proposals"] or SOAK["recent_proposals"]
            self.get(f"/proposals/{random.choice(pool)}/", "proposal detail")

        @task(8)
        def meetings(self) -> None:
            self.get("/consultations/", "我的会议")

        @task(5)
        def opinions(self) -> None:
            self.get("/opinions/", "我的社情民意")

        @task(7)
        def notifications(self) -> None:
            self.get("/api/v1/notifications", "API notifications")

        @task(5)
        def api_mine(self) -> None:
            self.get("/api/v1/proposals/mine", "API proposals/mine")

        @task(5)
        def roster_card(self) -> None:
            self.get("/members/me/", "my profile")

    class Office(FastHttpUser):
        """The proposal office working its queues (10 %)."""

        weight = 10
        wait_time = between(3, 10)

        def on_start(self) -> None:
            self.headers = session_headers(pick("office")["session"])

        def get(self, path: str, name: str) -> None:
            self.client.get(path, headers=self.headers, name=name)

        @task(25)
        def review(self) -> None:
            self.get("/proposals/office/review/", "office review queue")

        @task(20)
        def listing(self) -> None:
            self.get("/proposals/office/proposals/", "office all proposals")

        @task(15)
        def search(self) -> None:
            term = random.choice(SOAK["search_terms"])
            self.get(f"/proposals/office/proposals/?q={term}", "office all proposals ?q=")

        @task(15)
        def board(self) -> None:
            self.get("/proposals/office/assign/", "assignment board")

        @task(25)
        def detail(self) -> None:
            self.get(f"/proposals/{random.choice(SOAK['recent_proposals'])}/", "proposal detail")

    class Unit(FastHttpUser):
        """Handling units reading their list and answering (8 %)."""

        weight = 8
        wait_time = between(3, 12)

        def on_start(self) -> None:
            self.me = pick("unit")
            self.headers = session_headers(self.me["session"])

        @task(50)
        def listing(self) -> None:
            self.client.get("/proposals/unit/", headers=self.headers, name="unit list")

        @task(50)
        def assignment(self) -> None:
            if not self.me["assignments"]:
                return self.listing()
            pk = random.choice(self.me["assignments"])
            self.client.get(
                f"/proposals/assignments/{pk}/", headers=self.headers, name="unit assignment"
            )

    class Leader(FastHttpUser):
        """Leadership opening their home and 重点提案 (4 %)."""

        weight = 4
        wait_time = between(5, 15)

        def on_start(self) -> None:
            self.headers = session_headers(pick("leader")["session"])

        @task(60)
        def home(self) -> None:
            self.client.get("/", headers=self.headers, name="leadership home")

        @task(40)
        def key(self) -> None:
            self.client.get("/proposals/key/", headers=self.headers, name="重点提案")

    class OpinionOffice(FastHttpUser):
        """The 社情民意信息处 screening and reading statistics (3 %)."""

        weight = 3
        wait_time = between(3, 12)

        def on_start(self) -> None:
            self.headers = session_headers(pick("opinion")["session"])

        @task(70)
        def screening(self) -> None:
            self.client.get(
                "/opinions/office/queue/screen/", headers=self.headers, name="opinion screening"
            )

        @task(30)
        def stats(self) -> None:
            self.client.get("/opinions/stats/", headers=self.headers, name="opinion statistics")
