"""The guidance tasks: topics, coach, agenda, brief and ask."""
