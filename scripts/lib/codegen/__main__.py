"""`scripts/codegen`: regenerates Sources/AWSServices/Generated/ from the pinned botocore.

  scripts/codegen              rewrite Generated/ (stale files removed)
  scripts/codegen --check      regenerate into a temporary folder and compare byte for byte
                               with the committed Generated/; exit 1 on any drift
  scripts/codegen --self-test  the check's own tests (it must see drift)
"""
import argparse
import io
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GENERATED = ROOT / "Sources" / "AWSServices" / "Generated"


def check(committed, tree=None):
    """0 when `committed` is exactly `tree` (by default, what the generator writes now), 1 with
    the drift on stderr otherwise."""
    from .check import drift, write_tree
    from .tree import generate
    if tree is None:
        tree, _ = generate()
    with tempfile.TemporaryDirectory(prefix="vend-codegen.") as fresh:
        write_tree(tree, fresh)
        report = drift(committed, fresh)
    if report:
        print(f"codegen: {committed} differs from what scripts/codegen generates:", file=sys.stderr)
        print("\n".join(report), file=sys.stderr)
        print("codegen: run scripts/codegen and commit the result (edit scripts/lib/codegen, never Generated/).", file=sys.stderr)
        return 1
    print(f"codegen: Generated/ matches botocore's models ({len(tree)} files)", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="scripts/codegen", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare the committed Generated/ with a fresh generation; exit 1 on drift")
    mode.add_argument("--self-test", action="store_true", help="run the check's own tests")
    parser.add_argument("--generated", type=Path, default=GENERATED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.self_test:
        suite = unittest.defaultTestLoader.loadTestsFromName("codegen.test_check")
        log = io.StringIO()
        result = unittest.TextTestRunner(stream=log, verbosity=2).run(suite)
        if not result.wasSuccessful():
            print(log.getvalue(), file=sys.stderr)
            return 1
        print(f"codegen: self-test passed ({result.testsRun} tests: the check sees edited, added and removed files)", file=sys.stderr)
        return 0
    if args.check:
        return check(args.generated)
    from .check import write_tree
    from .tree import generate
    tree, warnings = generate()
    write_tree(tree, args.generated)
    for warning in warnings:
        print(f"codegen: warning: {warning}", file=sys.stderr)
    print(f"codegen: wrote {len(tree)} files to {args.generated}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
