"""Hostile input never makes a server error: arbitrary strings, Unicode, huge values and wrong types
thrown at every listing query parameter and every form field all get a 2xx, 3xx or 4xx answer."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listings.models import SUBMITTED_FIELDS

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LISTING_PARAMETERS = ["q", "region", "case_status", "seen_after", "seen_before", "age_min", "age_max", "page"]

# Values an attacker or a broken client sends: anything printable or not, huge numbers,
# dates that do not exist, SQL and template fragments, lists instead of scalars.
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=50),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "9" * 400,
            "1e308",
            "NaN",
            "2024-02-30",
            "0000-00-00",
            "9999-12-31",
            "-0001-01-01",
            "' OR 1=1 --",
            '"; DROP TABLE listings_case; --',
            "{{ settings.SECRET_KEY }}",
            "{% debug %}",
            "<script>alert(1)</script>",
            "%00",
            "\x00",
            "\ud800",
            "../../etc/passwd",
            "a" * 10_000,
            "🦞" * 100,
            "ﷺ" * 50,
        ]
    ),
)
query_values = st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3))


def _ok(response):
    assert response.status_code < 500, response.status_code


def _safe(value):
    """The test client cannot put a lone surrogate on the wire; a real client would send bytes that decode badly."""
    if isinstance(value, list):
        return [_safe(item) for item in value]
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@pytest.mark.django_db
@HYPOTHESIS
@given(params=st.dictionaries(st.sampled_from(LISTING_PARAMETERS), query_values, max_size=len(LISTING_PARAMETERS)))
def test_listing_query_parameters(published_case, params):
    client = Client()
    data = {key: _safe(value) for key, value in params.items()}
    _ok(client.get(reverse("listings:case_list"), data))
    _ok(client.get(reverse("listings:case_list"), data, headers={"X-Requested-With": "fetch"}))


@pytest.mark.django_db
@HYPOTHESIS
@given(query=st.dictionaries(nasty_text, query_values, max_size=4))
def test_arbitrary_query_strings_on_public_pages(published_case, query):
    client = Client()
    data = {_safe(key): _safe(value) for key, value in query.items()}
    for url in ("/", "/listings/feed/", "/sitemap.xml", "/resources/", published_case.get_absolute_url()):
        _ok(client.get(url, data))


@pytest.mark.django_db
@HYPOTHESIS
@given(slug=nasty_text, size=nasty_text)
def test_arbitrary_paths(slug, size):
    client = Client()
    for path in (f"/listings/{_safe(slug)}/", f"/listings/{_safe(slug)}/tip/", f"/photos/{_safe(slug)}/{_safe(size)}/"):
        _ok(client.get(path))


TIP_FIELDS = ["message", "name", "email", "phone", "website"]
CONTACT_FIELDS = ["name", "email", "subject", "message", "website"]
SIGNUP_FIELDS = ["username", "email", "password1", "password2", "first_name", "last_name", "website"]
SUBMIT_FIELDS = SUBMITTED_FIELDS


def _form_data(fields):
    return st.dictionaries(st.sampled_from(fields), query_values, max_size=len(fields))


@pytest.fixture
def no_limits(settings):
    settings.RATELIMIT_ENABLED = False


@pytest.mark.django_db
@HYPOTHESIS
@given(data=_form_data(TIP_FIELDS))
def test_tip_form(published_case, no_limits, data):
    url = reverse("listings:case_tip", kwargs={"slug": published_case.slug})
    _ok(Client().post(url, {key: _safe(value) for key, value in data.items()}))


@pytest.mark.django_db
@HYPOTHESIS
@given(data=_form_data(CONTACT_FIELDS))
def test_contact_form(no_limits, data):
    _ok(Client().post(reverse("listings:contact"), {key: _safe(value) for key, value in data.items()}))


@pytest.mark.django_db
@HYPOTHESIS
@given(data=_form_data(SIGNUP_FIELDS))
def test_signup_form(no_limits, data):
    _ok(Client().post(reverse("accounts:signup"), {key: _safe(value) for key, value in data.items()}))


@pytest.mark.django_db
@HYPOTHESIS
@given(data=_form_data(["username", "password"]))
def test_login_form(no_limits, data):
    _ok(Client().post(reverse("login"), {key: _safe(value) for key, value in data.items()}))


@pytest.mark.django_db
@HYPOTHESIS
@given(data=_form_data(["email"]))
def test_password_reset_form(no_limits, data):
    _ok(Client().post(reverse("password_reset"), {key: _safe(value) for key, value in data.items()}))


@pytest.mark.django_db
@HYPOTHESIS
@given(data=_form_data(SUBMIT_FIELDS), photos=st.lists(st.binary(max_size=2000), max_size=3))
def test_submission_form(member, no_limits, data, photos):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(member)
    body = {key: _safe(value) for key, value in data.items()}
    body["photos"] = [SimpleUploadedFile(f"f{i}.jpg", blob, content_type="image/jpeg") for i, blob in enumerate(photos)]
    _ok(client.post(reverse("listings:submit"), body))


@pytest.mark.django_db
def test_wrong_methods_and_types(published_case, no_limits, member):
    client = Client()
    for url in ("/", "/listings/", published_case.get_absolute_url(), "/contact/", "/healthz", "/listings/feed/"):
        for method in ("put", "patch", "delete", "options", "head"):
            _ok(getattr(client, method)(url))
    # JSON, form-encoded garbage and a file where text is expected.
    from django.core.files.uploadedfile import SimpleUploadedFile

    _ok(client.post("/contact/", data='{"name": ["x"]}', content_type="application/json"))
    _ok(client.post("/contact/", data=b"\xff\xfe\x00garbage", content_type="application/x-www-form-urlencoded"))
    _ok(client.post("/contact/", {"name": SimpleUploadedFile("x.txt", b"hello")}))
    _ok(client.post("/contact/", data="--x\r\nbroken", content_type="multipart/form-data; boundary=x"))
    _ok(client.post("/contact/", data="", content_type="multipart/form-data"))
    client.force_login(member)
    _ok(client.post("/submit/", {"photos": "not a file", "age_at_disappearance": ["1", "2"]}))
    _ok(client.post("/submit/", data="", content_type="multipart/form-data; boundary="))
