"""Recovery codes for everyone already enrolled in two-factor without them (the demo used to
enrol staff with a TOTP secret only, so their account page showed 0 codes)."""

import secrets

from django.db import migrations


def give_recovery_codes(apps, schema_editor):
    from allauth.mfa.utils import encrypt

    Authenticator = apps.get_model("mfa", "Authenticator")
    with_codes = Authenticator.objects.filter(type="recovery_codes").values("user_id")
    users = (
        Authenticator.objects.exclude(type="recovery_codes")
        .exclude(user_id__in=with_codes)
        .values_list("user_id", flat=True)
        .distinct()
    )
    Authenticator.objects.bulk_create(
        Authenticator(
            user_id=user_id,
            type="recovery_codes",
            data={"seed": encrypt(secrets.token_hex(40)), "used_mask": 0},
        )
        for user_id in set(users)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_lockout_moves_to_axes"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(give_recovery_codes, migrations.RunPython.noop)]
