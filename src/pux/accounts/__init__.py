"""Organisations, people, roles scoped to a country or organisation, sign-in and API tokens."""
