from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The composition root of E-Channel.

    It sits above every product app: it wires their URLs together, owns the Celery
    application and the ``load_demo`` command that builds a realistic demo programme
    from each app's own demo service. No product app may import it.
    """

    name = "config"
    label = "config"
    verbose_name = "E-Channel configuration"
