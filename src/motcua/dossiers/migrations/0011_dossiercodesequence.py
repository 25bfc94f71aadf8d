from django.db import migrations


class Migration(migrations.Migration):
    """The number series are sequences ("counter" means counter reception here)."""

    dependencies = [("dossiers", "0010_history_head_and_anchors")]

    operations = [migrations.RenameModel("DossierCodeCounter", "DossierCodeSequence")]
