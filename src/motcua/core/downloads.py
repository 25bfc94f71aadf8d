"""The response that hands over a file kept in private storage: never cached by a shared
cache nor kept by the browser, downloaded unless the caller shows it in the page."""

from django.http import FileResponse


def private_file_response(stored, *, inline: bool = False) -> FileResponse:
    """`stored` is a stored file (`file`, `name`, `content_type`; dossiers' `StoredFile`)."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=not inline,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
