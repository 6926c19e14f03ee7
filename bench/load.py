"""Load benchmark: a large city in PostgreSQL, Stoa under gunicorn with production settings, and 50
concurrent users on the main pages and API endpoints (locust, used as a library).

Steps:

1. creates the database (default ``stoa_load`` for role ``stoa_ci`` on 127.0.0.1:5432) if it is
   missing (``--reseed`` drops and creates it again), applies the migrations and collects the
   static files into a data directory of its own;
2. seeds the city unless it is there (``bench/load_seed.py``: 2,000 public spaces with zones,
   access points and crowd figures, their rated assessments and 1,000 action plans), and signs in
   the 50 benchmark users (a session and an API token each);
3. starts gunicorn on 127.0.0.1 only (``stoa.wsgi``, DEBUG off, a fresh SECRET_KEY, whitenoise for
   the static files), and visits every endpoint once per worker to warm it up;
4. runs 50 users for ``--duration`` seconds: each visits pages with its session and calls the API
   with its token (lists paginated with ``limit``), waiting 0.5–1.5 s between requests as a person
   reading a page would (``--wait 0 0`` for none); anything but a 200 is an error;
5. prints per endpoint and in total the requests, errors, p50/p95/p99 in ms and requests per
   second, and says whether the target (p95 under 200 ms, no error) is met.

It exits 1 on any error (the target's p95 is reported, not enforced: the machine may be shared).
Run from the repository root with the project's virtualenv::

    .venv/bin/python bench/load.py [--duration 60] [--users 50] [--sites 2000] [--workers 3] [--reseed]
"""

from __future__ import annotations

# locust patches the standard library for gevent: it is imported before anything that opens sockets.
from locust import FastHttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_P95_MS = 200
DEFAULT_DB = "postgres://stoa_ci:stoa_ci@127.0.0.1:5432/stoa_load"

# name: path ({site}, {assessment}, {plan} are replaced by a random one of the city's); weight
PAGES: dict[str, tuple[str, int]] = {
    "page home": ("/", 3),
    "page inventory list and map": ("/sites/", 3),
    "page inventory map feed": ("/sites/map.geojson", 3),  # what the inventory page's map fetches
    "page site detail": ("/sites/{site}/", 6),
    "page assessments list": ("/assessments/", 3),
    "page assessment": ("/assessments/{assessment}/", 4),
    "page assessment results": ("/assessments/{assessment}/results/", 4),
    "page city risk": ("/assessments/city/", 2),
    "page catalogue": ("/catalogue/", 2),
    "page evaluations list": ("/evaluation/", 1),
    "page RFI list": ("/rfi/", 1),
    "page plans overview": ("/plans/", 2),
    "page plan": ("/plans/{plan}/", 4),
    "page road map": ("/plans/roadmap/", 2),
    "page reports list": ("/reports/", 1),
    "page case library": ("/cases/", 1),
    "page engineering networks": ("/engineering/networks/", 1),
    "static bootstrap css": ("/static/vendor/bootstrap/css/bootstrap.min.css", 1),
}
API: dict[str, tuple[str, int]] = {
    "api sites list": ("/api/v1/sites/?limit=50&offset={offset}", 4),
    "api site": ("/api/v1/sites/{site}/", 4),
    "api zones of a site": ("/api/v1/zones/?site={site}", 2),
    "api assessments list": ("/api/v1/assessments/?limit=50&offset={offset}", 3),
    "api assessment": ("/api/v1/assessments/{assessment}/", 3),
    "api scenarios list": ("/api/v1/scenarios/?limit=100&offset={offset}", 2),
    "api plans list": ("/api/v1/plans/?limit=50&offset={offset}", 3),
    "api plan": ("/api/v1/plans/{plan}/", 3),
    "api catalogue measures": ("/api/v1/catalogue/measures/?limit=50", 1),
}


def _env(args: argparse.Namespace, data_dir: Path, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(DATABASE_URL=args.database_url, SECRET_KEY=secret, DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
               SECURE_COOKIES="0",  # plain HTTP on the loopback: secure cookies would not be sent back
               STOA_DATA_DIR=str(data_dir), STOA_REPORTS_THREADS="0", LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="stoa.settings", PYTHONPATH=str(ROOT))
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    print("$", " ".join(cmd[1:] if cmd[0] == PYTHON else cmd), flush=True)
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)  # noqa: S603 (our own fixed commands)


