"""The development SMS sender: writes a masked line to the log and sends nothing."""
