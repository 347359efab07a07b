"""Requests the tests make through Django's test client, written once."""


def page_html(client, path: str, data=None) -> str:
    """The page at `path` as text; fails unless it answers 200."""
    response = client.get(path, data)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return response.content.decode()
