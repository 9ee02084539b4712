"""Matching needs with programmes: explainable fit, recommendations, and optimal allocation rounds."""
