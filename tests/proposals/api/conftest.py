"""The API tests share the page tests' personas, builders and matrix oracle
(tests/proposals/web/conftest.py)."""

from ..web.conftest import (  # noqa: F401  (fixtures and helpers, shared)
    PERSONA_FIXTURES,
    db_state,
    new_audit_verbs,
    received_assignment,
    unit_assignment,
)
