from django.db import migrations


class Migration(migrations.Migration):
    """The number series are sequences ("counter" means counter reception here)."""

    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RenameModel("ReceiptCounter", "ReceiptSequence")]
