"""The "Reviewers" group: see case studies and the changes waiting for review, approve them or
send them back. Nothing else: a reviewer who also writes is in Editors too.
See docs/editing.md, "Review before publishing".
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Reviewers"
PERMISSIONS = [
    ("casestudy", "view_casestudy"),
    ("theme", "view_theme"),
    ("casestudyrevision", "view_casestudyrevision"),
    ("casestudyrevision", "review_casestudyrevision"),
]


def create_reviewers_group(apps, schema_editor):
    # As in 0002: on a new database the permissions don't exist yet, so create them now.
    app_config = apps.get_app_config("casestudies")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        [
            Permission.objects.get(
                content_type__app_label="casestudies", content_type__model=model, codename=code
            )
            for model, code in PERMISSIONS
        ]
    )


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0008_casestudyrevision")]

    operations = [migrations.RunPython(create_reviewers_group, remove_reviewers_group)]
