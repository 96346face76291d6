"""Display helpers shared by the member pages and the home card."""

from __future__ import annotations

from ...models import ProposalStatus

# Bootstrap badge class per status: colour helps, the text says it (never colour alone).
STATUS_BADGES: dict[str, str] = {
    ProposalStatus.DRAFT: "text-bg-light border",
    ProposalStatus.SUBMITTED: "text-bg-info",
    ProposalStatus.WITHDRAWN: "text-bg-secondary",
    ProposalStatus.ACCEPTED: "text-bg-primary",
    ProposalStatus.REJECTED: "text-bg-dark",
    ProposalStatus.TRANSFER_PENDING: "text-bg-warning",
    ProposalStatus.TRANSFERRED: "text-bg-secondary",
    ProposalStatus.MERGED: "text-bg-secondary",
    ProposalStatus.ASSIGNED: "text-bg-primary",
    ProposalStatus.REPLIED: "text-bg-warning",
    ProposalStatus.REHANDLING: "text-bg-danger",
    ProposalStatus.EVALUATED: "text-bg-success",
    ProposalStatus.CLOSED: "text-bg-success",
}


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light border")
