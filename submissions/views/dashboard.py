"""dashboard"""

urlpatterns = []
