"""Routes of learning (filled as the app grows)."""

app_name = "learning_public"

urlpatterns: list = []
