"""documents"""

urlpatterns = []
