"""No 500s: schemathesis generates requests for every API operation from the OpenAPI schema and sends
each one as four callers: the organisation's administrator, its security officer, a read-only viewer,
and the administrator of another organisation. Every response must be no server error, a status the
schema lists, of a content type it lists, and (for JSON) shaped as the schema says.

Each request runs in a savepoint that is rolled back, so a generated DELETE does not take the seeded
world (tests/fuzz_world.py) away from the next call, and every path parameter names an object that
exists. Examples per operation: ``STOA_FUZZ_EXAMPLES`` (3 in CI; docs/release.md has the long run).
Generation is derandomised, so a run is the same on every machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz_world import ROLE_USERS, FuzzWorld, build_world, collect_ids, path_values

EXAMPLES = int(os.environ.get("STOA_FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The token endpoint is left out: it is throttled (10 a minute) and takes no token; tests/test_security.py
# covers it. Every other operation is fuzzed.
SKIPPED = {("POST", "/api/v1/auth/token/")}


def _schema_dict() -> dict[str, Any]:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


SCHEMA = schemathesis.openapi.from_dict(_schema_dict())
SCHEMA.app = get_wsgi_application()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
FUZZED = [op for op in OPERATIONS if (op.method.upper(), op.path) not in SKIPPED]


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: Any) -> Any:
    return tmp_path_factory.mktemp("fuzz-media")


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, media_root: Any) -> Iterator[FuzzWorld]:
    """The seeded world, built once for the module inside a transaction rolled back at its end.
    Each test's own transaction (the ``db`` fixture) nests inside it as a savepoint."""
    from django.conf import settings as django_settings
    from django.test import Client

    old_media = django_settings.MEDIA_ROOT
    django_settings.MEDIA_ROOT = media_root
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            collect_ids(built, Client(), [op.path for op in OPERATIONS if op.method.upper() == "GET"])
            # Fuzzed requests go straight to the WSGI application, whose request signals close the
            # database connection (and with it, on PostgreSQL, the world's transaction). Django's test
            # client unhooks them for each of its own requests, and hooks them again after: so here,
            # after the last client request above.
            signals.request_started.disconnect(close_old_connections)
            signals.request_finished.disconnect(close_old_connections)
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            django_settings.MEDIA_ROOT = old_media
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


def _call_as_each_role(case: Any, world: FuzzWorld) -> None:
    for role in ROLE_USERS:
        with transaction.atomic():
            response = case.call(headers={"Authorization": f"Token {world.tokens[role]}"})
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS)


@pytest.mark.parametrize("operation", FUZZED, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_server_errors(operation: Any, world: FuzzWorld, db: Any) -> None:
    known = path_values(operation.path, world) or {}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: Any) -> None:
        case = data.draw(operation.as_strategy(path_parameters=known or None))
        _call_as_each_role(case, world)

    run()
