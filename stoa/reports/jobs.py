"""Starting and running report jobs.

``start_job`` saves the job as queued and then, by the settings (README, "Reports"):

* ``STOA_REPORTS_INLINE`` on: runs it at once, in the request (the tests; a small installation);
* else, with ``STOA_REPORTS_THREADS`` on (the default): hands it to a background thread of the web
  process once the request's transaction has committed (the thread must see the row);
* else: leaves it queued for ``stoa manage run_report_jobs`` (a separate worker process).

``run_job`` claims a queued job with one conditional UPDATE (queued → running), so a thread and a
worker process never build the same job twice. It then runs the builder's steps, writing the step
and the percentage after each in its own short autocommit UPDATE (never inside a long
transaction: SQLite has one writer at a time, and PostgreSQL readers must see progress at once).
A thread uses its own database connection and closes it when done. Any failure ends the job as
failed with a message for the person who asked; nothing propagates to a request as a 500.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from stoa.reports.build import city, plan, register
from stoa.reports.build.common import ReportError
from stoa.reports.models import JobStatus, ReportJob, ReportKind

logger = logging.getLogger(__name__)

BUILDERS: dict[str, Any] = {ReportKind.CITY_OVERVIEW: city, ReportKind.ACTION_PLAN: plan,
                            ReportKind.REGISTER: register}


def _update(job_id: Any, *, retries: int = 5, **fields: Any) -> None:
    """One short UPDATE of the job's row; on a locked SQLite database, wait a little and try again."""
    for attempt in range(retries):
        try:
            ReportJob.objects.filter(pk=job_id).update(**fields)
            return
        except OperationalError:
            if attempt == retries - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def claim(job_id: Any) -> bool:
    """Mark a queued job running; False when it was not queued (someone else runs or ran it)."""
    return bool(ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0, step=_("Starting")))


def run_job(job_id: Any, *, language: str | None = None) -> None:
    """Build the report of a queued job; the job ends done (with its file) or failed (with a message)."""
    if not claim(job_id):
        return
    with override(language or settings.LANGUAGE_CODE):
        try:
            job = ReportJob.objects.select_related("organisation").get(pk=job_id)
            builder = BUILDERS[job.kind]
            context = builder.start(job)
            for index, step in enumerate(builder.STEPS):
                _update(job_id, progress=round(100 * index / len(builder.STEPS)), step=str(step.label))
                step.run(context)
            name = job.download_name
            job.file.save(name, ContentFile(context["content"]), save=False)
            _update(job_id, file=job.file.name, status=JobStatus.DONE, progress=100, step=_("Done"),
                    finished_at=timezone.now(), error="")
        except ReportError as exc:
            _fail(job_id, str(exc))
        except Exception as exc:  # a report must end failed with a message, never hang as running
            logger.exception("report job %s failed", job_id)
            _fail(job_id, _("The report could not be built because of an unexpected error (%(error)s). "
                            "The details are in the server's log; try again, or tell your administrator.")
                  % {"error": type(exc).__name__})


def _fail(job_id: Any, message: str) -> None:
    _update(job_id, status=JobStatus.FAILED, error=message, step=_("Failed"), finished_at=timezone.now())


def _in_thread(job_id: Any, language: str | None) -> None:
    try:
        run_job(job_id, language=language)
    except Exception:  # the job row itself could not be written: log it, a worker can pick it up
        logger.exception("report job %s could not be run", job_id)
    finally:
        connections.close_all()  # this thread's own connections, never the request's


def start_job(job: ReportJob, *, language: str | None = None) -> ReportJob:
    """Queue JOB (already saved) and run it as the settings say; returns it as it is now."""
    if settings.STOA_REPORTS_INLINE:
        run_job(job.pk, language=language)
    elif settings.STOA_REPORTS_THREADS:
        transaction.on_commit(lambda: threading.Thread(
            target=_in_thread, args=(job.pk, language), name=f"report-{job.pk}", daemon=True).start())
    job.refresh_from_db()
    return job


def fail_stale(minutes: float) -> int:
    """End as failed the jobs running for more than MINUTES: their thread or worker died (a restart)."""
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    return ReportJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff).update(
        status=JobStatus.FAILED, step=_("Failed"), finished_at=timezone.now(),
        error=_("The report was interrupted (the server stopped while building it). Start it again."))


def run_queued(limit: int | None = None) -> list[ReportJob]:
    """Run the queued jobs, oldest first (``stoa manage run_report_jobs``); returns them as they ended."""
    ids = list(ReportJob.objects.filter(status=JobStatus.QUEUED).order_by("created_at").values_list("pk", flat=True))
    for job_id in ids[:limit] if limit else ids:
        run_job(job_id)
    return list(ReportJob.objects.filter(pk__in=ids).order_by("created_at"))
