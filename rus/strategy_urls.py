app_name = "rus"

urlpatterns = []
