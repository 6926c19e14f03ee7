from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "stoa.web"
    verbose_name = "Web pages"
