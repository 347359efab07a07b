"""The peers app's background tasks: keeping the comparability of cities current."""

import logging

from procrastinate.contrib.django import app

from . import following, services

logger = logging.getLogger(__name__)


@app.task(queueing_lock="peers.refresh_comparability")
def refresh_comparability() -> int:
    """Recompute the whole comparability table; returns the number of rows written."""
    count = services.comparability_refresh()
    logger.info("city comparability refreshed: %s pairs", count)
    return count


@app.periodic(cron="7 * * * *")
@app.task(queueing_lock="peers.refresh_comparability_when_stale")
def refresh_comparability_when_stale(timestamp: int) -> int:
    """Every hour: refresh the table when a city, problem or indicator value changed since
    the last refresh (or it is a day old); returns the rows written (0: nothing changed)."""
    if not services.comparability_is_stale():
        return 0
    return refresh_comparability()


@app.periodic(cron="23 6 * * *")
@app.task(queueing_lock="peers.send_digests")
def send_digests(timestamp: int) -> int:
    """Every morning: the digests that are due (weekly or monthly), only to subscribers with
    something new; then the addresses and follows left unconfirmed for a week are deleted."""
    deleted = following.unconfirmed_delete()
    if deleted:
        logger.info("%s unconfirmed subscriptions deleted", deleted)
    return following.digests_send()
