"""Pages go out gzip-compressed to browsers that accept it; pages with a lasting secret do not
(rus.middleware.CompressingMiddleware, BREACH)."""

import gzip

from django.urls import reverse


def test_meeting_page_is_compressed_for_a_browser_that_accepts_gzip(client, cast, meeting):
    client.force_login(cast.member)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    compressed = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert meeting.title in gzip.decompress(compressed.content).decode()
    assert len(compressed.content) < len(plain.content) / 2


def test_calendar_settings_with_the_feed_address_are_not_compressed(client, cast):
    client.force_login(cast.member)
    response = client.get(
        reverse("meetings:calendar_settings"), headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
