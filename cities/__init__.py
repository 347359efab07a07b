"""Member cities, their focal points and coordinators, working groups and membership
applications."""
