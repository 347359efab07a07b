"""The cities app's background tasks: the monthly reminders about stale focal points."""

from procrastinate.contrib.django import app

from .services import focal_points_remind


@app.periodic(cron="0 9 1 * *")
@app.task(queueing_lock="cities.remind_focal_points")
def remind_focal_points(timestamp: int) -> int:
    """E-mail the coordinators of cities whose contacts nobody confirmed for a year (the
    first of each month); returns how many e-mails were queued."""
    return focal_points_remind(once_per=f"cities.focal_point_reminder:{timestamp}").sent
