"""The pages composed from several apps: home, city pages, search, dashboards, the unit's
review."""
