"""filings"""

urlpatterns = []
