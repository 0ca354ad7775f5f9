import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Member{n}")
    password = factory.django.Password("correct-horse-battery-staple")
    email_verified = True


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"moderator{n}")
    is_staff = True
