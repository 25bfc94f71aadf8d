"""What the accounts app offers the apps above it (docs/architecture.md, "Layers").

`contact_changed` is sent when an account's phone or e-mail address changes, inside the
transaction that changed it: the notification centre (integrations) keeps a note of it for
the account holder. Receivers: `receiver(sender=User, user=…, channel="sms"|"email", new=…)`.
"""

from django.dispatch import Signal

contact_changed = Signal()
