"""The OpenAPI schema covers this API only, not the other DRF views Wagtail's admin mounts."""

API_PATH_PREFIX = "/api/v1/"


def only_public_api(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PATH_PREFIX)]
