"""submission"""

urlpatterns = []
