"""With REDIS_URL set, every web process shares the rendered public pages through Redis
(which CI runs on 127.0.0.1:6379)."""

import uuid

import pytest
import redis
from django.test import override_settings
from django.urls import reverse

from tests.search.publishing import published_filing

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not answering at {REDIS_URL} ({error}); start redis-server")
    # A prefix of its own, so parallel runs and other tests never see these entries.
    prefix = f"test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": backend}):
        yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_page_rendered_once_is_served_from_redis(
    client, agency_a, redis_cache, django_assert_num_queries
):
    published_filing(agency_a, "Drone use policy", ["Footage is kept for thirty days."])
    url = reverse("browse:agency", args=[agency_a.slug])
    first = client.get(url)

    with django_assert_num_queries(1):
        second = client.get(url)

    assert second.content == first.content
    stored = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{redis_cache}:*public-page:*"))
    assert len(stored) == 1
