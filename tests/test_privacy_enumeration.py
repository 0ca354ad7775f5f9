"""Privacy from outside: pending and rejected cases, their photos and every tip stay invisible.

A visitor and another member try every public URL, search, filter and feed,
and guess ids, slugs and photo keys. The site must answer exactly as it does
for something that never existed: same status code, same page (once the
per-request CSRF token is set aside), and no name, place, storage key or tip
text anywhere.
"""

import re
import uuid

import pytest
import requests
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from listings.models import Region
from listings.tests.factories import CaseFactory, PhotoFactory, TipFactory

SECRET_NAMES = [("Zebulon", "Quartermaine", "Pendingville"), ("Wilhelmina", "Oxtongue", "Rejectharbour")]
TIP_TEXT = "Private tip: she is staying with her cousin at 12 Hidden Lane"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.RATELIMIT_ENABLED = False


def _normalise(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
    return html


def _answer(client, method, url, data=None):
    response = getattr(client, method)(url, data or {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, _normalise(body.decode("utf-8", "replace"))


def _public_requests(published, region):
    """Every public page, search, filter and feed a visitor can ask for."""
    queries = [{}]
    for first, last, place in SECRET_NAMES:
        queries += [{"q": first}, {"q": last}, {"q": f"{first} {last}"}, {"q": place}, {"q": place.lower()}]
    queries += [
        {"region": region},
        {"case_status": "missing"},
        {"case_status": "found"},
        {"region": region, "case_status": "missing", "age_min": "1", "age_max": "120"},
        {"seen_after": "2000-01-01"},
        {"seen_before": "2100-01-01"},
        {"page": "2"},
    ]
    requests_ = [("get", "/", None), ("get", "/resources/", None), ("get", "/contact/", None)]
    requests_ += [("get", "/listings/", query) for query in queries]
    requests_ += [("get", "/listings/", {**query, "_": "partial"}) for query in queries[:6]]
    requests_ += [
        ("get", reverse("listings:feed"), None),
        ("get", "/sitemap.xml", None),
        ("get", published.get_absolute_url(), None),
    ]
    return requests_


def _clients(member):
    visitor = Client()
    other = Client()
    other.force_login(member)
    return {"visitor": visitor, "other member": other}


def _snapshot(client, requests_):
    snap = {}
    for method, url, data in requests_:
        headers = {"X-Requested-With": "fetch"} if data and data.pop("_", None) else {}
        response = client.get(url, data or {}, headers=headers) if method == "get" else None
        body = b"".join(response.streaming_content) if response.streaming else response.content
        snap[(url, repr(sorted((data or {}).items())), bool(headers))] = (
            response.status_code,
            _normalise(body.decode("utf-8", "replace")),
        )
    return snap


def _make_hidden_cases():
    pending = CaseFactory(
        first_name=SECRET_NAMES[0][0],
        last_name=SECRET_NAMES[0][1],
        last_seen_place=SECRET_NAMES[0][2],
        region=Region.AVALON,
    )
    rejected = CaseFactory(
        rejected=True,
        first_name=SECRET_NAMES[1][0],
        last_name=SECRET_NAMES[1][1],
        last_seen_place=SECRET_NAMES[1][2],
        region=Region.AVALON,
    )
    photos = [PhotoFactory(case=pending), PhotoFactory(case=rejected)]
    return pending, rejected, photos


def _secrets(hidden_cases, photos, tips):
    values = []
    for case in hidden_cases:
        values += [case.first_name, case.last_name, case.last_seen_place, case.slug, case.police_file_number]
    for photo in photos:
        values += [str(photo.key), photo.image.name, photo.thumbnail.name]
    values += [tip.message for tip in tips]
    return values


@pytest.mark.django_db
def test_public_pages_are_identical_with_and_without_hidden_cases():
    """Every public page, search, filter and feed, before and after pending and rejected cases exist."""
    published = CaseFactory(published=True, first_name="Published", last_name="Person", region=Region.AVALON)
    PhotoFactory(case=published)
    member = UserFactory()
    clients = _clients(member)
    requests_ = _public_requests(published, Region.AVALON)
    before = {
        who: _snapshot(client, [(m, u, dict(d or {})) for m, u, d in requests_]) for who, client in clients.items()
    }

    pending, rejected, photos = _make_hidden_cases()
    tips = [TipFactory(case=published, message=TIP_TEXT)]
    hidden_photo_of_published = PhotoFactory(case=published, review_state="pending")
    secrets = _secrets([pending, rejected], [*photos, hidden_photo_of_published], tips)

    for who, client in clients.items():
        after = _snapshot(client, [(m, u, dict(d or {})) for m, u, d in requests_])
        for key, answer in after.items():
            assert answer == before[who][key], f"{who}: {key} changed once hidden cases existed"
            for secret in secrets:
                if secret in repr(key):
                    continue  # the page repeats what was searched for; the comparison above covers it
                assert secret not in answer[1], f"{who}: {secret!r} appears on {key}"


@pytest.mark.django_db
def test_guessing_urls_of_hidden_cases_looks_exactly_like_guessing_nothing():
    published = CaseFactory(published=True)
    pending, rejected, photos = _make_hidden_cases()
    hidden_photo_of_published = PhotoFactory(case=published, review_state="pending")
    rejected_photo_of_published = PhotoFactory(case=published, review_state="rejected")
    tips = [TipFactory(case=published, message=TIP_TEXT), TipFactory(case=pending, message=TIP_TEXT + " (2)")]
    hidden_photos = [*photos, hidden_photo_of_published, rejected_photo_of_published]
    secrets = _secrets([pending, rejected], hidden_photos, tips)
    member = UserFactory()
    never = "never-existed-" + uuid.uuid4().hex[:6]
    never_key = str(uuid.uuid4())

    guesses = []  # (hidden url, the same url for something that never existed)
    for case in (pending, rejected):
        guesses += [
            (f"/listings/{case.slug}/", f"/listings/{never}/"),
            (f"/listings/{case.pk}/", "/listings/987654321/"),
            (f"/listings/{case.slug}/tip/", f"/listings/{never}/tip/"),
        ]
    for photo in hidden_photos:
        for size in ("full", "thumb"):
            guesses.append((f"/photos/{photo.key}/{size}/", f"/photos/{never_key}/{size}/"))
    for tip in tips:
        guesses.append((f"/listings/{tip.pk}/", "/listings/987654322/"))

    for who, client in _clients(member).items():
        for hidden, nothing in guesses:
            for method, data in (("get", None), ("post", {"message": "I saw this person yesterday at the mall."})):
                seen = _answer(client, method, hidden, data)
                control = _answer(client, method, nothing, data)
                assert seen[0] == control[0], (who, method, hidden, seen[0], control[0])
                assert seen[0] == 404 or (method == "post" and seen[0] == 405), (who, method, hidden, seen[0])
                assert seen[1].replace(hidden, "URL") == control[1].replace(nothing, "URL"), (who, method, hidden)
                for secret in secrets:
                    if secret not in hidden:  # the 404 page's log-in link repeats the address asked for
                        assert secret not in seen[1], (who, hidden, secret)
    # Nothing was stored by the tip attempts on hidden cases.
    assert pending.tips.count() == 1 and rejected.tips.count() == 0


@pytest.mark.django_db
def test_the_submitter_sees_their_own_pending_case_but_not_other_hidden_ones():
    pending, rejected, photos = _make_hidden_cases()
    owner = Client()
    owner.force_login(pending.submitted_by)

    assert owner.get(pending.get_absolute_url()).status_code == 200
    assert owner.get(photos[0].get_absolute_url()).status_code == 200
    assert owner.get(rejected.get_absolute_url()).status_code == 404
    assert owner.get(photos[1].get_absolute_url()).status_code == 404
    submissions = owner.get(reverse("accounts:submissions")).content.decode()
    assert pending.last_name in submissions and rejected.last_name not in submissions


def _sigv4_signature(url, *, secret, region, expires=None):
    """The AWS Signature Version 4 of a presigned GET URL, as S3 computes it to check one."""
    import hashlib
    import hmac
    from urllib.parse import parse_qsl, quote, urlsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "X-Amz-Signature"]
    if expires is not None:
        query = [(k, str(expires) if k == "X-Amz-Expires" else v) for k, v in query]
    params = dict(query)
    canonical_query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query))
    canonical_request = "\n".join(
        ["GET", quote(parts.path, safe="/~"), canonical_query, f"host:{parts.netloc}\n", "host", "UNSIGNED-PAYLOAD"]
    )
    date = params["X-Amz-Date"]
    scope = "/".join(params["X-Amz-Credential"].split("/")[1:])
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = ("AWS4" + secret).encode()
    for part in (date[:8], region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


@pytest.mark.django_db
def test_signed_media_urls_expire(s3_storage, settings, client):
    """On S3 a photo is a redirect to a URL signed for a short time, and the expiry is part of the signature.

    S3 refuses such a URL once X-Amz-Date + X-Amz-Expires has passed. moto (the test
    S3) does not enforce expiry, so this checks what S3 checks: the URL's own
    signature is valid only with the expiry it carries, which is short.
    """
    from datetime import UTC, datetime, timedelta
    from urllib.parse import parse_qs, urlsplit

    case = CaseFactory(published=True)
    photo = PhotoFactory(case=case)
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 302
    url = response["Location"]
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    assert params["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert int(params["X-Amz-Expires"]) == 300
    signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - signed_at) < timedelta(minutes=1)
    # Valid as issued; an attacker who stretches the expiry breaks the signature.
    assert _sigv4_signature(url, secret="testing", region="ca-central-1") == params["X-Amz-Signature"]
    stretched = _sigv4_signature(url, secret="testing", region="ca-central-1", expires=604800)
    assert stretched != params["X-Amz-Signature"]
    assert requests.get(url, timeout=10).status_code == 200
    # A hidden photo gets no signed URL at all.
    hidden = PhotoFactory(case=CaseFactory())
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_absolute_url()).get("Location") is None
