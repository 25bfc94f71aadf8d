"""SMS senders as plugins behind a registry (docs/architecture.md, "Plugins"): each gateway is a small package
under `sms/contrib/<name>/` whose `plugin.py` registers itself; `SMS_SENDER` picks one."""
