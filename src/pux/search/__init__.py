"""Search across every kind of record, by words and by meaning, in six languages."""
