"""The needs registry: needs that countries identify, rank, clear and publish."""
