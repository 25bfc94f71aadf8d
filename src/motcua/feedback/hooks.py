"""What the feedback app offers the apps above it (docs/architecture.md, "Layers").

`feedback_changed` is sent by `services.history.append_event` for every entry of a
feedback's history, *inside* the transaction that wrote it, as `dossiers.hooks.event_appended`
is for dossiers: a receiver writes its rows (an outbox message) atomically with the change and
sends nothing over the network from there. Receivers register in their `AppConfig.ready()`:

    feedback_changed.connect(receiver, dispatch_uid="…")

and are called as `receiver(sender=FeedbackEvent, event=event)`.
"""

from django.dispatch import Signal

feedback_changed = Signal()
