"""Online submission: the draft's task list, e-form pages, attachments and check."""
