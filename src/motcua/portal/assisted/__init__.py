"""Assisted submission ("Nộp hộ"): a helper submits for a citizen who consents."""
