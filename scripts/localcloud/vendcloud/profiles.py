"""Writes .localcloud/aws/config, .localcloud/aws/credentials and .localcloud/env: one profile per
entry of accounts.KEYS (the fleet of STATE/fleet.json, when `up` was given one)."""
import os
import sys

from .accounts import KEYS, load_fleet


def write(state_dir, port):
    load_fleet(state_dir)  # the fleet `up` started, recorded in STATE/fleet.json
    aws = os.path.join(state_dir, "aws")
    os.makedirs(aws, exist_ok=True)
    endpoint = f"http://127.0.0.1:{port}"
    cfg, cred = [], []
    for profile, (acct, key_id, secret) in KEYS.items():
        cfg += [f"[profile {profile}]", "region = us-east-1", f"endpoint_url = {endpoint}",
                "output = json", f"# account {acct}", ""]
        cred += [f"[{profile}]", f"aws_access_key_id = {key_id}", f"aws_secret_access_key = {secret}", ""]
    # [default] = central, so a bare `aws` call also lands somewhere real
    acct, key_id, secret = KEYS["central"]
    cfg += ["[default]", "region = us-east-1", f"endpoint_url = {endpoint}", "output = json", ""]
    cred += ["[default]", f"aws_access_key_id = {key_id}", f"aws_secret_access_key = {secret}", ""]
    with open(os.path.join(aws, "config"), "w") as f:
        f.write("\n".join(cfg))
    with open(os.path.join(aws, "credentials"), "w") as f:
        f.write("\n".join(cred))
    os.chmod(os.path.join(aws, "credentials"), 0o600)
    env = (f"export AWS_CONFIG_FILE={aws}/config\n"
           f"export AWS_SHARED_CREDENTIALS_FILE={aws}/credentials\n")
    with open(os.path.join(state_dir, "env"), "w") as f:
        f.write(env)
    return env


if __name__ == "__main__":
    sys.stdout.write(write(sys.argv[1], int(sys.argv[2])))
