"""accounts"""

urlpatterns = []
