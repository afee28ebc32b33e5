"""The "Editors" group: add, change (and so publish) case studies and themes; nothing else.

No delete permission, nothing on users, groups or guidance (guidance is edited in the
content files). See docs/decisions.md, "Editors' permissions".
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
PERMISSIONS = [
    (model, action) for model in ("casestudy", "theme") for action in ("add", "change", "view")
]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); on a new
    # database they don't exist yet, so create this app's now.
    app_config = apps.get_app_config("casestudies")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    permissions = [
        Permission.objects.get(
            content_type__app_label="casestudies",
            content_type__model=model,
            codename=f"{action}_{model}",
        )
        for model, action in PERMISSIONS
    ]
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_editors_group, remove_editors_group),
    ]
