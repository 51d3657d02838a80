"""Re-export the publication fixtures: a published policy with real, extracted PDF pages."""

from tests.publication.conftest import accepted_policy, technology  # noqa: F401
