"""Recording who acted, for changes made outside a page request (API, command line, services).

django-auditlog's middleware takes the actor from ``request.user`` before the view runs, which
is still anonymous for API calls authenticated by token; and its ``set_actor`` context does not
restore an outer context when nested, which would leave the outer signal receiver connected for
good. ``acting_as`` nests cleanly: it keeps the outer context's address and port, and puts the
outer context back when it ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, set_extra_data


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Record USER as the actor of every audited change inside the block (no-op without a user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    previous = auditlog_value.get(None)
    data = {k: v for k, v in (previous or {}).items() if k != "signal_duid"}
    data["actor"] = user
    try:
        with set_extra_data(context_data=data):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)
