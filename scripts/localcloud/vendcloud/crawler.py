"""Glue crawls that create tables, so the demo's data shows up in the catalog.

AWS behaviour assumed (Glue crawler, built-in classifiers, simplified):
- When a crawl finishes, each S3 target's include path is read: every sub-folder holding data
  files becomes a table named after the folder (files directly under the path make one table
  named after the path's last folder); names are lower-cased with other characters as '_'
  and get the crawler's TablePrefix. Existing tables are updated (UPDATE_IN_DATABASE).
- CSV: the header row gives the columns; a column whose sample values are all integers is
  bigint, all numbers double, all true/false boolean, else string. JSON lines: the keys of
  the first object. Parquet and other formats: a table with no columns.
- The crawl reads the bucket wherever it lives (IAM/bucket policies are not evaluated) and the
  tables go into the crawler's database in the crawler's account. Deleted objects are not
  reflected (DeleteBehavior LOG).
"""
import csv
import io
import json
import re

SAMPLE_ROWS = 50


def _type(values):
    vals = [v for v in values if v != ""]
    if not vals:
        return "string"
    if all(re.fullmatch(r"-?\d+", v) for v in vals):
        return "bigint"
    if all(re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", v) for v in vals):
        return "double"
    if all(v.lower() in ("true", "false") for v in vals):
        return "boolean"
    return "string"


def _name(s):
    return re.sub(r"[^a-z0-9_]", "_", s.lower()).strip("_") or "table"


def _columns(key, data):
    text = data[:65536].decode("utf-8", "replace")
    if key.endswith(".csv") or key.endswith(".tsv"):
        delim = "\t" if key.endswith(".tsv") else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))[: SAMPLE_ROWS + 1]
        if not rows:
            return [], "csv"
        header, body = rows[0], rows[1:]
        cols = [{"Name": _name(h), "Type": _type([r[i] for r in body if i < len(r)])} for i, h in enumerate(header)]
        return cols, "csv"
    if key.endswith(".json") or key.endswith(".jsonl"):
        first = text.splitlines()[0] if text.strip() else "{}"
        try:
            obj = json.loads(first)
        except ValueError:
            return [], "json"
        return [{"Name": _name(k), "Type": "string"} for k in (obj if isinstance(obj, dict) else {})], "json"
    return [], key.rsplit(".", 1)[-1] if "." in key else "unknown"


def find_bucket(name):
    """(account, S3 backend, bucket) of the bucket with this name in whichever account owns it."""
    from moto.s3.models import s3_backends
    for acct in list(s3_backends.keys()):
        try:
            be = s3_backends[acct]["aws"]
        except KeyError:
            continue
        if name in be.buckets:
            return acct, be, be.buckets[name]
    return None, None, None


def _find_bucket(name):
    return find_bucket(name)[2]


def run(crawler):
    glue = crawler.backend
    if not crawler.database_name:
        return
    try:
        db = glue.get_database(crawler.database_name)
    except Exception:
        return
    prefix_t = crawler.table_prefix or ""
    for target in (crawler.targets or {}).get("S3Targets", []) or []:
        m = re.match(r"^s3://([^/]+)/?(.*)$", target.get("Path", ""))
        if not m:
            continue
        bucket = _find_bucket(m.group(1))
        if bucket is None:
            continue
        prefix = m.group(2)
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        groups = {}
        for key, obj in list(bucket.keys.items()):
            if not key.startswith(prefix) or key.endswith("/"):
                continue
            rest = key[len(prefix):]
            folder = rest.split("/")[0] if "/" in rest else (prefix.rstrip("/").split("/")[-1] or m.group(1))
            loc = f"s3://{m.group(1)}/{prefix}{rest.split('/')[0]}/" if "/" in rest else f"s3://{m.group(1)}/{prefix}"
            groups.setdefault(folder, (loc, []))[1].append((key, obj))
        for folder, (loc, objs) in groups.items():
            key, obj = sorted(objs)[0]
            try:
                cols, cls = _columns(key, obj.value)
            except Exception:
                cols, cls = [], "unknown"
            name = prefix_t + _name(folder)
            serde = ({"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                      "Parameters": {"field.delim": ","}} if cls == "csv" else
                     {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"} if cls == "json" else {})
            table_input = {
                "Name": name, "TableType": "EXTERNAL_TABLE",
                "Parameters": {"classification": cls, "UPDATED_BY_CRAWLER": crawler.name,
                               "skip.header.line.count": "1" if cls == "csv" else "0"},
                "StorageDescriptor": {"Columns": cols, "Location": loc,
                                      "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                                      "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                                      "SerdeInfo": serde}}
            try:
                if name in db.tables:
                    glue.update_table(crawler.database_name, name, table_input)
                else:
                    glue.create_table(crawler.database_name, name, table_input)
            except Exception:
                pass


def install():
    from moto.glue.models import FakeCrawler
    if getattr(FakeCrawler, "_vend_crawl", False):
        return
    prop = FakeCrawler.status

    def status(self):
        st = prop.fget(self)
        if self.crawls:
            crawl = self.crawls[-1]
            if crawl.status == "COMPLETED" and not getattr(crawl, "_vend_done", False):
                crawl._vend_done = True
                run(self)
        return st
    FakeCrawler.status = property(status)
    FakeCrawler._vend_crawl = True


install()
