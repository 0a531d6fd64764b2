"""The three fixed accounts and their static keys.

AWS behaviour assumed: an access key id belongs to exactly one account; an unknown key id
is refused with 403 (UnrecognizedClientException / InvalidClientTokenId / InvalidAccessKeyId
depending on protocol). Temporary (ASIA…) keys from sts:AssumeRole need the matching
session token.
"""
import threading

from moto.iam.models import AccessKey, iam_backends
from moto.sts.models import sts_backends

ACCOUNTS = {
    "central": "111111111111",
    "producer": "222222222222",
    "consumer": "333333333333",
}


def _secret(name):
    # 40 characters, recognisably fake.
    return ("vendLocalCloud" + name.capitalize() + "TestSecretKey").ljust(40, "0")[:40]


# profile -> (account, access key id, secret)
KEYS = {
    "central": ("111111111111", "AKIAVENDCENTRAL00001", _secret("central")),
    "producer": ("222222222222", "AKIAVENDPRODUCER0001", _secret("producer")),
    "consumer": ("333333333333", "AKIAVENDCONSUMER0001", _secret("consumer")),
}
STATIC = {k: (acct, secret) for (acct, k, secret) in KEYS.values()}
ADMIN_USER = "vend-localcloud-admin"
_lock = threading.Lock()


def seed():
    """Put the static keys into each account's IAM (idempotent)."""
    with _lock:
        for profile, (acct, key_id, secret) in KEYS.items():
            iam = iam_backends[acct]["aws"]
            if ADMIN_USER not in iam.users:
                iam.create_user(region_name="us-east-1", user_name=ADMIN_USER)
            user = iam.users[ADMIN_USER]
            if key_id not in iam.access_keys:
                key = AccessKey(user_name=ADMIN_USER, prefix="AKIA", account_id=acct)
                key.access_key_id = key_id
                key.secret_access_key = secret
                user.access_keys.append(key)
                iam.access_keys[key.physical_resource_id] = key


def lookup(key_id):
    """Return (account, secret, session_token_or_None) for a key id, or None if unknown."""
    if key_id in STATIC:
        acct, secret = STATIC[key_id]
        return acct, secret, None
    for acct, account in list(iam_backends.items()):
        try:
            keys = account["aws"].access_keys
        except KeyError:
            continue
        key = keys.get(key_id)
        if key is None:
            continue
        token = None
        if key_id.startswith("ASIA"):
            sts = sts_backends[acct]["aws"]
            role = sts.get_assumed_role_from_access_key(key_id)
            token = role.session_token if role else ""
        return acct, key.secret_access_key, token
    return None


def install_reset_hook(extra_resets):
    """Wrap moto's /moto-api/reset so the keys are re-seeded and our stores emptied."""
    from moto.moto_api._internal.models import MotoAPIBackend

    original = MotoAPIBackend.reset
    if getattr(original, "_vend", False):
        return

    def reset(self):
        original(self)
        for fn in extra_resets:
            fn()
        seed()

    reset._vend = True
    MotoAPIBackend.reset = reset


def principal_arn(key_id, account):
    """The IAM principal behind a key: the user's ARN, or the role's ARN for an assumed-role
    session (Service Catalog principal associations match the role, not the session)."""
    if key_id in STATIC:
        return f"arn:aws:iam::{account}:user/{ADMIN_USER}"
    if key_id.startswith("ASIA"):
        role = sts_backends[account]["aws"].get_assumed_role_from_access_key(key_id)
        if role:
            return role.role_arn
    key = iam_backends[account]["aws"].access_keys.get(key_id)
    if key is not None and key.user_name:
        return f"arn:aws:iam::{account}:user/{key.user_name}"
    return f"arn:aws:iam::{account}:root"


def session_credentials(role_arn, session_name="vend-localcloud"):
    """Assume a role in-process (as STS would for a service) and return (key, secret, token)."""
    sts = sts_backends[role_arn.split(":")[4]]["aws"]
    role = sts.assume_role(region_name="us-east-1", role_session_name=session_name, role_arn=role_arn,
                           policy=None, duration=3600, external_id=None)
    return role.access_key_id, role.secret_access_key, role.session_token
