"""Agency slugs and the portal's own pages share /agency/<first segment>/."""

import pytest
from django.core.exceptions import ValidationError

from content.agencies.models import RESERVED_SLUGS, Agency
from submissions.urls import urlpatterns


def test_every_portal_page_outside_an_agency_has_its_first_segment_reserved():
    first_segments = {
        str(pattern.pattern).split("/")[0]
        for pattern in urlpatterns
        if "agency" not in pattern.pattern.converters
    }
    first_segments.discard("")
    assert first_segments <= RESERVED_SLUGS, (
        f"add {sorted(first_segments - RESERVED_SLUGS)} to content.agencies.models.RESERVED_SLUGS"
    )


@pytest.mark.django_db
def test_an_agency_cannot_take_the_slug_of_a_portal_page():
    agency = Agency(name="Sign-in Department", slug="sign-in")
    with pytest.raises(ValidationError, match="page of the agency portal"):
        agency.full_clean()
