"""Reading a remote TAXII 2.1 collection with the OASIS client (taxii2client.v21), page by
page from the subscription's `added_after`, remembering each page's X-TAXII-Date-Added-Last."""

from collections.abc import Iterator
from typing import Any

from taxii2client.common import _HTTPConnection
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Collection, as_pages

from casebridge.interop.taxii.model import Feed, FeedError, RemotePage

PAGE = 500


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    code = getattr(response, "status_code", None)
    if code is not None:
        return f"the TAXII server answered HTTP {code}"
    if isinstance(error, TAXIIServiceException):  # its messages name URLs, never credentials
        return f"the TAXII server's answer was refused: {str(error)[:300]}"
    return f"the TAXII server could not be read ({type(error).__name__})"


def fetch(feed: Feed, password: str, per_request: int = PAGE) -> Iterator[RemotePage]:
    """The collection's objects added after the feed's cursor, one page at a time."""
    seen: list[str] = []

    def keep_cursor(response: Any, *_args: Any, **_kwargs: Any) -> None:
        value = response.headers.get("X-TAXII-Date-Added-Last")
        if value:
            seen.append(value)

    connection = _HTTPConnection(user=feed.username, password=password, version="2.1")
    connection.session.hooks["response"].append(keep_cursor)
    filters = {"added_after": feed.added_after} if feed.added_after else {}
    try:
        remote = Collection(feed.collection_url, conn=connection)
        for envelope in as_pages(remote.get_objects, per_request=per_request, **filters):
            yield RemotePage(list(envelope.get("objects", [])), seen[-1] if seen else None)
            seen.clear()
    except (OSError, TAXIIServiceException, ValueError) as error:
        raise FeedError(_describe(error)) from None
    finally:
        connection.close()
