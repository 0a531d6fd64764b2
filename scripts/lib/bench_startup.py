"""Start-up: `vend --version` against `aws --version` (the AWS CLI from the project's venv), same run.

Usage: python bench_startup.py VEND AWS [RUNS]
Prints the median wall time of each (RUNS runs, after one warm-up run each) and the ratio.
"""
import statistics
import subprocess
import sys
import time


def median_ms(command, runs):
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # warm the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: bench_startup.py VEND AWS [RUNS]")
    vend, aws = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    vend_ms = median_ms([vend, "--version"], runs)
    aws_ms = median_ms([aws, "--version"], max(5, runs // 5))
    print(f"startup  vend --version {vend_ms:.1f} ms   aws --version {aws_ms:.1f} ms   "
          f"ratio {aws_ms / vend_ms:.1f}x (median of {runs} and {max(5, runs // 5)} runs)")


if __name__ == "__main__":
    main()
