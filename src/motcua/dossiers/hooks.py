"""What the dossiers app offers the apps above it, so that they react to a dossier's life
without `dossiers` importing them (docs/architecture.md, "Layers").

`event_appended` is sent by `append_event` for every event of a dossier's history, *inside*
the transaction that wrote it: a receiver that writes rows (an outbox message, a sync
message, an aggregate) writes them atomically with the change, and an exception it raises
rolls the whole action back. Receivers register in their `AppConfig.ready()`:

    event_appended.connect(receiver, dispatch_uid="…")

and are called as `receiver(sender=Event, event=event)`. They must not send anything over the
network from there: write an outbox row and let a task deliver it after commit.
"""

from django.dispatch import Signal

event_appended = Signal()
