"""People: the custom user, sign-in through allauth, sessions, roles and the security log."""
