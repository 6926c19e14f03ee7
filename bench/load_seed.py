"""Seeds the load benchmark's city into the database named by DATABASE_URL (run by ``bench/load.py``).

A city of N public spaces (fixed seed) laid out on a grid about Valmont's centre: each with two
zones, three access points, two crowd time slots (one space in four also has an event), a rated
assessment with one scenario per shipped threat type, and, for every other space, an action plan
of three catalogue measures treating its scenarios. Everything is written with ``bulk_create`` in
one transaction, so a city of 2,000 spaces takes seconds, not minutes.

``sessions`` (every run, after the data): logged-in sessions and API tokens for the benchmark's
users, written to a JSON file; the sessions are signed with the run's SECRET_KEY, so they are made
again each run with the key the server is started with.

    DATABASE_URL=... SECRET_KEY=... python bench/load_seed.py seed --sites 2000
    DATABASE_URL=... SECRET_KEY=... python bench/load_seed.py sessions --users 50 --out FILE
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ORG_SLUG = "load-city"
CENTRE = (4.3517, 50.8503)
STEP_DEG = 0.0012  # about 85 m between the grid's spaces at this latitude
USERS = 50


def _setup() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoa.settings")
    django.setup()


def _square(lon: float, lat: float, half: float) -> dict[str, Any]:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
            [lon - half, lat + half], [lon - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}


def _seeded(seed: int) -> random.Random:
    """A reproducible generator for synthetic data (not for anything secret)."""
    return random.Random(seed)  # noqa: S311


def seed(sites: int, rnd: random.Random) -> None:
    """The city, unless it is already there (a city of another size is an error: use --reseed)."""
    from django.db import transaction

    from stoa.accounts.models import Organisation

    existing = Organisation.objects.filter(slug=ORG_SLUG).first()
    if existing is not None:
        from stoa.sites.models import Site

        count = Site.objects.filter(organisation=existing).count()
        if count != sites:
            raise SystemExit(f"the database holds a load city of {count} spaces, not {sites}: run with --reseed")
        print(f"seed: the city of {count} spaces is already there")
        return
    started = time.perf_counter()
    from stoa.library.loader import load_files, shipped_files

    load_files(shipped_files())
    with transaction.atomic():
        _seed_city(sites, rnd)
    print(f"seed: {sites} spaces written in {time.perf_counter() - started:.1f} s")


def _seed_city(sites: int, rnd: random.Random) -> None:
    from django.contrib.auth import get_user_model

    from stoa.accounts.models import Membership, Organisation
    from stoa.assessments.matrix import default_matrix, freeze
    from stoa.assessments.models import Assessment, Scenario, Status
    from stoa.assessments.services import question_bank, threat_types
    from stoa.core import geometry
    from stoa.core.priority import priority
    from stoa.library.models import ReferenceObject
    from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure, PlanStatus
    from stoa.sites.models import AccessPoint, CrowdSlot, Site, SiteEvent, Zone

    org = Organisation.objects.create(name="Load City", slug=ORG_SLUG, kind="municipality")
    user_model = get_user_model()
    users = user_model.objects.bulk_create([user_model(username=f"load-user-{i:02d}") for i in range(USERS)])
    for user in users:
        user.set_unusable_password()  # the benchmark signs its sessions in; nobody logs in with a password
    user_model.objects.bulk_update(users, ["password"])
    roles = ["admin", "security_officer", "assessor", "police_liaison", "viewer"]
    Membership.objects.bulk_create([Membership(user=u, organisation=org, role=roles[i % len(roles)])
                                    for i, u in enumerate(users)])
    categories = list(ReferenceObject.objects.filter(kind="psoi_category"))
    side = int(sites ** 0.5) + 1
    today = datetime.date.today()
    site_rows, zones, points, slots, events = [], [], [], [], []
    for n in range(sites):
        lon = CENTRE[0] + (n % side - side / 2) * STEP_DEG
        lat = CENTRE[1] + (n // side - side / 2) * STEP_DEG * 0.63
        boundary = _square(lon, lat, STEP_DEG * 0.3)
        shape = geometry.parse(boundary, "Polygon")
        peak = rnd.randint(200, 20_000)
        symbolic = rnd.randint(1, 3)
        has_event = n % 4 == 0
        site = Site(organisation=org, name=f"Public space {n + 1:04d}", category=rnd.choice(categories),
                    boundary=boundary, area_m2=round(geometry.area_m2(shape), 1), symbolic_value=symbolic,
                    surroundings="Shops, a tram stop and a school nearby.",
                    priority_score=priority(peak, symbolic, 1 if has_event else 0).score)
        site.lon, site.lat = geometry.centroid(shape)
        site_rows.append(site)
        for z in range(2):
            zone = _square(lon + (z - 0.5) * STEP_DEG * 0.3, lat, STEP_DEG * 0.12)
            zones.append(Zone(site=site, organisation=org, name=f"Zone {z + 1}", geometry=zone,
                              area_m2=round(geometry.area_m2(geometry.parse(zone, "Polygon")), 1)))
        for a in range(3):
            points.append(AccessPoint(site=site, organisation=org, name=f"Entrance {a + 1}",
                                      kind=["vehicle", "pedestrian", "mixed"][a % 3], width_m=rnd.uniform(2, 12),
                                      geometry={"type": "Point", "coordinates": [lon + (a - 1) * STEP_DEG * 0.3,
                                                                                 lat + STEP_DEG * 0.3]}))
        slots += [CrowdSlot(site=site, organisation=org, label="Weekday rush", days="Mon–Fri",
                            start_time=datetime.time(7), end_time=datetime.time(9), typical_people=peak // 3,
                            peak_people=peak // 2),
                  CrowdSlot(site=site, organisation=org, label="Saturday market", days="Saturday",
                            start_time=datetime.time(8), end_time=datetime.time(13), typical_people=peak // 2,
                            peak_people=peak)]
        if has_event:
            events.append(SiteEvent(site=site, organisation=org, name="Summer festival",
                                    start_date=today - datetime.timedelta(days=30),
                                    end_date=today - datetime.timedelta(days=28), expected_peak=peak))
    Site.objects.bulk_create(site_rows, batch_size=500)
    for rows in (zones, points, slots, events):
        type(rows[0]).objects.bulk_create(rows, batch_size=1000)

    threats = threat_types()
    matrix = freeze(default_matrix())
    urn, version = question_bank()
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.SIGNED_OFF]
    assessments = [Assessment(organisation=org, site=s, date=today - datetime.timedelta(days=rnd.randint(0, 400)),
                              risk_matrix=matrix, question_bank_urn=urn, question_bank_version=version,
                              status=rnd.choice(statuses)) for s in site_rows]
    Assessment.objects.bulk_create(assessments, batch_size=500)
    scenarios = []
    for a in assessments:
        for threat in threats:
            likelihood, consequence = rnd.randint(1, 5), rnd.randint(1, 5)
            scenarios.append(Scenario(organisation=org, assessment=a, threat=threat, likelihood=likelihood,
                                      consequence=consequence, proposed_likelihood=likelihood,
                                      proposed_consequence=consequence))
    Scenario.objects.bulk_create(scenarios, batch_size=2000)

    measures = [m for m in ReferenceObject.objects.filter(kind="measure") if m.data.get("effects")]
    plans, items = [], []
    scenario_links = []
    by_assessment: dict[Any, list[Any]] = {}
    for s in scenarios:
        by_assessment.setdefault(s.assessment_id, []).append(s)
    for n, a in enumerate(assessments):
        if n % 2:
            continue
        plan = ActionPlan(organisation=org, site=a.site, assessment=a, title=f"Protecting {a.site.name}",
                          status=rnd.choice([PlanStatus.DRAFT, PlanStatus.ADOPTED]), owner_name="Public space office",
                          next_review=today + datetime.timedelta(days=rnd.randint(-30, 300)))
        plans.append(plan)
        for i in range(3):
            measure = rnd.choice(measures)
            start = today + datetime.timedelta(days=rnd.randint(-200, 400))
            item = PlannedMeasure(organisation=org, plan=plan, name=measure.name, catalogue_key=measure.urn,
                                  owner="Works department", capital_eur=rnd.randint(5, 300) * 1000,
                                  yearly_eur=rnd.randint(0, 30) * 500, start=start,
                                  end=start + datetime.timedelta(days=rnd.randint(30, 300)),
                                  status=rnd.choice([ItemStatus.PLANNED, ItemStatus.IN_PROGRESS, ItemStatus.DONE]),
                                  progress=rnd.randint(0, 100))
            items.append(item)
            treated = rnd.sample(by_assessment[a.pk], k=2)
            scenario_links += [PlannedMeasure.scenarios.through(plannedmeasure=item, scenario=s) for s in treated]
            del i
    ActionPlan.objects.bulk_create(plans, batch_size=500)
    PlannedMeasure.objects.bulk_create(items, batch_size=1000)
    PlannedMeasure.scenarios.through.objects.bulk_create(scenario_links, batch_size=2000)
    print(f"seed: {len(site_rows)} spaces, {len(zones)} zones, {len(points)} access points, "
          f"{len(slots) + len(events)} crowd figures, {len(assessments)} assessments, {len(scenarios)} scenarios, "
          f"{len(plans)} plans with {len(items)} measures")


def sessions(out: Path) -> None:
    """A signed-in session and an API token per benchmark user, and ids to visit, into OUT (JSON)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from stoa.accounts.api_tokens import create_token
    from stoa.accounts.models import ApiToken, Organisation
    from stoa.assessments.models import Assessment
    from stoa.plans.models import ActionPlan
    from stoa.sites.models import Site

    org = Organisation.objects.get(slug=ORG_SLUG)
    users = list(get_user_model().objects.filter(username__startswith="load-user-").order_by("username"))
    people = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        ApiToken.objects.filter(user=user, name="load benchmark").delete()  # one per run, not one more each time
        _, key = create_token(user, "load benchmark")
        people.append({"username": user.username, "session": store.session_key, "token": key})
    found = {
        "users": people,
        "sites": [str(pk) for pk in Site.objects.filter(organisation=org).values_list("pk", flat=True)],
        "assessments": [str(pk) for pk in Assessment.objects.filter(organisation=org).values_list("pk", flat=True)],
        "plans": [str(pk) for pk in ActionPlan.objects.filter(organisation=org).values_list("pk", flat=True)],
    }
    out.write_text(json.dumps(found))
    print(f"sessions: {len(people)} users signed in, {len(found['sites'])} spaces to visit")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    seeding = sub.add_parser("seed")
    seeding.add_argument("--sites", type=int, default=2000)
    seeding.add_argument("--seed", type=int, default=1)
    signing = sub.add_parser("sessions")
    signing.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    _setup()
    if args.step == "seed":
        seed(args.sites, _seeded(args.seed))
    else:
        sessions(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
