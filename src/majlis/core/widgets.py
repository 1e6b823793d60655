"""Form widgets for the back office."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.widgets import AdminFileWidget


class PrivateFileWidget(AdminFileWidget):
    """A file input for files kept outside any public URL (``MEDIA_URL`` is unset).

    Django's widget links the current file through ``storage.url()``, which fails for such files;
    this one names the stored file instead. Views that check permissions serve the file itself.
    """

    template_name = "admin/widgets/private_file_input.html"

    def is_initial(self, value: Any) -> bool:
        return bool(value and getattr(value, "name", None))
