"""The events app's background tasks: announcing that registration is open (one e-mail task
per coordinator) and the daily purge of delegates' personal data."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from . import services


@app.task(retry=RetryStrategy(max_attempts=5, exponential_wait=4))
def announce_registration_open(*, event_id: int) -> int:
    """Queue the e-mails telling the coordinators that the event's registration is open."""
    return services.event_announce_registration(event_id=event_id)


@app.periodic(cron="41 3 * * *")
@app.task(queueing_lock="events.purge_delegates")
def purge_delegates(timestamp: int) -> int:
    """Delete the delegates of events that ended EVENTS_DELEGATE_RETENTION_DAYS ago."""
    return services.delegates_purge()
