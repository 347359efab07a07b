"""The ground floor: helpers and infrastructure shared by the apps; imports no app."""
