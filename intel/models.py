"""Tables of the duplicate-detection index (intel.duplicates): a MinHash signature per matter and
its LSH band buckets.

Like the search index (matters.search), no foreign key ties them to the matters: the index is a
derived side table, written by ``intel.duplicates.index_matters`` and rebuilt by
``manage.py index_duplicates``; ids are never reused, so an entry left over matches nothing that
``likely_duplicates`` returns (it reads the matters themselves).
"""

from __future__ import annotations

from django.db import models


class DuplicateSignature(models.Model):
    """The MinHash signature of one matter's title and content: 128 little-endian uint32 (512 bytes)."""

    matter_id = models.BigIntegerField(primary_key=True)
    signature = models.BinaryField()

    class Meta:
        db_table = "intel_duplicate_signature"

    def __str__(self) -> str:
        return f"signature of matter #{self.matter_id}"


class DuplicateBand(models.Model):
    """One LSH bucket of one matter: ``bucket`` holds the band number in its top bits and a hash of the
    band's signature rows below. The primary key (bucket, matter_id) is the lookup index and covers it:
    a query reads only the index, never the table rows. A matter's rows are found again through its
    signature (the buckets are a function of it), so no second index on matter_id is kept."""

    pk = models.CompositePrimaryKey("bucket", "matter_id")
    bucket = models.BigIntegerField()
    matter_id = models.BigIntegerField()

    class Meta:
        db_table = "intel_duplicate_band"

    def __str__(self) -> str:
        return f"bucket {self.bucket} of matter #{self.matter_id}"
