"""Routes of learning (filled as the app grows)."""

app_name = "learning"

urlpatterns: list = []
