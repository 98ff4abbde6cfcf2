"""Every installation has the European Pillar of Social Rights and the SDGs (EN and FR)."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from cocity.pledges.frameworks_data import load_shipped_frameworks

    load_shipped_frameworks(apps.get_model("pledges", "Framework"), apps.get_model("pledges", "FrameworkItem"))


class Migration(migrations.Migration):
    dependencies = [("pledges", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
