"""S3 conditional writes, which vend's apply lock is built on, answer as S3 does: If-None-Match '*'
writes only a new key, If-Match only over the object with that ETag; a failed condition is 412
PreconditionFailed and changes nothing, If-Match on a missing key is 404 NoSuchKey
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). The lock's release
is a conditional delete: If-Match on DeleteObject removes only the object with that ETag
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html)."""
import pytest
from botocore.exceptions import ClientError

from conftest import make_client

BUCKET = "vend-artifacts-111111111111"
KEY = "vend/locks/apply.json"


@pytest.fixture
def s3():
    s3 = make_client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


def error(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"], excinfo.value.response["Error"]["Code"]


def body(s3):
    return s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read()


def test_if_none_match_writes_once_then_412(s3):
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"a"}', IfNoneMatch="*")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"b"}', IfNoneMatch="*")
    assert error(excinfo) == (412, "PreconditionFailed")
    assert body(s3) == b'{"runId":"a"}'


def test_if_match_writes_only_over_the_etag_it_names(s3):
    etag = s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"a"}', IfNoneMatch="*")["ETag"]
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"b"}', IfMatch='"0123456789abcdef0123456789abcdef"')
    assert error(excinfo) == (412, "PreconditionFailed")
    assert body(s3) == b'{"runId":"a"}'
    renewed = s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"a","lease":2}', IfMatch=etag)["ETag"]
    assert renewed != etag and body(s3) == b'{"runId":"a","lease":2}'
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"c"}', IfMatch=etag)
    assert error(excinfo) == (412, "PreconditionFailed"), "the old ETag no longer holds once the object changed"


def test_if_match_on_a_missing_key_is_404_and_writes_nothing(s3):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"{}", IfMatch='"0123456789abcdef0123456789abcdef"')
    assert error(excinfo) == (404, "NoSuchKey")
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_a_released_lock_can_be_taken_again_in_a_versioned_bucket(s3):
    # Central's artifact bucket is versioned: deleting leaves a delete marker, which If-None-Match ignores.
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"a"}', IfNoneMatch="*")
    s3.delete_object(Bucket=BUCKET, Key=KEY)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"b"}', IfNoneMatch="*")
    assert body(s3) == b'{"runId":"b"}'


def test_if_match_deletes_only_the_object_it_names_in_a_versioned_bucket(s3):
    # A release whose lease ran out: a newer holder rewrote the lock, so the ETag it read no longer holds.
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    read = s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"a"}', IfNoneMatch="*")["ETag"]
    newer = s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"b"}', IfMatch=read)["ETag"]
    with pytest.raises(ClientError) as excinfo:
        s3.delete_object(Bucket=BUCKET, Key=KEY, IfMatch=read)
    assert error(excinfo) == (412, "PreconditionFailed")
    assert body(s3) == b'{"runId":"b"}'
    s3.delete_object(Bucket=BUCKET, Key=KEY, IfMatch=newer)
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b'{"runId":"c"}', IfNoneMatch="*")
    assert body(s3) == b'{"runId":"c"}'
