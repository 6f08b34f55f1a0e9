from django.apps import AppConfig


class RusConfig(AppConfig):
    name = "rus"
    verbose_name = "RUS – strategin"
