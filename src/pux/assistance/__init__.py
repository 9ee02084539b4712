"""Current assistance: who funds or implements what, where and when (the "3W" view)."""
