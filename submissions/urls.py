"""The agency portal, under /agency/. Each view module lists its own routes."""

from submissions.views import accounts, dashboard, documents, filings, submission

app_name = "submissions"

urlpatterns = [
    *accounts.urlpatterns,
    *dashboard.urlpatterns,
    *filings.urlpatterns,
    *documents.urlpatterns,
    *submission.urlpatterns,
]
