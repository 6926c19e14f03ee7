"""Report jobs: progress up to 100 and done; failures end as failed with a message (never a 500);
the background thread and the worker command. Only the register (a fast workbook) is built here."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from stoa.reports import jobs
from stoa.reports.build import register
from stoa.reports.build.common import Step
from stoa.reports.models import ReportJob
from stoa.reports.services import request_report
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def queued(settings: Any) -> Any:
    """Jobs stay queued (no inline run, no thread), as for an installation with a worker process."""
    settings.STOA_REPORTS_INLINE = False
    settings.STOA_REPORTS_THREADS = False


def test_a_job_reports_each_step_and_ends_done_at_100_percent(org, officer, monkeypatch):
    factories.make_site(org, name="Market Square")
    seen: list[tuple[int, str]] = []
    real = jobs._update

    def spy(job_id: Any, **fields: Any) -> None:
        if "progress" in fields:
            seen.append((fields["progress"], fields.get("step", "")))
        real(job_id, **fields)

    monkeypatch.setattr(jobs, "_update", spy)
    job = request_report(officer, org, kind="register")
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    assert job.started_at and job.finished_at and job.file.name.endswith(".xlsx")
    progress = [p for p, _step in seen]
    assert progress == sorted(progress) and progress[0] == 0 and progress[-1] == 100
    assert [s for _p, s in seen][:2] == ["Public spaces", "Assessments and scenario ratings"]


def test_an_unexpected_error_ends_the_job_failed_with_a_message_not_a_500(client, org, viewer, monkeypatch):
    def explode(context: dict[str, Any]) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(register, "STEPS", [*register.STEPS[:1], Step("Boom", explode)])
    client.force_login(viewer)
    response = client.post(reverse("reports:list"), {"kind": "register"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == "failed" and "unexpected error (RuntimeError)" in job.error
    assert "disk on fire" not in job.error  # internals stay in the server log
    page = client.get(response["Location"])
    assert page.status_code == 200 and "unexpected error (RuntimeError)" in page.content.decode()
    assert 'hx-trigger="every 1s"' not in page.content.decode()  # a failed job is not polled


def test_a_plan_deleted_before_its_report_is_built_ends_failed_with_a_clear_message(org, officer, queued):
    from tests.report_samples import make_city

    plan = make_city(org)["plan"]
    job = request_report(officer, org, kind="action_plan", plan=plan)
    assert job.status == "queued"
    plan.delete()
    out = StringIO()
    call_command("run_report_jobs", stdout=out)
    job.refresh_from_db()
    assert job.status == "failed" and "no longer exists" in job.error and not job.file
    assert "1 report job(s) run." in out.getvalue() and "failed" in out.getvalue()


def test_the_worker_command_builds_queued_jobs_once(org, officer, queued):
    job = request_report(officer, org, kind="register")
    assert (job.status, job.progress) == ("queued", 0)
    call_command("run_report_jobs", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == "done" and job.file
    assert not jobs.claim(job.pk)  # a finished job is never claimed again
    out = StringIO()
    call_command("run_report_jobs", stdout=out)
    assert "0 report job(s) run." in out.getvalue()


def test_without_inline_runs_a_thread_is_started_after_the_commit(org, officer, settings, monkeypatch):
    settings.STOA_REPORTS_INLINE = False
    started: list[Any] = []

    class FakeThread:
        def __init__(self, target: Any, args: tuple[Any, ...], **kwargs: Any) -> None:
            self.target, self.args = target, args

        def start(self) -> None:
            started.append(self.args[0])
            self.target(*self.args)  # what the thread would do, here in the test's own transaction

    monkeypatch.setattr(jobs.threading, "Thread", FakeThread)
    monkeypatch.setattr(jobs.connections, "close_all", lambda: None)  # keep the test's connection
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = request_report(officer, org, kind="register")
        assert job.status == "queued" and not started
    job.refresh_from_db()
    assert started == [job.pk] and job.status == "done"


def test_the_worker_command_ends_jobs_left_running_by_a_dead_process(org, officer, queued):
    import datetime

    from django.utils import timezone

    job = request_report(officer, org, kind="register")
    two_hours_ago = timezone.now() - datetime.timedelta(hours=2)
    ReportJob.objects.filter(pk=job.pk).update(status="running", started_at=two_hours_ago)
    out = StringIO()
    call_command("run_report_jobs", "--stale-after", "60", stdout=out)
    job.refresh_from_db()
    assert job.status == "failed" and "interrupted" in job.error
    assert "1 interrupted report job(s) marked failed." in out.getvalue()
