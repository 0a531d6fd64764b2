"""Before/after benchmark of two vend binaries in the same run: `vend publish` of N synthetic
products, fresh and no-op, on one local cloud holding every request LATENCY_MS, the two
binaries alternating RUNS times; plus `vend --version` start-up. Prints medians and the
after/before ratio of each figure (a ratio above 1.10 is a regression past 10 %).

Usage: python scripts/lib/bench_compare.py BEFORE_VEND AFTER_VEND [RUNS] [N] [LATENCY_MS]
(a refactor's note reports these; scripts/bench measures one binary against its peers).
"""
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_publish import ROOT, control, counts, free_port, make_workspace, requests_log, timed_vend, warm_up  # noqa: E402


def publish_pair(vend, port, base, env, latency_ms):
    """Fresh then no-op publish on a reset cloud; bootstrap runs without added latency."""
    control(port, "POST", "/reset")
    control(port, "POST", "/config", {"latency_ms": 0})
    timed_vend(vend, ["bootstrap", "--quiet"], base, env)
    control(port, "POST", "/config", {"latency_ms": latency_ms})
    result = {}
    for run in ("fresh", "noop"):
        control(port, "DELETE", "/requests")
        wall, rss = timed_vend(vend, ["publish", "--quiet"], base, env)
        mutating, reads = counts(requests_log(port))
        result[run] = {"seconds": wall, "rss_mib": rss / 1024, "mutating": mutating, "reads": reads}
    control(port, "POST", "/config", {"latency_ms": 0})
    return result


def startup_ms(vend, runs=20):
    """Median wall milliseconds of `vend --version`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([vend, "--version"], stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: bench_compare.py BEFORE_VEND AFTER_VEND [RUNS] [N] [LATENCY_MS]")
    binaries = {"before": sys.argv[1], "after": sys.argv[2]}
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    latency_ms = float(sys.argv[5]) if len(sys.argv) > 5 else 50.0
    port = free_port()
    samples = {name: [] for name in binaries}
    with tempfile.TemporaryDirectory(prefix="vend-bench-compare-") as temp:
        base = pathlib.Path(temp)
        state = base / "cloud"
        env = dict(os.environ, LOCALCLOUD_STATE=str(state))
        subprocess.check_call([str(ROOT / "scripts/localcloud/up"), "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            make_workspace(base, count)
            vend_env = {"AWS_CONFIG_FILE": str(state / "aws/config"), "AWS_SHARED_CREDENTIALS_FILE": str(state / "aws/credentials"),
                        "PATH": os.environ["PATH"]}
            os.environ.update(vend_env)
            warm_up()
            for _ in range(runs):
                for name, vend in binaries.items():
                    samples[name].append(publish_pair(vend, port, base, vend_env, latency_ms))
        finally:
            subprocess.call([str(ROOT / "scripts/localcloud/down")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = {"products": count, "runs": runs, "added_latency_ms": latency_ms}
    for name, vend in binaries.items():
        figures = {f"{run}_{key}": statistics.median(s[run][key] for s in samples[name])
                   for run in ("fresh", "noop") for key in ("seconds", "rss_mib", "mutating", "reads")}
        figures["startup_ms"] = startup_ms(vend)
        report[name] = {key: round(value, 3) for key, value in figures.items()}
    report["after_over_before"] = {key: round(report["after"][key] / report["before"][key], 3) if report["before"][key] else None
                                   for key in report["before"]}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
