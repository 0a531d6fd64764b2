"""up / down / reset as the interface promises: idempotent up, profiles and env written,
down leaves no process. Runs its own server on another free port. (`up` prints how long it
took; no time is asserted: the old 10 s bound failed whenever the machine was loaded.)"""
import os
import socket
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_up_is_idempotent_writes_profiles_and_down_leaves_nothing(tmp_path):
    env = dict(os.environ, LOCALCLOUD_STATE=str(tmp_path))
    port = free_port()
    out = subprocess.run([os.path.join(SCRIPTS, "up"), "--port", str(port)], env=env, capture_output=True,
                         text=True, timeout=60)
    try:
        assert out.returncode == 0, out.stderr
        assert f"export AWS_CONFIG_FILE={tmp_path}/aws/config" in out.stdout
        assert (tmp_path / "env").read_text() == out.stdout
        config = (tmp_path / "aws" / "config").read_text()
        assert "[profile producer]" in config and f"endpoint_url = http://127.0.0.1:{port}" in config
        creds = (tmp_path / "aws" / "credentials").read_text()
        assert "AKIAVENDCONSUMER0001" in creds
        pid = int((tmp_path / "pid").read_text())
        again = subprocess.run([os.path.join(SCRIPTS, "up"), "--port", str(port)], env=env, capture_output=True,
                               text=True, timeout=60)
        assert again.returncode == 0 and "already running" in again.stderr
        assert int((tmp_path / "pid").read_text()) == pid
        cli_env = dict(env, AWS_CONFIG_FILE=str(tmp_path / "aws" / "config"),
                       AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "aws" / "credentials"))
        for k in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"):
            cli_env.pop(k, None)
        ident = subprocess.run(["aws", "--profile", "consumer", "sts", "get-caller-identity", "--query", "Account",
                                "--output", "text"], env=cli_env, capture_output=True, text=True, timeout=60)
        assert ident.stdout.strip() == "333333333333", ident.stderr
        r = subprocess.run([os.path.join(SCRIPTS, "reset")], env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
    finally:
        subprocess.run([os.path.join(SCRIPTS, "down")], env=env, capture_output=True, text=True, timeout=60)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not (tmp_path / "pid").exists()
