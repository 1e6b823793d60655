"""``majlis otp-enroll <username>``: give a staff member an authenticator-app (TOTP) device.

Prints the ``otpauth://`` address and the same as a QR code in the terminal, to scan with any
authenticator app. The device is confirmed at once: whoever runs this command on the server is
trusted to hand the code over in person or over a secure channel.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from majlis.core.audit import record


class Command(BaseCommand):
    help = "Create a confirmed TOTP device for a user and show it as an otpauth:// address and a QR code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="Device name (default: %(default)s).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the user's existing TOTP devices first.",
        )
        parser.add_argument("--no-qr", action="store_true", help="Print only the otpauth:// address.")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()  # noqa: N806
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist as error:
            raise CommandError(f"There is no user {options['username']!r}.") from error
        name = options["name"]
        with transaction.atomic():
            existing = TOTPDevice.objects.filter(user=user)
            if options["replace"]:
                removed = existing.count()
                existing.delete()
                if removed:
                    record("otp.devices_removed", actor="command line", obj=user, count=removed)
            elif existing.filter(name=name).exists():
                raise CommandError(
                    f"{user.get_username()} already has a device named {name!r}: "
                    "use --replace to replace it or --name to add another one."
                )
            device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
            record("otp.enrolled", actor="command line", obj=user, device=name)

        uri = device.config_url
        if not user.is_staff:
            self.stderr.write(self.style.WARNING(f"{user.get_username()} is not staff: the back office stays closed."))
        self.stdout.write(f"TOTP device {name!r} created for {user.get_username()}.")
        self.stdout.write("Scan this with an authenticator app, or enter the address by hand:\n")
        self.stdout.write(uri)
        if not options["no_qr"]:
            buffer = io.StringIO()
            segno.make(uri, error="m", micro=False).terminal(out=buffer, compact=True)
            self.stdout.write(buffer.getvalue())
        self.stdout.write("Keep this secret: anyone who sees it can produce the codes.")
