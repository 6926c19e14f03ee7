"""Two-factor authentication: enrolment, the code step at log-in, recovery codes, throttling, org policy."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stoa.accounts import two_factor
from tests import factories
from tests.conftest import ROLES
from tests.two_factor_helpers import code_for, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_device_backoff(settings):
    """django-otp makes a device wait 1, 2, 4... seconds after each wrong code; tests retry at once.
    (The back-off itself is tested below with the factor put back.)"""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def log_in(client, username="officer", password=factories.PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_enrolment_shows_a_qr_code_and_needs_a_right_code(client, officer):
    client.force_login(officer)
    page = client.get(reverse("two-factor-enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert two_factor.secret_for_typing(device) in html
    wrong = client.post(reverse("two-factor-enrol"), {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "This code is not valid" in wrong.content.decode()
    assert not two_factor.has_two_factor(officer)

    done = client.post(reverse("two-factor-enrol"), {"code": code_for(device, 1)})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    codes = list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(codes) == settings.STOA_RECOVERY_CODES
    assert all(code in done.content.decode() for code in codes)
    assert two_factor.has_two_factor(officer)
    assert "Two-factor authentication" in client.get(reverse("security")).content.decode()
    # The codes are shown once: the Security page only counts them.
    assert codes[0] not in client.get(reverse("security")).content.decode()


def test_login_asks_for_the_code_and_holds_every_page_until_then(client, officer, site):
    device, _codes = enrol(officer)
    response = log_in(client, next_url=reverse("sites:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login-code"))
    held = client.get(reverse("sites:list"))
    assert held.status_code == 302 and held["Location"].startswith(reverse("login-code"))
    assert client.get("/api/v1/sites/").status_code == 403
    assert client.get(response["Location"]).status_code == 200

    done = client.post(response["Location"], {"code": code_for(device, 1), "next": reverse("sites:list")})
    assert done.status_code == 302 and done["Location"] == reverse("sites:list")
    assert client.get(reverse("sites:list")).status_code == 200
    assert client.get("/api/v1/sites/").status_code == 200


def test_session_key_changes_at_the_password_and_again_at_the_code(client, officer):
    device, _codes = enrol(officer)
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    log_in(client)
    after_password = client.session.session_key
    client.post(reverse("login-code"), {"code": code_for(device, 1)})
    after_code = client.session.session_key
    assert len({before, after_password, after_code}) == 3


def test_a_recovery_code_logs_in_once(client, officer):
    _device, codes = enrol(officer)
    log_in(client)
    first = client.post(reverse("login-code"), {"code": codes[0].upper()})
    assert first.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    log_in(client)
    again = client.post(reverse("login-code"), {"code": codes[0]})
    assert again.status_code == 200 and "not valid" in again.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert two_factor.recovery_codes_left(officer) == settings.STOA_RECOVERY_CODES - 1


def test_wrong_codes_count_as_failed_logins_and_lock_out(client, officer):
    device, _codes = enrol(officer)
    right = code_for(device, 1)
    wrong = "000000" if right != "000000" else "111111"
    log_in(client)
    statuses = [client.post(reverse("login-code"), {"code": wrong}).status_code
                for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # The half-open session is closed, and the password itself is now refused for the cool-off.
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert log_in(client).status_code == 429


def test_after_a_wrong_code_the_device_makes_the_next_try_wait(client, officer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _codes = enrol(officer)
    right = code_for(device, 1)
    log_in(client)
    client.post(reverse("login-code"), {"code": "000000" if right != "000000" else "111111"})
    blocked = client.post(reverse("login-code"), {"code": right})
    assert "wait" in blocked.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_enrolment_after_a_wrong_code_makes_the_next_try_wait(client, officer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client.force_login(officer)
    client.get(reverse("two-factor-enrol"))
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    right = code_for(device, 1)
    client.post(reverse("two-factor-enrol"), {"code": "000000" if right != "000000" else "111111"})
    blocked = client.post(reverse("two-factor-enrol"), {"code": right}).content.decode()
    assert "wait a few seconds" in blocked
    assert "This code is not valid" not in blocked  # held back, not wrong
    assert not two_factor.has_two_factor(officer)


def test_turning_off_after_a_wrong_code_makes_the_next_try_wait(client, officer, settings):
    device, codes = enrol(officer)
    client.force_login(officer)
    client.post(reverse("login-code"), {"code": code_for(device, 1)})
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    client.post(reverse("two-factor-off"), {"off-code": "zzzzzzzz"})
    blocked = client.post(reverse("two-factor-off"), {"off-code": codes[0]}).content.decode()
    assert "wait a few seconds" in blocked and "not valid" not in blocked
    assert two_factor.has_two_factor(officer)


def test_password_failures_and_code_failures_add_up(client, officer):
    enrol(officer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, password="wrong")
    log_in(client)
    assert client.post(reverse("login-code"), {"code": "abcdefgh"}).status_code == 429


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    device, old = enrol(officer)
    client.force_login(officer)
    client.post(reverse("login-code"), {"code": code_for(device, 1)})
    response = client.post(reverse("two-factor-recovery-codes"), {"codes-code": old[0]})
    assert response.status_code == 200
    new = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(new) == settings.STOA_RECOVERY_CODES and not new & set(old)
    assert two_factor.verify_code(officer, old[1]) is None


def test_turning_off_needs_a_code_and_is_refused_when_the_org_requires_it(client, officer, org):
    device, codes = enrol(officer)
    client.force_login(officer)
    client.post(reverse("login-code"), {"code": code_for(device, 1)})
    refused = client.post(reverse("two-factor-off"), {"off-code": "zzzzzzzz"})
    assert "not valid" in refused.content.decode() and two_factor.has_two_factor(officer)

    org.require_two_factor = True
    org.save()
    client.post(reverse("two-factor-off"), {"off-code": codes[0]})
    assert two_factor.has_two_factor(officer)

    org.require_two_factor = False
    org.save()
    assert client.post(reverse("two-factor-off"), {"off-code": codes[1]}).status_code == 302
    assert not two_factor.has_two_factor(officer)
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_an_org_that_requires_two_factor_sends_members_to_enrolment(client, officer, org, site):
    org.require_two_factor = True
    org.save()
    response = log_in(client, next_url=reverse("sites:list"))
    assert response["Location"].startswith(reverse("two-factor-enrol"))
    for url in (reverse("home"), reverse("sites:list"), reverse("security"), reverse("tokens")):
        held = client.get(url)
        assert held.status_code == 302 and held["Location"].startswith(reverse("two-factor-enrol")), url
    api = client.get("/api/v1/sites/")
    assert api.status_code == 403 and "requires two-factor" in api.json()["detail"]
    page = client.get(reverse("two-factor-enrol"))
    assert page.status_code == 200 and "requires two-factor" in page.content.decode()

    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    client.post(reverse("two-factor-enrol"), {"code": code_for(device)})
    assert client.get(reverse("sites:list")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_switch_the_org_requirement(client, org, role):
    client.force_login(factories.make_user(org, role))
    response = client.post(reverse("members-two-factor"), {"require_two_factor": "on"})
    org.refresh_from_db()
    if role == "admin":
        assert response.status_code == 302 and org.require_two_factor
        entry = LogEntry.objects.filter(object_pk=str(org.pk), action=LogEntry.Action.UPDATE).latest("timestamp")
        assert "require_two_factor" in entry.changes_dict
    else:
        assert response.status_code == 403 and not org.require_two_factor


def test_an_admin_cannot_switch_another_organisations_requirement(client, org, other_org, outsider):
    client.force_login(outsider)
    client.post(reverse("members-two-factor"), {"require_two_factor": "on"})
    org.refresh_from_db()
    other_org.refresh_from_db()
    assert not org.require_two_factor and other_org.require_two_factor
