"""Signed links in alert emails: confirm expires, unsubscribe works as long as alerts come."""

import datetime

from django.core import signing

from subscriptions.models import SearchSubscription

CONFIRMATION_MAX_AGE = datetime.timedelta(days=3)
CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


class LinkExpired(Exception):
    """The link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was altered, cut short or never issued by this site."""


def _make(subscription: SearchSubscription, salt: str) -> str:
    return signing.dumps([subscription.pk, subscription.token_nonce], salt=salt)


def confirm_token(subscription: SearchSubscription) -> str:
    return _make(subscription, CONFIRM_SALT)


def unsubscribe_token(subscription: SearchSubscription) -> str:
    return _make(subscription, UNSUBSCRIBE_SALT)


def _read(token: str, salt: str, max_age=None) -> SearchSubscription | None:
    """The subscription a token names, or None if it no longer exists."""
    try:
        pk, nonce = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid from None
    return SearchSubscription.objects.filter(pk=pk, token_nonce=nonce).first()


def read_confirm_token(token: str) -> SearchSubscription | None:
    return _read(token, CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)


def read_unsubscribe_token(token: str) -> SearchSubscription | None:
    return _read(token, UNSUBSCRIBE_SALT)
