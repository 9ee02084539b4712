"""Long work done outside a request: allocation rounds, briefs for every country, IATI imports, search
re-indexing. A job is recorded here (who asked, what, where it stands) and run by a queue: procrastinate
on PostgreSQL (`pux worker` processes), a thread of the app itself on the embedded SQLite default."""
