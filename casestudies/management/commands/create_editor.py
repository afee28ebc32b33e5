"""Create an editor account: staff, in the Editors group, nothing more.

    python manage.py create_editor maria --email maria@example.org
    python manage.py create_editor budi --translator   # in the Translators group instead
    python manage.py create_editor rita --reviewer     # in the Reviewers group instead
    EDITOR_PASSWORD=… python manage.py create_editor maria --email maria@example.org

The password comes from --password, else the EDITOR_PASSWORD environment variable, else a
prompt (typed twice) — or one line on standard input when that is not a terminal. Prefer
the prompt or the variable: a password on the command line stays in the shell history.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

EDITORS = "Editors"
TRANSLATORS = "Translators"  # made by translating/migrations/0001: reads, changes nothing
REVIEWERS = "Reviewers"  # made by casestudies/migrations/0009: approves or sends back
# The role's group and what the success message says the account can do.
ROLES = {
    "editor": (EDITORS, "add, change and publish case studies and themes"),
    "translator": (
        TRANSLATORS,
        "read everything and the Translation status page, and change nothing",
    ),
    "reviewer": (REVIEWERS, "approve or send back the changes editors submit for review"),
}
PASSWORD_ENV = "EDITOR_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group) who can add, change and "
        "publish case studies and themes in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="the editor's e-mail address")
        parser.add_argument(
            "--password", default=None, help=f"the password (else ${PASSWORD_ENV}, else a prompt)"
        )
        role = parser.add_mutually_exclusive_group()
        role.add_argument(
            "--translator",
            action="store_true",
            help="put the account in the Translators group (read-only admin and the "
            "Translation status page) instead of Editors",
        )
        role.add_argument(
            "--reviewer",
            action="store_true",
            help="put the account in the Reviewers group (approve or send back case-study "
            "changes) instead of Editors",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="the account exists: make it an editor and, if a password is given, set it",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        username = options["username"].strip()
        email = options["email"].strip()
        if not username:
            raise CommandError("Give a username.")
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"'{email}' is not a valid e-mail address.") from error
        role = next((r for r in ("translator", "reviewer") if options[r]), "editor")
        group_name, can = ROLES[role]
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The '{group_name}' group does not exist: run `python manage.py migrate` first."
            ) from error

        user = User.objects.filter(username=username).first()
        if user is not None and not options["update"]:
            raise CommandError(
                f"A user '{username}' already exists. Add --update to make "
                "them an editor (a new password comes from --password or "
                f"${PASSWORD_ENV})."
            )
        password = options["password"] or os.environ.get(PASSWORD_ENV)
        if user is None and not password:
            password = self._ask_password()
        candidate = user or User(username=username, email=email)
        if password:
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from error

        with transaction.atomic():
            created = user is None
            user = candidate
            if email:
                user.email = email
            user.is_staff = True
            user.is_active = True
            if password:
                user.set_password(password)
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {role} '{username}': they can log in at /admin/ and {can}.")
        )

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError(
                    f"No password: give --password, set ${PASSWORD_ENV}, or type it when asked."
                )
            return password
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if first and first == second:
                return first
            self.stderr.write("The passwords were empty or did not match; try again.")
        raise CommandError("No password set.")
