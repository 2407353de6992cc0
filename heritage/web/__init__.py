"""HTML blueprints, one per module."""
