# The constraints of MeasureLink's targets, in their own migration (and so, on PostgreSQL, their
# own transaction) after 0005 has turned the address-only links into "other page" links.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pledges', '0005_measure_link_targets'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="measurelink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("action__isnull", True),
                        ("event__isnull", False),
                        ("kind", "event"),
                        ("library_item__isnull", True),
                    ),
                    models.Q(
                        ("action__isnull", True),
                        ("event__isnull", True),
                        ("kind", "library"),
                        ("library_item__isnull", False),
                    ),
                    models.Q(
                        ("action__isnull", False),
                        ("event__isnull", True),
                        ("kind", "action"),
                        ("library_item__isnull", True),
                    ),
                    models.Q(
                        ("action__isnull", True),
                        ("event__isnull", True),
                        ("kind", "other"),
                        ("library_item__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="measure_link_target_matches_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="measurelink",
            constraint=models.UniqueConstraint(
                fields=("measure", "event"), name="one_link_per_event"
            ),
        ),
        migrations.AddConstraint(
            model_name="measurelink",
            constraint=models.UniqueConstraint(
                fields=("measure", "library_item"), name="one_link_per_library_item"
            ),
        ),
        migrations.AddConstraint(
            model_name="measurelink",
            constraint=models.UniqueConstraint(
                fields=("measure", "action"), name="one_link_per_action"
            ),
        ),
    ]
