import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import UserFactory
from listings.images import process_photo
from listings.models import (
    Case,
    CaseStatus,
    ContactMessage,
    Photo,
    Region,
    Resource,
    ResourceCategory,
    ReviewState,
    Sex,
    Tip,
)


def jpeg_bytes(size=(64, 48), colour=(90, 120, 160), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    if exif is not None:
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


def uploaded_jpeg(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    age_at_disappearance = 34
    sex = Sex.FEMALE
    height_cm = 165
    weight_kg = 60
    eye_colour = "Brown"
    hair_colour = "Black"
    last_seen_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    last_seen_place = "Water Street, St. John's"
    region = Region.AVALON
    circumstances = "Left home on foot in the evening and did not return."
    police_file_number = factory.Sequence(lambda n: f"RNC-2026-{n:05d}")
    investigating_agency = "Royal Newfoundland Constabulary"
    agency_phone = "709-729-8000"
    case_status = CaseStatus.MISSING
    review_state = ReviewState.PENDING
    submitted_by = factory.SubFactory(UserFactory)

    class Params:
        published = factory.Trait(
            review_state=ReviewState.PUBLISHED,
            published_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
        )
        rejected = factory.Trait(review_state=ReviewState.REJECTED)
        found = factory.Trait(
            published=True,
            case_status=CaseStatus.FOUND,
            found_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
        )
        withdrawn = factory.Trait(
            review_state=ReviewState.WITHDRAWN,
            published_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
            withdrawn_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
        )


class PhotoFactory(factory.django.DjangoModelFactory):
    """A photo stored through the media storage, processed as an upload would be."""

    class Meta:
        model = Photo
        exclude = ["processed"]

    case = factory.SubFactory(CaseFactory)
    processed = factory.LazyFunction(lambda: process_photo(uploaded_jpeg()))
    image = factory.LazyAttribute(lambda o: o.processed.full)
    thumbnail = factory.LazyAttribute(lambda o: o.processed.thumbnail)
    width = factory.LazyAttribute(lambda o: o.processed.width)
    height = factory.LazyAttribute(lambda o: o.processed.height)
    caption = ""
    review_state = factory.LazyAttribute(lambda o: o.case.review_state)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        image, thumbnail = kwargs.pop("image"), kwargs.pop("thumbnail")
        photo = model_class(*args, **kwargs)
        photo.image.save("photo.jpg", image, save=False)
        photo.thumbnail.save("thumbnail.jpg", thumbnail, save=False)
        photo.save()
        return photo


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tip

    case = factory.SubFactory(CaseFactory, published=True)
    message = "I think I saw her near the bus stop on Topsail Road on Tuesday."
    name = "A neighbour"
    email = "neighbour@example.org"


class ResourceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceCategory
        django_get_or_create = ("name",)

    name = "Police services"


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    category = factory.SubFactory(ResourceCategoryFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = "https://example.org/help"
    description = "Where to call and what to expect."


class ContactMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMessage

    name = "Sam Reader"
    email = "sam@example.org"
    subject = "A question"
    message = "How do I update a case I submitted?"
