"""The dialogue: events, balanced participation, the travel-support fund, outcomes and follow-up."""
