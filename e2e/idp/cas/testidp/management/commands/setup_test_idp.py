"""Creates the test user and the service pattern of RefNum's loopback
return URL, releasing the e-mail as the `mail` attribute."""
from cas_server.models import ReplaceAttributName, ServicePattern
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Test user and RefNum service pattern for the browser suite."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--service-pattern", required=True)

    def handle(self, *args, **o):
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=o["username"])
        user.email = o["email"]
        user.first_name = "Élodie"
        user.last_name = "Caron"
        user.set_password(o["password"])
        user.save()
        pattern, _ = ServicePattern.objects.update_or_create(
            name="RefNum",
            defaults={
                "pos": 100,
                "pattern": o["service_pattern"],
                "single_log_out": True,
            },
        )
        ReplaceAttributName.objects.get_or_create(
            name="email", replace="mail", service_pattern=pattern
        )
        self.stdout.write("test IdP ready")
