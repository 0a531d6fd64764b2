"""A readable difference between two normalised snapshots (see chaos_snapshot).

Lists are compared as multisets: an entry of the reference that the chaos run lacks is
"missing", one the chaos run has more often than the reference is "extra" (a duplicate
when an equal or same-named entry exists). Entries are named by their Name/Id-like field,
so a line reads e.g. `central.servicecatalog.provisionedProducts: extra "producer-retail"`.
"""
import collections
import json
import os
import tempfile

NAME_KEYS = ("Name", "StackName", "DisplayName", "RoleName", "Id", "Key", "TagKey", "Principal", "ResourceArn")


def _canon(value):
    return json.dumps(value, sort_keys=True)


def _label(value):
    if isinstance(value, dict):
        if isinstance(value.get("Key"), str) and "Value" in value:
            return json.dumps(f"{value['Key']}={value['Value']}")
        for key in NAME_KEYS:
            if isinstance(value.get(key), (str, int)):
                return json.dumps(value[key])
        if isinstance(value.get("summary"), dict):
            return _label(value["summary"])
    text = _canon(value)
    return text if len(text) <= 160 else text[:157] + "..."


def differences(reference, got, path=""):
    """Lines describing how `got` differs from `reference`; empty when equal."""
    if _canon(reference) == _canon(got):
        return []
    if isinstance(reference, dict) and isinstance(got, dict):
        lines = []
        for key in sorted(set(reference) | set(got)):
            where = f"{path}.{key}" if path else key
            if key not in got:
                lines.append(f"{where}: missing (reference: {_label(reference[key])})")
            elif key not in reference:
                lines.append(f"{where}: extra ({_label(got[key])})")
            else:
                lines.extend(differences(reference[key], got[key], where))
        return lines
    if isinstance(reference, list) and isinstance(got, list):
        return _list_differences(reference, got, path)
    return [f"{path}: {_canon(reference)} -> {_canon(got)}"]


def _list_differences(reference, got, path):
    want = collections.Counter(_canon(v) for v in reference)
    have = collections.Counter(_canon(v) for v in got)
    missing = [json.loads(k) for k in sorted((want - have).elements())]
    extra = [json.loads(k) for k in sorted((have - want).elements())]
    lines = []
    # An entry present on both sides under one name but with other content: show the fields.
    for value in list(extra):
        label = _label(value)
        twin = next((m for m in missing if _label(m) == label), None)
        if twin is not None and label != _canon(value):
            lines.extend(differences(twin, value, f"{path}[{label}]"))
            missing.remove(twin)
            extra.remove(value)
    labels_ref = collections.Counter(_label(v) for v in reference)
    for value in missing:
        lines.append(f"{path}: missing {_label(value)}")
    for value in extra:
        duplicate = " (a duplicate)" if labels_ref[_label(value)] or have[_canon(value)] > 1 else ""
        lines.append(f"{path}: extra {_label(value)}{duplicate}")
    return lines


def write_snapshot(snapshot, name):
    """Writes a snapshot for a closer look; returns its path."""
    path = os.path.join(tempfile.gettempdir(), name)
    with open(path, "w") as f:
        json.dump(snapshot, f, indent=1, sort_keys=True)
        f.write("\n")
    return path
