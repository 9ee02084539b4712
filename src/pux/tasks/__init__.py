"""What waits for each person: the task inbox."""
