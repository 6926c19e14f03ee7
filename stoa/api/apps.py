from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "stoa.api"
    verbose_name = "REST API"
