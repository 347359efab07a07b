"""A message to the coordinators through the real queue: the send button queues one task,
which queues one e-mail task per coordinator; a mail server that is down only delays them,
and a second run of the task sends nobody a second e-mail."""

import pytest

from unit.models import MessageDelivery, NetworkMessage
from unit.tasks import deliver_message

from .conftest import jobs, work_until_done

pytestmark = pytest.mark.django_db(transaction=True)

DELIVER = "unit.tasks.deliver_message"
MAIL = "core.tasks.send_mail"


def test_sending_is_one_task_that_queues_one_mail_per_coordinator(
    mail_server, sofia_client, ana, bruno
):
    message = NetworkMessage.objects.create(
        subject_es="Reunión", body_es="El lunes.", subject_pt_br="Reunião", body_pt_br="Segunda."
    )
    mail_server.down(1)
    response = sofia_client.post(f"/en/unit/messages/{message.pk}/send/")
    assert response.status_code == 302
    assert [job["task_name"] for job in jobs()] == [DELIVER]
    assert mail_server.outbox == []
    work_until_done()
    by_address = {mail.to[0]: mail for mail in mail_server.outbox}
    assert sorted(by_address) == sorted([ana.email, bruno.email])
    assert all(len(mail.to) == 1 and not mail.cc and not mail.bcc for mail in mail_server.outbox)
    assert by_address[bruno.email].subject.endswith("Reunião")
    assert len(jobs(MAIL)) == 2 and {job["status"] for job in jobs(MAIL)} == {"succeeded"}
    assert MessageDelivery.objects.count() == 2
    # As if the worker had died after queueing the e-mails, before marking its job done.
    (deliver,) = jobs(DELIVER)
    assert deliver_message(**deliver["args"]) == 0
    work_until_done()
    assert len(mail_server.outbox) == 2
