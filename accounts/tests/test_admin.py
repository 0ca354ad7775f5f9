import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_member_list_filters_by_staff_and_groups(admin_client):
    UserFactory(username="mary")

    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"is_staff__exact": "0"})

    assert response.status_code == 200
    assert "mary" in response.content.decode()
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert "staff status" in filters and "groups" in filters


def test_staff_add_a_member_with_an_email(admin_client):
    password = "tidal-harbour-lantern-42"

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "volunteer",
            "email": "volunteer@example.org",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="volunteer")
    assert user.email == "volunteer@example.org"
    assert user.check_password(password)


def test_add_form_asks_for_the_email(admin_client):
    response = admin_client.get(reverse("admin:accounts_user_add"))

    assert 'name="email"' in response.content.decode()
