"""Routes of coaching (filled as the app grows)."""

app_name = "coaching_public"

urlpatterns: list = []
