from django.urls import path

from portal.public_cache.pages import cache_public_page
from subscriptions import feeds, views

app_name = "subscriptions"

urlpatterns = [
    path("feeds/", cache_public_page(views.feed_list), name="feeds"),
    path("feeds/publications.atom", feeds.PublicationFeed(), name="publications_feed"),
    path("feeds/agencies/<slug:slug>.atom", feeds.AgencyFeed(), name="agency_feed"),
    path("feeds/technologies/<slug:slug>.atom", feeds.TechnologyFeed(), name="technology_feed"),
    path("feeds/kinds/<slug:kind>.atom", feeds.KindFeed(), name="kind_feed"),
    path("feeds/search.atom", feeds.SearchFeed(), name="search_feed"),
    path("alerts/", views.signup, name="signup"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
