"""The web edge: app factory, middleware, templates, static files."""
