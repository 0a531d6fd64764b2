"""Small pieces every Service Catalog module uses: the control config it reads, the settling
window, AWS id formats, its two error shapes, quotas and pagination. Holds no state."""
import datetime
import random
import string

from .. import control
from ..errors import AwsError

CONFIG = control.CONFIG
CONFIG.setdefault("enforce_principal_associations", True)
# AWS finishes artifacts and provisioning asynchronously. The work is done within the call
# here, but for async_seconds the answers say CREATING / IN_PROGRESS / UNDER_CHANGE, so a
# client that does not poll fails here as it would in AWS.
CONFIG.setdefault("async_seconds", 0.5)


def settling(obj):
    import time
    return time.time() < obj.get("_ready_at", 0)


def ready_at():
    import time
    return time.time() + float(CONFIG.get("async_seconds", 0))


TAGOPTION_QUOTA = 25  # TagOptions per resource (AWS default quota)
ACTION_ASSOC_QUOTA = 25  # service-action associations per provisioning artifact (AWS quota)


def new_id(prefix):
    # AWS ids: prefix, '-', 13 lower-case alphanumerics (e.g. port-abcdefgh12345).
    return prefix + "-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=13))


def path_id(portfolio_id, product_id):
    """AWS launch path ids look like lpv3-<13 chars>, one per portfolio-product pair; they are
    not portfolio ids (clients must take them from ListLaunchPaths). Portfolio ids are still
    accepted as PathId here."""
    import hashlib
    digest = int(hashlib.sha256(f"{portfolio_id}/{product_id}".encode()).hexdigest(), 16)
    chars = string.ascii_lowercase + string.digits
    out = ""
    for _ in range(13):
        digest, r = divmod(digest, len(chars))
        out += chars[r]
    return "lpv3-" + out


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def not_found(what, rid):
    return AwsError("ResourceNotFoundException", f"{what} {rid} not found.")


def invalid(msg):
    return AwsError("InvalidParametersException", msg)


def page(items, p, key, default_size=20, next_token="NextPageToken"):
    """AWS pagination with PageSize/PageToken (the next token absent on the last page). Most
    operations answer the next token as NextPageToken; ListTagOptions and
    ListResourcesForTagOption answer it as PageToken (botocore's model and paginators)."""
    size = int(p.get("PageSize") or default_size)
    start = int(p.get("PageToken") or 0) if str(p.get("PageToken") or "0").isdigit() else 0
    out = {key: items[start:start + size]}
    if start + size < len(items):
        out[next_token] = str(start + size)
    return out
