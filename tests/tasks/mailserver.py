"""A mail server that is down for a while: the test e-mail backend of the queue tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Refuses the next `refusals` sends with SMTPException, as a mail server that is down,
    then delivers to django.core.mail.outbox like the test backend. `tries` counts every
    message handed to it, delivered or not."""

    refusals = 0
    tries = 0

    def send_messages(self, messages):
        FlakyBackend.tries += len(messages)
        if FlakyBackend.refusals > 0:
            FlakyBackend.refusals -= 1
            raise smtplib.SMTPException("421 mail server unavailable")
        return super().send_messages(messages)
