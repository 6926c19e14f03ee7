"""Password reset by email: the same answer for any address, a working link, a throttle."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def test_the_login_page_links_to_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_the_emailed_link_sets_a_new_password(client, org):
    user = factories.make_user(org, "viewer", username="forgetful", email="forgetful@example.org")
    response = client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["forgetful@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "a-fresh-passphrase-31",
                                                         "new_password2": "a-fresh-passphrase-31"})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a-fresh-passphrase-31")
    # The link works once.
    assert "does not work any more" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, org):
    factories.make_user(org, "viewer", email="known@example.org")
    known = client.post(reverse("password_reset"), {"email": "known@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_reset_requests_are_throttled(client, org, settings):
    factories.make_user(org, "viewer", email="known@example.org")
    limit = settings.STOA_PASSWORD_RESET_PER_HOUR
    answers = [client.post(reverse("password_reset"), {"email": "known@example.org"}).status_code
               for _ in range(limit + 1)]
    assert answers == [302] * limit + [429]
    assert len(mail.outbox) == limit
