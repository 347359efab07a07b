"""The unit's own work: work plans, lines of work, review notes, library and news."""
