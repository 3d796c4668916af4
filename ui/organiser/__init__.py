"""organiser."""
