"""The upload size limit, enforced while the request is received, before the file is stored or parsed."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# The form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class UploadLimitHandler(FileUploadHandler):
    """Refuse a file above ``CONNECTORS_UPLOAD_MAX_BYTES``: set ``request.upload_too_large`` and stop.

    A request whose declared length is already too large stops at its first file, before any
    of it is kept (the fields before it, such as the CSRF token, are still read); one that
    declares less than it sends stops as soon as the file passes the limit. The rest of the
    body is read and dropped, never stored, so the browser receives the page that says why.
    Install it first, for one view (``request.upload_handlers.insert(0, …)``).
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.CONNECTORS_UPLOAD_MAX_BYTES

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + FORM_OVERHEAD:
            self.request.upload_too_large = True
        return None  # go on parsing: the fields before the file are wanted

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if getattr(self.request, "upload_too_large", False):
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers build the file
