"""Command-line interface: ``python -m assistant`` / ``mentor-assistant``."""
