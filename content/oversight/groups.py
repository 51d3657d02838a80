"""The oversight staff group and what it may do in the Wagtail admin."""

from django.contrib.auth.models import Group, Permission

OVERSIGHT_STAFF_GROUP = "Oversight staff"

# Staff keep the record; nobody deletes filings, versions or documents from it.
STAFF_PERMISSIONS = {
    "agencies": {"agency": "add change view", "membership": "add change delete view"},
    "technologies": {"technology": "add change view"},
    "vendors": {"vendor": "add change view"},
    "inventory": {"inventoryentry": "add change view"},
    "filings": {
        "filing": "add change view",
        "filingversion": "view",
        "contractdetails": "add change view",
    },
    "documents": {"document": "view", "documentpage": "view"},
    "compliance": {"deadlineextension": "add view"},
    "review": {"review": "change"},
    "wagtailadmin": {"admin": "access"},
}


def ensure_oversight_group(**kwargs) -> Group:
    """Create the group and grant exactly STAFF_PERMISSIONS; safe to run after every migrate."""
    group, _ = Group.objects.get_or_create(name=OVERSIGHT_STAFF_GROUP)
    wanted = []
    for app_label, models in STAFF_PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions.split():
                codename = f"{action}_{model}"
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if permission is None:  # its app's permissions are not created yet
                    continue
                wanted.append(permission)
    group.permissions.set(wanted)
    return group
