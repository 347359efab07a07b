"""The unit's events: calendar, documents, registrations and participation."""
