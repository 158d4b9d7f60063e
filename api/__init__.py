"""HTTP API over the assistant library."""
