"""SMS senders as plugins behind a registry (style.md, item 6): each gateway is a small package
under `sms/contrib/<name>/` whose `plugin.py` registers itself; `SMS_SENDER` picks one."""
