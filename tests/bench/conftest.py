"""The proposals tests' builder fixtures, for the query-shape tests of issue 9's fixes."""

from tests.proposals.conftest import build, category, cosigner_user  # noqa: F401
