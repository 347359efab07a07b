"""The unit's background tasks: delivering a message of the secretariat to the
coordinators (one e-mail task per recipient, queued by the delivery)."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from . import services


@app.task(retry=RetryStrategy(max_attempts=5, exponential_wait=4))
def deliver_message(*, message_id: int) -> int:
    """Queue the e-mails of a message being sent, one per coordinator, and record them."""
    return services.message_deliver(message_id=message_id)
