"""Private file storage: files are read by views that check access, never by URL."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Private files are not accessible via a URL; serve them through a view.")
