"""The accounts and their static keys: central, producer and consumer by default; a fleet of
N producer and M consumer accounts with `up --producers N --consumers M` (configure()).

AWS behaviour assumed: an access key id belongs to exactly one account; an unknown key id
is refused with 403 (UnrecognizedClientException / InvalidClientTokenId / InvalidAccessKeyId
depending on protocol). Temporary (ASIA…) keys from sts:AssumeRole need the matching
session token.
"""
import json
import threading

from moto.iam.models import AccessKey, iam_backends
from moto.sts.models import sts_backends


def _secret(name):
    # 40 characters, recognisably fake.
    return ("vendLocalCloud" + name.capitalize() + "TestSecretKey").ljust(40, "0")[:40]


# profile -> (account, access key id, secret): today's three accounts, the default fleet
KEYS = {
    "central": ("111111111111", "AKIAVENDCENTRAL00001", _secret("central")),
    "producer": ("222222222222", "AKIAVENDPRODUCER0001", _secret("producer")),
    "consumer": ("333333333333", "AKIAVENDCONSUMER0001", _secret("consumer")),
}
ACCOUNTS = {profile: acct for profile, (acct, _, _) in KEYS.items()}
STATIC = {k: (acct, secret) for (acct, k, secret) in KEYS.values()}
FLEET = {"producers": 1, "consumers": 1}
MAX_FLEET = 999  # producer 2222 would be 222222222222, producer 1's account


def member(kind, k):
    """Spoke k (1-based) of kind producer|consumer: (account, key id, secret), all derived from
    k so a restart gives the same accounts and keys. k=1 is today's account: 222222222222 /
    333333333333 and its key; k>1 is 22222222%04d / 33333333%04d, key AKIAVEND<KIND>%04d and a
    secret ending in the account's last five digits."""
    digit = {"producer": "2", "consumer": "3"}[kind]
    if k == 1:
        return digit * 12, f"AKIAVEND{kind.upper()}0001", _secret(kind)
    acct = digit * 8 + f"{k:04d}"
    return acct, f"AKIAVEND{kind.upper()}{k:04d}", _secret(kind)[:35] + acct[-5:]


def configure(producers=1, consumers=1):
    """Sets the fleet: central, `producer`/`consumer` (today's, spoke 1) and, for a fleet given
    explicitly, the numbered profiles producer-1…producer-N and consumer-1…consumer-M (producer-1
    is the same account and key as `producer`). seed() then seeds every account of it."""
    for kind, n in (("producer", producers), ("consumer", consumers)):
        if not 1 <= n <= MAX_FLEET:
            raise ValueError(f"{kind}s must be between 1 and {MAX_FLEET}, not {n}")
    keys = {p: KEYS[p] for p in ("central", "producer", "consumer")}
    for kind, n in (("producer", producers), ("consumer", consumers)):
        keys.update({f"{kind}-{k}": member(kind, k) for k in range(1, n + 1)})
    with _lock:
        KEYS.clear()
        KEYS.update(keys)
        ACCOUNTS.clear()
        ACCOUNTS.update({profile: acct for profile, (acct, _, _) in keys.items()})
        STATIC.clear()
        STATIC.update({k: (acct, secret) for (acct, k, secret) in keys.values()})
        FLEET.update(producers=producers, consumers=consumers)


def load_fleet(state_dir):
    """Configures the fleet recorded by `up` in STATE/fleet.json (none: the default three)."""
    import os
    path = os.path.join(state_dir, "fleet.json")
    if os.path.exists(path):
        with open(path) as f:
            spec = json.load(f)
        configure(int(spec["producers"]), int(spec["consumers"]))


ADMIN_USER = "vend-localcloud-admin"
ORG_ROLE = "OrganizationAccountAccessRole"
_lock = threading.Lock()
# The principal of the request being served on this thread (set by the middleware): Lake
# Formation records the creators of databases and tables (vendcloud/lf_enforce.py).
CURRENT = threading.local()


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
            # AWS Organizations creates this role in member accounts, trusting the management
            # account; the producer and consumer accounts stand for such members.
            if acct != KEYS["central"][0] and ORG_ROLE not in [r.name for r in iam.roles.values()]:
                iam.create_role(role_name=ORG_ROLE, assume_role_policy_document=json.dumps({
                    "Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{KEYS['central'][0]}:root"},
                        "Action": "sts:AssumeRole"}]}),
                    path="/", permissions_boundary=None, description="vend local cloud: org access role",
                    tags=[], max_session_duration="3600", linked_service=None)
                try:  # moto loads AWS managed policies only when asked to
                    iam.attach_role_policy("arn:aws:iam::aws:policy/AdministratorAccess", ORG_ROLE)
                except Exception:
                    pass


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


def can_assume(caller_arn, caller_account, role_arn, require_role=True):
    """AWS: sts:AssumeRole needs the role to exist and its trust policy to allow the caller
    (Principal AWS "*", the caller's account id or root ARN, or the caller's ARN). IAM policies
    of the caller and trust-policy conditions are not evaluated. require_role=False lets a
    role that does not exist be assumed (moto's convenience for cross-account tests); a role
    that exists is always held to its trust policy."""
    parts = role_arn.split(":")
    if len(parts) < 6 or not parts[4].isdigit():
        return False
    name = role_arn.split("/")[-1]
    role = next((r for r in iam_backends[parts[4]]["aws"].roles.values() if r.name == name), None)
    if role is None:
        return not require_role
    doc = role.assume_role_policy_document
    doc = json.loads(doc) if isinstance(doc, str) else doc
    stmts = doc.get("Statement", []) if isinstance(doc, dict) else []
    for st in stmts if isinstance(stmts, list) else [stmts]:
        if st.get("Effect") != "Allow":
            continue
        actions = st.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = st.get("Principal", {})
        aws = principal.get("AWS", []) if isinstance(principal, dict) else principal
        aws = aws if isinstance(aws, list) else [aws]
        for p in aws:
            if p in ("*", caller_account, f"arn:aws:iam::{caller_account}:root", caller_arn):
                return True
    return False
