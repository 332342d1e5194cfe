"""Text intelligence: suggests a level-1 category for a citizen message (see classifier.py)."""
