from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender, **kwargs):
    from accounts.services.roles import roles_sync

    roles_sync(using=kwargs.get("using", "default"))


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Role groups need every app's permissions, so sync once the last app has migrated.
        from django.apps import apps

        last_app = list(apps.get_app_configs())[-1]
        post_migrate.connect(_sync_roles_after_migrate, sender=last_app, dispatch_uid="accounts_roles_sync")
