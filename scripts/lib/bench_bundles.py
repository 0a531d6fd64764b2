"""Benchmark: `vend build` of N synthetic products against `tar czf` over the same files.

Run through scripts/bench. Prints wall times (median of several runs), the ratio, and peak RSS.
Standard library only.
"""
import hashlib
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def make_workspace(base: pathlib.Path, count: int) -> list:
    shutil.copy(ROOT / "vend.yaml", base / "vend.yaml")
    source = ROOT / "products" / "producer-registration"
    names = []
    for index in range(count):
        name = f"synthetic-{index:03d}"
        target = base / "products" / name
        shutil.copytree(source, target)
        text = (target / "product.yaml").read_text()
        (target / "product.yaml").write_text(text.replace("name: producer-registration", f"name: {name}", 1))
        names.append(name)
    return names


def run(command, cwd) -> tuple:
    """Wall seconds and the child's peak RSS in KiB (ru_maxrss of a fresh process tree)."""
    start = time.perf_counter()
    code = subprocess.call(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, shell=isinstance(command, str))
    wall = time.perf_counter() - start
    if code != 0:
        sys.exit(f"bench: {command} exited {code}")
    return wall


def digest_folder(folder: pathlib.Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        sha.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def peak_rss_kib(command, cwd) -> int:
    """Runs once in a child python so RUSAGE_CHILDREN holds only that command."""
    probe = (
        "import resource,subprocess,sys;"
        f"subprocess.call({command!r}, cwd={str(cwd)!r}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    return int(subprocess.check_output([sys.executable, "-c", probe]).strip())


def main() -> None:
    vend = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with tempfile.TemporaryDirectory(prefix="vend-bench-") as temp:
        base = pathlib.Path(temp)
        names = make_workspace(base, count)
        # tar czf per product over exactly the files vend bundles (vend also writes manifest.json).
        tar_script = " && ".join(
            f"tar czf ../tar-out/{n}.tar.gz -C {n} product.yaml template.yaml launch-role-policy.json CHANGELOG.md actions"
            for n in names
        )
        (base / "tar-out").mkdir()
        vend_cmd = [vend, "build", "--quiet", "--out", str(base / "dist")]
        tar_cmd = f"cd products && {tar_script}"
        vend_times, tar_times, digests = [], [], []
        for _ in range(repeats):  # interleaved so drift hits both alike
            vend_times.append(run(vend_cmd, base))
            tar_times.append(run(tar_cmd, base))
            digests.append(digest_folder(base / "dist"))
        vend_rss = peak_rss_kib(vend_cmd, base)
        vend_median, tar_median = statistics.median(vend_times), statistics.median(tar_times)
        result = {
            "products": count,
            "repeats": repeats,
            "vend_build_seconds_median": round(vend_median, 4),
            "tar_czf_seconds_median": round(tar_median, 4),
            "ratio_vend_over_tar": round(vend_median / tar_median, 3),
            "vend_peak_rss_mib": round(vend_rss / 1024, 1),
            "bundles_identical_across_runs": len(set(digests)) == 1,
        }
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
