import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the demonstration staff account (an administrator) if it does not exist, and print "
        "its login. The password is generated once and kept in DATA_DIR/demo-login.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, username, **options):
        login_file = Path(settings.DATA_DIR) / "demo-login.txt"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = None
        if login_file.exists():
            saved_user, _sep, saved_password = login_file.read_text().strip().partition(":")
            if saved_user == username:
                password = saved_password
        if user is None or password is None or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User(username=username, email=f"{username}@liaison.invalid")
            user.is_staff = user.is_superuser = user.is_active = True
            user.first_name = user.first_name or "Demo"
            user.last_name = user.last_name or "Staff"
            user.set_password(password)
            user.save()
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(f"{username}:{password}\n")
            login_file.chmod(0o600)
        self.stdout.write(f"Demo staff login: {username} / {password}")
