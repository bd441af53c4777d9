from django.apps import AppConfig


class ServicesDeskConfig(AppConfig):
    name = "services_desk"
