"""Writes the fuzz seeds that are generated rather than checked in (scripts/fuzz calls it).

    python3 scripts/lib/fuzz_seeds.py TARGET DIR

product: one seed per product of the repository, as the fuzz target reads it (vend.yaml,
         product.yaml, template.yaml, launch-role-policy.json, actions/add-data-source.yaml,
         CHANGELOG.md, separated by `%%%` lines), so the seeds follow the real products.
bundle:  valid bundles (manifest with hashes and digest) as .tar.gz and as plain .tar, and
         a few hostile ones: a symlink, a `..` path, a manifest that lies.
"""
import gzip
import hashlib
import io
import json
import pathlib
import sys
import tarfile

SEPARATOR = b"\n%%%\n"
PRODUCT_FILES = ["product.yaml", "template.yaml", "launch-role-policy.json", "actions/add-data-source.yaml", "CHANGELOG.md"]


def product_seeds(root: pathlib.Path, out: pathlib.Path) -> None:
    config = (root / "vend.yaml").read_bytes()
    for folder in sorted((root / "products").iterdir()):
        if not (folder / "product.yaml").is_file():
            continue
        parts = [config] + [(folder / name).read_bytes() if (folder / name).is_file() else b"" for name in PRODUCT_FILES]
        (out / f"{folder.name}.txt").write_bytes(SEPARATOR.join(parts))


def manifest(files: dict, product: str = "fuzz") -> bytes:
    listed = [{"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
              for path, data in sorted(files.items(), key=lambda item: item[0].encode())]
    listing = "".join(f"{f['sha256']} {f['size']} {f['path']}\n" for f in listed)
    body = {"bundleDigest": "sha256:" + hashlib.sha256(listing.encode()).hexdigest(), "files": listed,
            "format": 1, "product": product, "toolVersion": "fuzz", "version": "1.0.0"}
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


def tar(entries: list) -> bytes:
    """entries: (name, bytes) for files, (name, None, link target) for symlinks."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for entry in entries:
            info = tarfile.TarInfo(entry[0])
            info.mtime = 0
            if len(entry) == 3:
                info.type, info.linkname = tarfile.SYMTYPE, entry[2]
                archive.addfile(info)
            else:
                info.size = len(entry[1])
                archive.addfile(info, io.BytesIO(entry[1]))
    return buffer.getvalue()


def bundle_seeds(out: pathlib.Path) -> None:
    files = {"product.yaml": b"name: fuzz\nversion: 1.0.0\n", "template.yaml": b"Resources: {}\n"}
    valid = [("manifest.json", manifest(files))] + sorted(files.items())
    seeds = {
        "valid.tar": tar(valid),
        "valid.tar.gz": gzip.compress(tar(valid), mtime=0),
        "symlink.tar": tar(valid + [("link.yaml", None, "/etc/passwd")]),
        "dotdot.tar": tar(valid + [("../escape.yaml", b"x")]),
        "lying-manifest.tar": tar([("manifest.json", manifest({"product.yaml": b"other"}))] + sorted(files.items())),
    }
    for name, data in seeds.items():
        (out / name).write_bytes(data)


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("product", "bundle"):
        sys.exit("usage: fuzz_seeds.py product|bundle DIR")
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if sys.argv[1] == "product":
        product_seeds(pathlib.Path(__file__).resolve().parents[2], out)
    else:
        bundle_seeds(out)


if __name__ == "__main__":
    main()
