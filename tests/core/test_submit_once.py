"""Two posts of one form at the same moment: exactly one is carried out."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessment.models import BonusAward
from core.submit import ALREADY_SUBMITTED
from tests.submit_twice import form_token


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_the_same_moment_create_one_row(office, teacher):
    url = reverse("assessment:award_create")
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(office)
    token = form_token(clients[0], url)
    data = {
        "teacher": teacher.pk, "school_year": 2025, "semester": 1, "category": "class_prize",
        "event": "市文明班级", "level": "municipal", "form_once": token,
    }
    start = threading.Barrier(2)
    answers = []

    def post(client):
        start.wait()
        try:
            answers.append(client.post(url, data, follow=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert BonusAward.objects.count() == 1
    assert sorted(ALREADY_SUBMITTED in r.content.decode() for r in answers) == [False, True]


def test_a_post_without_a_token_is_handled_as_before(client, office, teacher):
    client.force_login(office)
    data = {"teacher": teacher.pk, "school_year": 2025, "semester": 1, "category": "class_prize", "event": "市文明班级", "level": "municipal"}
    assert client.post(reverse("assessment:award_create"), data).status_code == 302
    assert BonusAward.objects.count() == 1
