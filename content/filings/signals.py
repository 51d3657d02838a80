"""Signals other parts of the portal listen to without content/ knowing who they are."""

from django.dispatch import Signal

# Sent inside the transaction that changed a filing's status, with filing, source, target.
filing_status_changed = Signal()
