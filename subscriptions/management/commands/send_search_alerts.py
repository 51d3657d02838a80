"""Daily: email confirmed saved-search subscribers the publications new since their last alert."""

from django.core.management.base import BaseCommand

from subscriptions.alerts import delete_expired_requests, send_alert
from subscriptions.models import SearchSubscription


class Command(BaseCommand):
    help = "Email search alerts for new publications and forget expired unconfirmed requests."

    def handle(self, *args, **options):
        emails = publications = 0
        for subscription in SearchSubscription.objects.filter(confirmed_at__isnull=False):
            sent = send_alert(subscription)
            if sent:
                emails += 1
                publications += sent
        expired = delete_expired_requests()
        self.stdout.write(
            f"Sent {emails} alert email(s) listing {publications} publication(s); "
            f"forgot {expired} expired unconfirmed request(s)."
        )
