import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Kept beside its tests (pyproject's marker list belongs to the whole team).
    config.addinivalue_line(
        "markers",
        "replica: needs a real streaming replica (scripts/pg_replica.sh sets XINFANG_PG_REPLICA_HOST); "
        "skipped otherwise; scripts/test.sh runs them with -m replica",
    )
