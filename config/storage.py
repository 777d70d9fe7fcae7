"""Private file storage: files are read by views that check access, never by URL.

Briefs (PDFs) go through Django's default storage: a private folder by default, or a
private S3-compatible bucket (AWS S3, MinIO, Ceph…) when `AWS_STORAGE_BUCKET_NAME` is
set (see `STORAGES` in config/settings.py). Either way nothing hands out a URL: the
download view checks access and streams the file itself.
"""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

NO_URL = "Private files are not accessible via a URL; serve them through a view."


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError(NO_URL)


class PrivateS3Storage(S3Storage):
    """A bucket nobody reads but us: objects get no ACL (so the bucket's private
    default holds, no public-read), names are never overwritten, and no URL, public
    or signed, is ever made. Options come from `STORAGES["default"]["OPTIONS"]`.
    https://django-storages.readthedocs.io/en/1.14.6/backends/amazon-S3.html
    """

    # Class attributes win over the AWS_* Django settings django-storages would read.
    default_acl = None
    querystring_auth = True
    file_overwrite = False
    # A download is spooled in memory up to this size (then on disk) and streamed from there.
    max_memory_size = 1024 * 1024

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)
