import secrets

from django.db import migrations, models

import archives.models

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def give_every_certificate_a_code(apps, schema_editor):
    Certificate = apps.get_model("archives", "Certificate")
    for cert in Certificate.objects.filter(check_code="").only("pk").iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(10))
        Certificate.objects.filter(pk=cert.pk).update(check_code=code)


class Migration(migrations.Migration):

    dependencies = [
        ("archives", "0006_files_and_archive_moved_out"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="check_code",
            field=models.CharField(default="", editable=False, max_length=10, verbose_name="验证码"),
            preserve_default=False,
        ),
        # A callable default would be evaluated once for every existing row:
        # each certificate gets its own code here instead.
        migrations.RunPython(give_every_certificate_a_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="check_code",
            field=models.CharField(
                default=archives.models.new_check_code, editable=False, max_length=10, verbose_name="验证码"
            ),
        ),
    ]
