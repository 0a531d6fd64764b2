"""`up --producers N --consumers M`: a fleet of spoke accounts, each with its own static keys and
profile; without the flags, the three profiles as before. Runs its own servers on free ports
(as test_lifecycle.py does), each with a private state directory."""
import configparser
import os
import subprocess

import boto3
import pytest
from botocore.exceptions import ClientError

from test_lifecycle import SCRIPTS, free_port
from vendcloud.accounts import member

SPOKES = {"producer-1": "222222222222", "producer-2": "222222220002", "producer-3": "222222220003",
          "consumer-1": "333333333333", "consumer-2": "333333330002"}
# What `up` wrote before fleets existed (profiles.py), byte for byte.
DEFAULT_CONFIG = """[profile central]
region = us-east-1
endpoint_url = {endpoint}
output = json
# account 111111111111

[profile producer]
region = us-east-1
endpoint_url = {endpoint}
output = json
# account 222222222222

[profile consumer]
region = us-east-1
endpoint_url = {endpoint}
output = json
# account 333333333333

[default]
region = us-east-1
endpoint_url = {endpoint}
output = json
"""
DEFAULT_CREDENTIALS = """[central]
aws_access_key_id = AKIAVENDCENTRAL00001
aws_secret_access_key = vendLocalCloudCentralTestSecretKey000000

[producer]
aws_access_key_id = AKIAVENDPRODUCER0001
aws_secret_access_key = vendLocalCloudProducerTestSecretKey00000

[consumer]
aws_access_key_id = AKIAVENDCONSUMER0001
aws_secret_access_key = vendLocalCloudConsumerTestSecretKey00000

[default]
aws_access_key_id = AKIAVENDCENTRAL00001
aws_secret_access_key = vendLocalCloudCentralTestSecretKey000000
"""


class Cloud:
    def __init__(self, state):
        self.state = state
        self.port = free_port()
        self.env = dict(os.environ, LOCALCLOUD_STATE=str(state))

    def run(self, script, *args):
        return subprocess.run([os.path.join(SCRIPTS, script), *args], env=self.env, capture_output=True,
                              text=True, timeout=60)

    def up(self, *args):
        return self.run("up", "--port", str(self.port), *args)

    def text(self, name):
        return (self.state / "aws" / name).read_text()

    def session(self, profile, monkeypatch):
        monkeypatch.setenv("AWS_CONFIG_FILE", str(self.state / "aws" / "config"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(self.state / "aws" / "credentials"))
        for k in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                  "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_REGION"):
            monkeypatch.delenv(k, raising=False)
        return boto3.Session(profile_name=profile)

    def account_of(self, profile, monkeypatch):
        return self.session(profile, monkeypatch).client("sts").get_caller_identity()["Account"]


@pytest.fixture
def cloud(tmp_path):
    c = Cloud(tmp_path)
    yield c
    c.run("down")


def test_fleet_accounts_have_their_own_keys_and_profiles_that_survive_reset_and_restart(cloud, monkeypatch):
    out = cloud.up("--producers", "3", "--consumers", "2")
    assert out.returncode == 0, out.stderr
    config = configparser.ConfigParser()
    config.read_string(cloud.text("config"))
    expected = {"central", "producer", "consumer", *SPOKES}
    assert {s.removeprefix("profile ") for s in config.sections()} == expected | {"default"}
    for profile in expected:
        section = config[f"profile {profile}"]
        assert section["endpoint_url"] == f"http://127.0.0.1:{cloud.port}" and section["region"] == "us-east-1"
    creds = configparser.ConfigParser()
    creds.read_string(cloud.text("credentials"))
    spoke_keys = {creds[p]["aws_access_key_id"] for p in SPOKES}
    assert len(spoke_keys) == 5 and len(set(SPOKES.values())) == 5

    def identities():
        return {p: cloud.account_of(p, monkeypatch) for p in SPOKES}

    assert identities() == SPOKES
    assert cloud.account_of("producer", monkeypatch) == SPOKES["producer-1"]
    # New members trust central through OrganizationAccountAccessRole, as producer and consumer do.
    sts = cloud.session("central", monkeypatch).client("sts")
    for acct in (SPOKES["producer-3"], SPOKES["consumer-2"]):
        role = sts.assume_role(RoleArn=f"arn:aws:iam::{acct}:role/OrganizationAccountAccessRole",
                               RoleSessionName="fleet-test")["AssumedRoleUser"]["Arn"]
        assert role.startswith(f"arn:aws:sts::{acct}:assumed-role/OrganizationAccountAccessRole/")
    other = cloud.session("consumer-2", monkeypatch).client("sts")
    with pytest.raises(ClientError) as denied:
        other.assume_role(RoleArn=f"arn:aws:iam::{SPOKES['producer-2']}:role/OrganizationAccountAccessRole",
                          RoleSessionName="not-central")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"

    r = cloud.run("reset")
    assert r.returncode == 0, r.stderr
    assert identities() == SPOKES

    # A key of the scheme outside the fleet (producer 4) is as unknown as any other: 403.
    _, key_id, secret = member("producer", 4)
    for key, sec in ((key_id, secret), ("AKIAVENDUNKNOWN00001", "x" * 40)):
        stray = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{cloud.port}", region_name="us-east-1",
                             aws_access_key_id=key, aws_secret_access_key=sec)
        with pytest.raises(ClientError) as refused:
            stray.get_caller_identity()
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"

    # `up` again: without flags it keeps the running fleet's profiles; another fleet is refused.
    before = cloud.text("credentials")
    again = cloud.up()
    assert again.returncode == 0 and "already running" in again.stderr
    assert cloud.text("credentials") == before
    clash = cloud.up("--producers", "4")
    assert clash.returncode == 1 and "another fleet" in clash.stderr
    # A restart with the same flags gives the same accounts and keys (derived, not random).
    assert cloud.run("down").returncode == 0
    assert cloud.up("--producers", "3", "--consumers", "2").returncode == 0
    assert cloud.text("credentials") == before
    assert identities() == SPOKES


def test_up_without_flags_writes_the_three_profiles_as_before(cloud, monkeypatch):
    # A fleet started earlier in the same state directory leaves nothing behind.
    assert cloud.up("--producers", "2").returncode == 0
    assert cloud.run("down").returncode == 0
    out = cloud.up()
    assert out.returncode == 0, out.stderr
    endpoint = f"http://127.0.0.1:{cloud.port}"
    assert cloud.text("config") == DEFAULT_CONFIG.format(endpoint=endpoint)
    assert cloud.text("credentials") == DEFAULT_CREDENTIALS
    assert not (cloud.state / "fleet.json").exists()
    assert cloud.account_of("producer", monkeypatch) == "222222222222"
    stray = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                         aws_access_key_id=member("producer", 2)[1], aws_secret_access_key=member("producer", 2)[2])
    with pytest.raises(ClientError) as refused:
        stray.get_caller_identity()
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.parametrize("args", [["--producers", "0"], ["--consumers", "1000"], ["--producers", "x"],
                                  ["--producers"]])
def test_up_refuses_bad_fleet_sizes(cloud, args):
    out = cloud.up(*args)
    assert out.returncode == 2 and not (cloud.state / "pid").exists()
