"""Programmes and offers that partners publish."""
