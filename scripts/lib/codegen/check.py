"""Writing the generated tree, and comparing a committed tree with a fresh one byte for byte."""
import difflib
from pathlib import Path


def write_tree(tree, folder):
    """Makes `folder` hold exactly `tree` ({relative path: text}): stale files are removed."""
    folder = Path(folder)
    wanted = {folder / path for path in tree}
    if folder.exists():
        for old in sorted(folder.rglob("*"), reverse=True):
            if old.is_file() and old not in wanted:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
    for path, text in tree.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode()
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)


def files_of(folder):
    """{relative path: bytes} of every file under `folder` (empty when it does not exist)."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def drift(committed, fresh, diff_lines=12):
    """What differs between two folders, one line per file, each changed file with the start
    of its unified diff; empty when they are identical byte for byte."""
    old, new = files_of(committed), files_of(fresh)
    report = []
    for path in sorted(set(old) | set(new)):
        if path not in old:
            report.append(f"missing: {path} (generated, not committed)")
        elif path not in new:
            report.append(f"extra: {path} (committed, not generated)")
        elif old[path] != new[path]:
            report.append(f"changed: {path}")
            diff = list(difflib.unified_diff(old[path].decode(errors="replace").splitlines(),
                                             new[path].decode(errors="replace").splitlines(),
                                             "committed/" + path, "generated/" + path, lineterm="", n=1))
            report += ["    " + line for line in diff[:diff_lines]]
            if len(diff) > diff_lines:
                report.append(f"    … {len(diff) - diff_lines} more diff lines")
    return report
