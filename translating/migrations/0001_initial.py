"""The page's permission and the "Translators" group: read everything, change nothing.

Translators read every translation-related screen and every guide object in the admin (view
permissions only); the content files stay the source. Editors may read the page too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TRANSLATORS = "Translators"
EDITORS = "Editors"
# The apps whose objects translators may read in the admin.
READABLE_APPS = ("casestudies", "resources", "guidance", "proposals", "translating")


def create_translators(apps, schema_editor):
    # Permissions are normally created after all migrations; create these apps' now.
    for label in READABLE_APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    translators, _created = Group.objects.get_or_create(name=TRANSLATORS)
    translators.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=READABLE_APPS, codename__startswith="view_"
        )
    )
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        Permission.objects.get(
            content_type__app_label="translating", codename="view_translationstatus"
        )
    )


def remove_translators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TRANSLATORS).delete()


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casestudies", "0006_case_study_notes"),
        ("resources", "0002_editors_edit_resources"),
        ("guidance", "0002_content_dates_and_abbreviations"),
        ("proposals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="TranslationStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "verbose_name": "translation status",
                "verbose_name_plural": "translation status",
                "managed": False,
                "default_permissions": ("view",),
            },
        ),
        migrations.RunPython(create_translators, remove_translators),
    ]
