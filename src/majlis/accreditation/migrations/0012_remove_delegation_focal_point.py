"""The focal point is a delegation membership now (0011 moved the data)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0011_delegation_memberships"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="delegation",
            name="focal_point",
        ),
    ]
