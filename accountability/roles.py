"""How the public record names the staff who act: by their office, never by name or email."""

from content.oversight.groups import OVERSIGHT_STAFF_GROUP

PORTAL_ADMINISTRATOR = "Portal administrator"


def public_role(user) -> str:
    """The office named publicly for what `user` does in the admin."""
    if user.is_superuser and not user.groups.filter(name=OVERSIGHT_STAFF_GROUP).exists():
        return PORTAL_ADMINISTRATOR
    return OVERSIGHT_STAFF_GROUP
