from django.core.management.base import BaseCommand

from accounts.services.roles import roles_sync


class Command(BaseCommand):
    help = "Create or update the role groups and their permissions."

    def handle(self, *args, **options):
        for role, count in roles_sync().items():
            self.stdout.write(f"{role}: {count} permissions")