def prepare_database(url: str, reseed: bool) -> None:
    """Create the benchmark's database when missing (drop it first with RESEED); it must be ours."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reseed:
            print(f"dropping database {name}", flush=True)
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating database {name}", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')


def start_server(args: argparse.Namespace, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    cmd = [PYTHON, "-m", "gunicorn", "bench.load_wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers",
           str(args.workers), "--preload", "--timeout", "60", "--log-level", "warning"]
    print("$ gunicorn", " ".join(cmd[3:]), flush=True)
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log.open("wb"),  # noqa: S603 (fixed command)
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/accounts/login/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 120 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


class City:
    """What the users visit: filled from the sessions file before the run."""

    users: list[dict[str, str]] = []
    ids: dict[str, list[str]] = {}
    counter = 0
    rnd = random.Random(5)  # noqa: S311 (which page to visit, nothing secret)

    @classmethod
    def next_user(cls) -> dict[str, str]:
        cls.counter += 1
        return cls.users[(cls.counter - 1) % len(cls.users)]

    @classmethod
    def path(cls, template: str) -> str:
        pick = {kind[:-1]: cls.rnd.choice(found) for kind, found in cls.ids.items() if found}
        return template.format(offset=cls.rnd.randrange(0, 1000, 50), **pick)


def _check(response: Any) -> None:
    if response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")


class Visitor(FastHttpUser):
    """One person of the city's staff: browses the pages signed in and calls the API with a token.

    locust's lighter HTTP client (geventhttpclient): the load runs on the same cores as the server,
    and every cycle the client spends is one the server does not get."""

    def on_start(self) -> None:
        me = City.next_user()
        self.cookie = f"sessionid={me['session']}"
        self.token = me["token"]

    @task(sum(w for _, w in PAGES.values()))
    def page(self) -> None:
        name = City.rnd.choices(list(PAGES), weights=[w for _, w in PAGES.values()])[0]
        with self.client.get(City.path(PAGES[name][0]), name=name, allow_redirects=False,
                             headers={"Cookie": self.cookie}, catch_response=True) as response:
            _check(response)

    @task(sum(w for _, w in API.values()))
    def api(self) -> None:
        name = City.rnd.choices(list(API), weights=[w for _, w in API.values()])[0]
        with self.client.get(City.path(API[name][0]), name=name, headers={"Authorization": f"Token {self.token}"},
                             catch_response=True) as response:
            _check(response)


def warm_up(base: str, workers: int) -> None:
    """Every endpoint once per worker, so the run does not measure first-use caches (the imports are
    done by the preloading master)."""
    me = City.users[0]
    for template, _ in [*PAGES.values(), *API.values()]:
        for _ in range(workers):
            headers = ({"Authorization": f"Token {me['token']}"} if template.startswith("/api/")
                       else {"Cookie": f"sessionid={me['session']}"})
            request = urllib.request.Request(base + City.path(template), headers=headers)  # noqa: S310 (our loopback server)
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    response.read()
            except OSError as exc:
                print(f"warm-up: {template}: {exc}", flush=True)


def run_load(base: str, users: int, duration: float, wait: tuple[float, float]) -> Environment:
    Visitor.host = base
    Visitor.wait_time = between(*wait) if wait[1] > 0 else constant(0)
    env = Environment(user_classes=[Visitor])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(duration, runner.quit)
    runner.greenlet.join()
    return env


def report(env: Environment, duration: float) -> int:
    """Print the table; return the number of errors."""
    entries = sorted(env.stats.entries.values(), key=lambda e: e.name)
    width = max(len(e.name) for e in entries) if entries else 10
    print(f"\n{'endpoint':{width}} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'req/s':>6}")
    for e in [*entries, env.stats.total]:
        label = "total" if e is env.stats.total else e.name
        print(f"{label:{width}} {e.num_requests:>8} {e.num_failures:>6} {e.get_response_time_percentile(0.5):>7.0f} "
              f"{e.get_response_time_percentile(0.95):>7.0f} {e.get_response_time_percentile(0.99):>7.0f} "
              f"{e.num_requests / duration:>6.1f}")
    for error in env.stats.errors.values():
        print(f"error: {error.name}: {error.error} ×{error.occurrences}")
    return int(env.stats.total.num_failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50, at most 50)")
    parser.add_argument("--sites", type=int, default=2000, help="public spaces in the city (default 2000)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--wait", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"),
                        help="seconds each user waits between requests (default 0.5 1.5)")
    parser.add_argument("--database-url", default=os.environ.get("STOA_LOAD_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--reseed", action="store_true", help="drop the benchmark database and seed it again")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.gettempdir()) / "stoa-load"
    data_dir.mkdir(exist_ok=True)
    env = _env(args, data_dir, secrets.token_urlsafe(50))
    prepare_database(args.database_url, args.reseed)
    _run([PYTHON, "-m", "django", "migrate", "--no-input", "-v", "0"], env)
    _run([PYTHON, "-m", "django", "collectstatic", "--no-input", "-v", "0"], env)
    _run([PYTHON, str(ROOT / "bench" / "load_seed.py"), "seed", "--sites", str(args.sites)], env)
    # Stored plan risk figures are filled on first read; filled here so the warm-up does not time out on it.
    _run([PYTHON, "-m", "django", "fill_plan_risks"], env)
    found = data_dir / "sessions.json"
    _run([PYTHON, str(ROOT / "bench" / "load_seed.py"), "sessions", "--out", str(found)], env)
    city = json.loads(found.read_text())
    City.users = city.pop("users")[: args.users]
    City.ids = city

    server = start_server(args, env, data_dir / "gunicorn.log")
    try:
        base = f"http://127.0.0.1:{args.port}"
        started = time.perf_counter()
        warm_up(base, args.workers)
        print(f"warm-up: {time.perf_counter() - started:.0f} s; load: {len(City.users)} users for "
              f"{args.duration:.0f} s", flush=True)
        load = run_load(base, len(City.users), args.duration, tuple(args.wait))  # type: ignore[arg-type]
    finally:
        stop_server(server)
    errors = report(load, args.duration)
    p95 = load.stats.total.get_response_time_percentile(0.95)
    met = errors == 0 and p95 < TARGET_P95_MS
    print(f"\ntarget (p95 under {TARGET_P95_MS} ms, no error): {'met' if met else 'NOT met'} "
          f"(p95 {p95:.0f} ms, {errors} errors); load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
