"""Athena query executions that run SQL (DuckDB) over the Glue tables, replacing moto's.

Operations: StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution,
ListQueryExecutions, BatchGetQueryExecution (moto's would not see these executions).

AWS behaviour assumed (Athena API reference and user guide; simplified where said):
- Work group: the request's WorkGroup, else "primary", in the caller's account; unknown ->
  InvalidRequestException "WorkGroup X is not found."; DISABLED -> InvalidRequestException.
  Result location: the work group's ResultConfiguration.OutputLocation when the work group
  enforces its configuration (EnforceWorkGroupConfiguration), else the request's, else the
  work group's; none -> InvalidRequestException ("No output location provided ..."). The
  result is written there as <QueryExecutionId>.csv (every value double-quoted, NULL empty,
  header row first). The .metadata file Athena also writes is not written.
- States QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED, on a background thread, so
  the server answers other requests meanwhile. Control config `athena_state_ms` (default 50)
  holds a query that long in QUEUED and at least that long in RUNNING, so clients must poll.
- Names: QueryExecutionContext Database (and Catalog, "AwsDataCatalog" = the caller's Glue
  catalog, or an Athena data catalog of type GLUE with Parameters catalog-id) resolve
  unqualified tables; `db.table` and `catalog.db.table` too. Identifiers are case-insensitive
  (lower-cased, as Athena does with Glue). A database resource link (TargetDatabase) or table
  resource link (TargetTable) resolves to its target in the owning account's catalog.
  Missing: FAILED "SCHEMA_NOT_FOUND: ... Schema 'x' does not exist" / "TABLE_NOT_FOUND: ...
  Table 'awsdatacatalog.db.t' does not exist".
- The Glue table decides how its data is read: columns (names and types as Glue has them,
  so a column renamed in Glue is renamed in the result), partition keys (Hive-style
  key=value folders), SerDe: LazySimpleSerDe (field.delim, no quoting), OpenCSVSerde
  (separatorChar / quoteChar / escapeChar), JSON (openx / hcatalog JsonSerDe: keys matched
  case-insensitively, `mapping.<column>` honoured), Parquet (columns matched by name, or by
  position with parquet.column.index.access); skip.header.line.count per file. Values that do
  not convert to the column's type read as NULL (Athena/Hive's LazySimpleSerDe behaviour).
  The data is read from the S3 location in moto's S3 backend of the account owning the bucket
  (objects copied to a temporary directory; files named _* or .* are ignored as by Hive).
- Only SELECT / WITH / VALUES / SHOW-free read statements run; anything else ends FAILED
  naming the statement ("not supported by the local cloud"). No DDL, no CTAS, no INSERT.
- GetQueryResults: only for SUCCEEDED queries (else InvalidRequestException); MaxResults
  1..1000 (default 1000), NextToken; the first page starts with the header row (column
  labels), as Athena answers SELECT results; values are strings (VarCharValue), NULL is a
  Datum without VarCharValue. ColumnInfo: CatalogName "hive", Name/Label, Athena type names.
- Unknown QueryExecutionId -> InvalidRequestException "QueryExecution <id> was not found".
  StopQueryExecution on a finished query changes nothing (200).
- Lake Formation is evaluated before any data is read (vendcloud/lf_enforce.py).
The engine runs in-memory with one thread and no external access once the tables are
loaded (a query cannot read the server's files). Data values are never logged.
"""
import csv
import datetime
import decimal
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid

from . import accounts, control
from .crawler import find_bucket
from .errors import AwsError

log = logging.getLogger("vendcloud.athena")
_lock = threading.Lock()
_STORE = {}   # account -> {id: Execution}
_TOKENS = {}  # (account, ClientRequestToken) -> id
TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")
_NULL = "__vend_localcloud_null_7f3a__"


class QueryFailed(Exception):
    def __init__(self, message, category=2):
        super().__init__(message)
        self.message, self.category = message, category


class Execution:
    def __init__(self, account, region, principal, query, context, workgroup, output, params):
        self.id = str(uuid.uuid4())
        self.account, self.region, self.principal = account, region, principal
        self.query, self.context, self.workgroup, self.output, self.params = query, context, workgroup, output, params
        self.state, self.reason, self.error_category = "QUEUED", None, None
        self.submitted, self.started, self.completed = time.time(), None, None
        self.columns, self.rows, self.scanned = [], [], 0
        self.cancel = threading.Event()
        self.conn = None

    def as_dict(self):
        status = {"State": self.state, "SubmissionDateTime": self.submitted}
        if self.reason:
            status["StateChangeReason"] = self.reason
        if self.completed:
            status["CompletionDateTime"] = self.completed
        if self.state == "FAILED":
            status["AthenaError"] = {"ErrorCategory": self.error_category or 2, "Retryable": False,
                                     "ErrorMessage": self.reason or ""}
        now = self.completed or time.time()
        queued = ((self.started or now) - self.submitted) * 1000
        running = (now - self.started) * 1000 if self.started else 0
        out = {"QueryExecutionId": self.id, "Query": self.query, "StatementType": "DML",
               "ResultConfiguration": {"OutputLocation": self.output},
               "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}},
               "QueryExecutionContext": {k: v for k, v in self.context.items() if v},
               "Status": status,
               "Statistics": {"EngineExecutionTimeInMillis": int(running), "DataScannedInBytes": self.scanned,
                              "TotalExecutionTimeInMillis": int(queued + running),
                              "QueryQueueTimeInMillis": int(queued), "ServicePreProcessingTimeInMillis": 0,
                              "QueryPlanningTimeInMillis": 0, "ServiceProcessingTimeInMillis": 0},
               "WorkGroup": self.workgroup,
               "EngineVersion": {"SelectedEngineVersion": "AUTO",
                                 "EffectiveEngineVersion": "Athena engine version 3"},
               "SubstatementType": "SELECT"}
        if self.params:
            out["ExecutionParameters"] = self.params
        return out


def reset():
    with _lock:
        for execs in _STORE.values():
            for e in execs.values():
                e.cancel.set()
        _STORE.clear()
        _TOKENS.clear()


def _get(ctx, exec_id):
    with _lock:
        e = _STORE.get(ctx.account, {}).get(exec_id)
    if e is None:
        raise AwsError("InvalidRequestException", f"QueryExecution {exec_id} was not found")
    return e


def _work_group(ctx, name):
    from moto.athena.models import athena_backends
    wg = athena_backends[ctx.account][ctx.region].work_groups.get(name)
    if wg is None:
        raise AwsError("InvalidRequestException", f"WorkGroup {name} is not found.")
    if getattr(wg, "state", "ENABLED") == "DISABLED":
        raise AwsError("InvalidRequestException", f"WorkGroup {name} is disabled.")
    return wg


def start_query_execution(ctx, p):
    token = p.get("ClientRequestToken")
    if token:
        with _lock:
            known = _TOKENS.get((ctx.account, token))
        if known:
            return {"QueryExecutionId": known}
    wg_name = p.get("WorkGroup") or "primary"
    wg = _work_group(ctx, wg_name)
    cfg = wg.configuration or {}
    wg_out = (cfg.get("ResultConfiguration") or {}).get("OutputLocation")
    req_out = (p.get("ResultConfiguration") or {}).get("OutputLocation")
    out = wg_out if cfg.get("EnforceWorkGroupConfiguration") and wg_out else (req_out or wg_out)
    if not out:
        raise AwsError("InvalidRequestException",
                       "No output location provided. An output location is required either through the Workgroup "
                       "result configuration setting or as an API input.")
    qctx = p.get("QueryExecutionContext") or {}
    context = {"Database": qctx.get("Database"), "Catalog": qctx.get("Catalog")}
    e = Execution(ctx.account, ctx.region, accounts.principal_arn(ctx.key_id, ctx.account), p["QueryString"],
                  context, wg_name, "", p.get("ExecutionParameters"))
    e.output = out.rstrip("/") + "/" + e.id + ".csv"
    with _lock:
        _STORE.setdefault(ctx.account, {})[e.id] = e
        if token:
            _TOKENS[(ctx.account, token)] = e.id
    threading.Thread(target=_run, args=(e,), name=f"athena-{e.id[:8]}", daemon=True).start()
    return {"QueryExecutionId": e.id}


def get_query_execution(ctx, p):
    return {"QueryExecution": _get(ctx, p["QueryExecutionId"]).as_dict()}


def batch_get_query_execution(ctx, p):
    found, missing = [], []
    for i in p.get("QueryExecutionIds") or []:
        with _lock:
            e = _STORE.get(ctx.account, {}).get(i)
        if e is None:
            missing.append({"QueryExecutionId": i, "ErrorCode": "INVALID_INPUT",
                            "ErrorMessage": f"QueryExecution {i} was not found"})
        else:
            found.append(e.as_dict())
    return {"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing}


def list_query_executions(ctx, p):
    wg = p.get("WorkGroup") or "primary"
    _work_group(ctx, wg)
    with _lock:
        ids = [e.id for e in sorted(_STORE.get(ctx.account, {}).values(), key=lambda x: -x.submitted)
               if e.workgroup == wg]
    start = int(p["NextToken"]) if str(p.get("NextToken") or "").isdigit() else 0
    size = int(p.get("MaxResults") or 50)
    out = {"QueryExecutionIds": ids[start:start + size]}
    if start + size < len(ids):
        out["NextToken"] = str(start + size)
    return out


def stop_query_execution(ctx, p):
    e = _get(ctx, p["QueryExecutionId"])
    with _lock:
        if e.state in TERMINAL:
            return {}
        e.cancel.set()
        e.state, e.completed = "CANCELLED", time.time()
        conn = e.conn
    if conn is not None:
        try:
            conn.interrupt()
        except Exception:
            pass
    return {}


def get_query_results(ctx, p):
    e = _get(ctx, p["QueryExecutionId"])
    if e.state in ("QUEUED", "RUNNING"):
        raise AwsError("InvalidRequestException", f"Query has not yet finished. Current state: {e.state}")
    if e.state != "SUCCEEDED":
        raise AwsError("InvalidRequestException", f"Query did not finish successfully. Final query state: {e.state}"
                       + (f"\n{e.reason}" if e.reason else ""))
    rows = [[c["Label"] for c in e.columns]] + e.rows
    token = p.get("NextToken")
    if token is not None and not re.fullmatch(r"vend-\d+", token):
        raise AwsError("InvalidRequestException", "The NextToken is invalid.")
    start = int(token[5:]) if token else 0
    size = int(p.get("MaxResults") or 1000)
    page = [{"Data": [{} if v is None else {"VarCharValue": v} for v in r]} for r in rows[start:start + size]]
    out = {"UpdateCount": 0, "ResultSet": {"Rows": page, "ResultSetMetadata": {"ColumnInfo": e.columns}}}
    if start + size < len(rows):
        out["NextToken"] = f"vend-{start + size}"
    return out


_OPS = {"StartQueryExecution": start_query_execution, "GetQueryExecution": get_query_execution,
        "GetQueryResults": get_query_results, "StopQueryExecution": stop_query_execution,
        "ListQueryExecutions": list_query_executions, "BatchGetQueryExecution": batch_get_query_execution}


def handler_for(op):
    if op.service == "athena":
        return _OPS.get(op.name)
    return None


# ----------------------------------------------------------------------------- running

def _hold(e, seconds):
    end = time.time() + seconds
    while time.time() < end and not e.cancel.is_set():
        time.sleep(min(0.02, max(0, end - time.time())))


def _set_state(e, state, reason=None, category=None):
    with _lock:
        if e.state in TERMINAL:
            return False
        e.state, e.reason, e.error_category = state, reason, category
        if state == "RUNNING":
            e.started = time.time()
        if state in TERMINAL:
            e.completed = time.time()
        return True


def _run(e):
    hold = float(control.CONFIG.get("athena_state_ms", 50)) / 1000
    _hold(e, hold)
    if not _set_state(e, "RUNNING"):
        return
    began = time.time()
    workdir = tempfile.mkdtemp(prefix="vend-athena-")
    try:
        columns, rows = _execute(e, workdir)
        _hold(e, hold - (time.time() - began))
        if e.cancel.is_set():
            return
        _write_result(e, columns, rows)
        with _lock:
            e.columns, e.rows = columns, rows
        _set_state(e, "SUCCEEDED")
    except QueryFailed as f:
        _set_state(e, "FAILED", f.message, f.category)
    except Exception as x:  # an engine error we did not classify
        if e.cancel.is_set():
            return
        log.warning("query %s failed in the engine: %s", e.id, type(x).__name__)
        _set_state(e, "FAILED", _engine_message(e.query, x), 2)
    finally:
        with _lock:
            e.conn = None
        shutil.rmtree(workdir, ignore_errors=True)


_READ_START = re.compile(r"^\s*(\(\s*)*(select|with|values|table)\b", re.I)


def _strip_comments(sql):
    sql = re.sub(r"--[^\n]*", " ", sql)
    return re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)


def _execute(e, workdir):
    import duckdb
    sql = _strip_comments(e.query).strip().rstrip(";").strip()
    if ";" in _mask_strings(sql):
        raise QueryFailed("Only one SQL statement is allowed. (local cloud: multiple statements are not supported)")
    if not _READ_START.match(sql):
        word = (sql.split() or ["(empty)"])[0].upper()
        raise QueryFailed(f"NOT_SUPPORTED: {word} statements are not supported by the local cloud (only SELECT, "
                          f"WITH and VALUES queries run)")
    if e.params:
        sql = _bind(sql, e.params)
    refs, ctes = _table_refs(sql)
    conn = duckdb.connect(":memory:", config={"threads": 1, "memory_limit": "512MB"})
    with _lock:
        e.conn = conn
    try:
        rewritten, loaded = sql, {}
        for start, end, parts in sorted(refs, key=lambda r: -r[0]):
            if len(parts) == 1 and parts[0] in ctes:
                continue
            key = _qualify(e, parts)
            if key not in loaded:
                loaded[key] = _load(e, conn, key, parts, workdir, start)
            db, name = loaded[key]
            rewritten = rewritten[:start] + f'"{db}"."{name}"' + rewritten[end:]
        conn.execute("SET enable_external_access = false")
        conn.execute("SET lock_configuration = true")
        if e.cancel.is_set():
            raise QueryFailed("cancelled")
        try:
            cur = conn.execute(rewritten)
            desc = cur.description or []
            rows = cur.fetchall()
        except duckdb.Error as x:
            raise QueryFailed(_engine_message(e.query, x))
        columns = [_column_info(d[0], d[1]) for d in desc]
        return columns, [[_text(v) for v in r] for r in rows]
    finally:
        conn.close()


def _mask_strings(sql):
    return re.sub(r"'(?:[^']|'')*'", lambda m: "'" + "x" * (len(m.group(0)) - 2) + "'", sql)


def _bind(sql, params):
    masked, out, i, last = _mask_strings(sql), [], 0, 0
    for m in re.finditer(r"\?", masked):
        if i >= len(params):
            raise QueryFailed("INVALID_FUNCTION_ARGUMENT: Incorrect number of parameters: expected at least "
                              f"{i + 1} but found {len(params)}")
        out.append(sql[last:m.start()] + params[i])
        last, i = m.end(), i + 1
    if i != len(params):
        raise QueryFailed(f"INVALID_FUNCTION_ARGUMENT: Incorrect number of parameters: expected {i} but found "
                          f"{len(params)}")
    return "".join(out) + sql[last:]


_TOKEN = re.compile(r"""\s+|'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?|.""", re.S)
_NOT_ALIAS = {"where", "group", "order", "limit", "join", "left", "right", "inner", "outer", "full", "cross", "on",
              "union", "having", "natural", "using", "except", "intersect", "window", "offset", "fetch",
              "tablesample", "lateral", "select", "from", "with", "as"}


def _table_refs(sql):
    """(start, end, [name parts]) of every table named after FROM / JOIN (and after commas in a
    FROM list), and the names of the query's CTEs."""
    toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sql) if not m.group(0).isspace()]
    low = [t[0].lower() for t in toks]
    ctes = {_ident(toks[i - 2][0]) for i in range(2, len(toks)) if low[i] == "(" and low[i - 1] == "as"
            and i >= 3 and low[i - 3] in ("with", ",", "recursive")}
    refs, i = [], 0
    while i < len(toks):
        if low[i] in ("from", "join"):
            i += 1
            while i < len(toks):
                if not _is_ident(toks[i][0]) or (i + 1 < len(toks) and toks[i + 1][0] == "("):
                    break
                parts, start = [_ident(toks[i][0])], toks[i][1]
                end = toks[i][2]
                while i + 2 < len(toks) and toks[i + 1][0] == "." and _is_ident(toks[i + 2][0]):
                    parts.append(_ident(toks[i + 2][0]))
                    end = toks[i + 2][2]
                    i += 2
                refs.append((start, end, parts))
                i += 1
                if i < len(toks) and low[i] == "as":
                    i += 1
                if i < len(toks) and _is_ident(toks[i][0]) and low[i] not in _NOT_ALIAS:
                    i += 1
                if i < len(toks) and toks[i][0] == ",":
                    i += 1
                    continue
                break
        else:
            i += 1
    return refs, ctes


def _is_ident(tok):
    return bool(re.fullmatch(r'[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+"', tok))


def _ident(tok):
    return tok[1:-1].replace('""', '"').lower() if tok.startswith('"') else tok.lower()


def _qualify(e, parts):
    if len(parts) > 3:
        raise QueryFailed(f"SYNTAX_ERROR: Too many dots in table name: {'.'.join(parts)}")
    catalog = (parts[0] if len(parts) == 3 else e.context.get("Catalog") or "awsdatacatalog").lower()
    db = parts[-2] if len(parts) >= 2 else (e.context.get("Database") or "default").lower()
    return catalog, db, parts[-1]


def _line_col(sql, pos):
    line = sql.count("\n", 0, pos) + 1
    return line, pos - (sql.rfind("\n", 0, pos) + 1) + 1


def _catalog_account(e, catalog):
    if catalog == "awsdatacatalog":
        return e.account
    from moto.athena.models import athena_backends
    for name, dc in athena_backends[e.account][e.region].data_catalogs.items():
        if name.lower() == catalog and dc.type == "GLUE" and (dc.parameters or {}).get("catalog-id"):
            return str(dc.parameters["catalog-id"])
    raise QueryFailed(f"CATALOG_NOT_FOUND: Catalog '{catalog}' does not exist")


class Resolved:
    """A table as the query named it, resolved through resource links to the owning catalog."""

    def __init__(self, caller, named, links, owner, database, table, table_input):
        self.caller, self.named, self.links = caller, named, links
        self.owner, self.database, self.name, self.input = owner, database, table, table_input


def resolve(e, key, pos=0):
    from moto.glue.models import glue_backends
    catalog, db, name = key
    line, col = _line_col(e.query, pos)
    where = f"line {line}:{col}"
    acct = _catalog_account(e, catalog)
    links = []
    database = glue_backends[acct][e.region].databases.get(db)
    if database is None:
        raise QueryFailed(f"SCHEMA_NOT_FOUND: {where}: Schema '{db}' does not exist")
    target = (database.input or {}).get("TargetDatabase")
    if target and target.get("DatabaseName"):
        links.append({"kind": "Database", "catalog": acct, "database": db})
        acct = str(target.get("CatalogId") or acct)
        database = glue_backends[acct][target.get("Region") or e.region].databases.get(target["DatabaseName"])
        if database is None:
            raise QueryFailed(f"TABLE_NOT_FOUND: {where}: Table '{catalog}.{db}.{name}' does not exist")
    table = database.tables.get(name)
    if table is None:
        raise QueryFailed(f"TABLE_NOT_FOUND: {where}: Table '{catalog}.{db}.{name}' does not exist")
    tin = table.get_version(str(table._current_version))
    tt = tin.get("TargetTable")
    if tt and tt.get("Name"):
        links.append({"kind": "Table", "catalog": acct, "database": database.name, "table": name})
        acct = str(tt.get("CatalogId") or acct)
        tdb = glue_backends[acct][tt.get("Region") or e.region].databases.get(tt.get("DatabaseName"))
        table = tdb.tables.get(tt["Name"]) if tdb is not None else None
        if table is None:
            raise QueryFailed(f"TABLE_NOT_FOUND: {where}: Table '{catalog}.{db}.{name}' does not exist")
        database, tin = tdb, table.get_version(str(table._current_version))
    if (tin.get("TableType") or "").upper() == "VIRTUAL_VIEW":
        raise QueryFailed(f"NOT_SUPPORTED: {where}: views are not supported by the local cloud ({db}.{name})")
    return Resolved(e.account, key, links, acct, database.name, table.name, tin)


def authorize(e, resolved, columns):
    """The columns the caller may read; raises QueryFailed when Lake Formation denies the table
    (replaced by vendcloud.lf_enforce when it is installed)."""
    return columns


def _load(e, conn, key, parts, workdir, pos):
    """Create the table the query names as a DuckDB table "db"."name" holding its data."""
    r = resolve(e, key, pos)
    sd = r.input.get("StorageDescriptor") or {}
    glue_cols = [(c["Name"].lower(), c.get("Type") or "string") for c in sd.get("Columns") or []]
    part_cols = [(c["Name"].lower(), c.get("Type") or "string") for c in r.input.get("PartitionKeys") or []]
    allowed = authorize(e, r, [n for n, _ in glue_cols + part_cols])
    cols = [c for c in glue_cols if c[0] in allowed]
    pcols = [c for c in part_cols if c[0] in allowed]
    files = _fetch(e, r, sd.get("Location") or "", workdir)
    schema, name = key[1], key[2]
    conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    fmt = _format(r.input)
    select_cols = ", ".join(f'"{n}"' for n, _ in cols + pcols) or "NULL AS \"_\""
    if not files:
        defs = ", ".join(f'"{n}" {_duck_type(t)}' for n, t in cols + pcols) or '"_" VARCHAR'
        conn.execute(f'CREATE TABLE "{schema}"."{name}" ({defs})')
        return schema, name
    if fmt == "parquet":
        src = _parquet_source(conn, r, files, glue_cols, cols)
    else:
        normal = os.path.join(workdir, f"{schema}.{name}.normal.csv")
        _normalize(r, fmt, files, glue_cols, normal)
        names = [n for n, _ in glue_cols]
        casts = ", ".join(f'TRY_CAST(c{names.index(n)} AS {_duck_type(t)}) AS "{n}"' for n, t in cols)
        if names:
            spec = "{" + ", ".join([f"'c{i}': 'VARCHAR'" for i in range(len(names))] + ["'_file': 'VARCHAR'"]) + "}"
            src = (f"SELECT {casts or 'NULL AS _x'}, _file FROM read_csv('{normal}', header=false, delim=',', "
                   f"quote='\"', escape='\"', nullstr='{_NULL}', columns={spec}, auto_detect=false)")
        else:
            src = f"SELECT _file FROM read_csv('{normal}', header=false, columns={{'_file': 'VARCHAR'}})"
    pexpr = ", ".join(f'TRY_CAST(_part_{i} AS {_duck_type(t)}) AS "{n}"' for i, (n, t) in enumerate(pcols))
    if pcols:
        conn.execute("CREATE TEMP TABLE _parts (_file VARCHAR, " +
                     ", ".join(f"_part_{i} VARCHAR" for i in range(len(pcols))) + ")")
        for path, values in files:
            conn.execute("INSERT INTO _parts VALUES (?" + ", ?" * len(pcols) + ")",
                         [path] + [values.get(n) for n, _ in pcols])
        conn.execute(f'CREATE TABLE "{schema}"."{name}" AS SELECT {select_cols} FROM (SELECT s.*, {pexpr} FROM '
                     f'({src}) s JOIN _parts USING (_file))')
        conn.execute("DROP TABLE _parts")
    else:
        conn.execute(f'CREATE TABLE "{schema}"."{name}" AS SELECT {select_cols} FROM ({src})')
    return schema, name


def _format(tin):
    sd = tin.get("StorageDescriptor") or {}
    lib = ((sd.get("SerdeInfo") or {}).get("SerializationLibrary") or "").lower()
    fmt_in = (sd.get("InputFormat") or "").lower()
    cls = ((tin.get("Parameters") or {}).get("classification") or "").lower()
    if "parquet" in lib or "parquet" in fmt_in or (not lib and cls == "parquet"):
        return "parquet"
    if "json" in lib or (not lib and cls == "json"):
        return "json"
    if "opencsvserde" in lib:
        return "opencsv"
    if "lazysimpleserde" in lib or (not lib and cls in ("csv", "tsv")):
        return "text"
    raise QueryFailed(f"HIVE_UNSUPPORTED_FORMAT: the local cloud cannot read SerDe "
                      f"'{(sd.get('SerdeInfo') or {}).get('SerializationLibrary') or cls or 'unknown'}'")


def split_s3(url):
    m = re.match(r"^s3a?://([^/]+)/?(.*)$", url or "")
    if not m:
        return None, None
    return m.group(1), m.group(2)


def _fetch(e, r, location, workdir):
    """Copy the table's objects to workdir: [(path, {partition column: value})]."""
    bucket_name, prefix = split_s3(location)
    if bucket_name is None:
        raise QueryFailed(f"HIVE_METASTORE_ERROR: Table {r.database}.{r.name} has no S3 location")
    _, _, bucket = find_bucket(bucket_name)
    if bucket is None:
        raise QueryFailed(f"HIVE_PATH_ALREADY_EXISTS: The specified bucket does not exist (Bucket: {bucket_name})")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    out = []
    for key, obj in sorted(bucket.keys.items()):
        if not key.startswith(prefix) or key.endswith("/") or key.endswith("_$folder$"):
            continue
        rest = key[len(prefix):]
        if any(seg.startswith(("_", ".")) for seg in rest.split("/")):
            continue
        values = dict(seg.split("=", 1) for seg in rest.split("/")[:-1] if "=" in seg)
        data = obj.value
        e.scanned += len(data)
        path = os.path.join(workdir, f"part-{uuid.uuid4().hex}")
        with open(path, "wb") as f:
            f.write(data)
        out.append((path, {k.lower(): v for k, v in values.items()}))
    return out


def _normalize(r, fmt, files, glue_cols, dest):
    """Text and JSON data -> one CSV with exactly the Glue columns (strings), then the file."""
    params = ((r.input.get("StorageDescriptor") or {}).get("SerdeInfo") or {}).get("Parameters") or {}
    tparams = r.input.get("Parameters") or {}
    skip = int(str(tparams.get("skip.header.line.count") or params.get("skip.header.line.count") or "0") or 0)
    n = len(glue_cols)
    with open(dest, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for path, _ in files:
            with open(path, "r", encoding="utf-8", errors="replace", newline="") as f:
                text = f.read()
            for fields in _records(fmt, text, params, glue_cols, skip):
                fields = (list(fields) + [None] * n)[:n]
                w.writerow([_NULL if v is None else v for v in fields] + [path])


def _records(fmt, text, params, glue_cols, skip):
    if fmt == "json":
        mapping = {k[len("mapping."):].lower(): v.lower() for k, v in params.items() if k.startswith("mapping.")}
        ignore_bad = str(params.get("ignore.malformed.json", "false")).lower() == "true"
        for line in text.splitlines()[skip:]:
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
            except ValueError:
                if ignore_bad:
                    yield [None] * len(glue_cols)
                    continue
                raise QueryFailed("HIVE_CURSOR_ERROR: Row is not a valid JSON Object")
            low = {str(k).lower(): v for k, v in obj.items()}
            yield [_json_text(low.get(mapping.get(c, c))) for c, _ in glue_cols]
        return
    if fmt == "opencsv":
        reader = csv.reader(text.splitlines()[skip:], delimiter=params.get("separatorChar", ",") or ",",
                            quotechar=params.get("quoteChar", '"') or '"',
                            escapechar=params.get("escapeChar", "\\") or None)
        yield from reader
        return
    delim = params.get("field.delim") or params.get("serialization.format") or "\x01"
    if delim.isdigit() and len(delim) > 1:
        delim = chr(int(delim))
    null_format = params.get("serialization.null.format", "\\N")
    for line in text.splitlines()[skip:]:
        if line == "":
            continue
        fields = line.split(delim)
        yield [None if (v == null_format or (v == "" and t.lower() != "string" and not t.lower().startswith(
            ("varchar", "char")))) else v for v, (_, t) in zip(fields, glue_cols + [("", "string")] * len(fields))]


def _json_text(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    return str(v)


def _parquet_source(conn, r, files, glue_cols, cols):
    paths = "[" + ", ".join(f"'{p}'" for p, _ in files) + "]"
    have = [row[0] for row in conn.execute(
        f"DESCRIBE SELECT * FROM read_parquet({paths}, union_by_name=true)").fetchall()]
    by_index = str((((r.input.get("StorageDescriptor") or {}).get("SerdeInfo") or {}).get("Parameters") or {})
                   .get("parquet.column.index.access", "false")).lower() == "true"
    lower = {h.lower(): h for h in have}
    exprs = []
    for n, t in cols:
        if by_index:
            i = [c for c, _ in glue_cols].index(n)
            src = have[i] if i < len(have) else None
        else:
            src = lower.get(n)
        exprs.append(f'TRY_CAST("{src}" AS {_duck_type(t)}) AS "{n}"' if src is not None
                     else f'CAST(NULL AS {_duck_type(t)}) AS "{n}"')
    return (f"SELECT {', '.join(exprs) or 'NULL AS _x'}, filename AS _file FROM "
            f"read_parquet({paths}, union_by_name=true, filename=true)")


def _duck_type(glue_type):
    t = glue_type.strip().lower()
    m = re.fullmatch(r"decimal\s*\((\d+)\s*,\s*(\d+)\)", t)
    if m:
        return f"DECIMAL({min(int(m.group(1)), 38)},{m.group(2)})"
    simple = {"bigint": "BIGINT", "int": "INTEGER", "integer": "INTEGER", "smallint": "SMALLINT",
              "tinyint": "TINYINT", "double": "DOUBLE", "float": "FLOAT", "real": "FLOAT", "boolean": "BOOLEAN",
              "date": "DATE", "timestamp": "TIMESTAMP", "decimal": "DECIMAL(10,0)", "binary": "BLOB"}
    return simple.get(t, "VARCHAR")  # string, varchar(n), char(n); array/map/struct as JSON text


_ATHENA_TYPES = {"VARCHAR": ("varchar", 2147483647, 0), "BIGINT": ("bigint", 19, 0), "HUGEINT": ("bigint", 19, 0),
                 "INTEGER": ("integer", 10, 0), "SMALLINT": ("smallint", 5, 0), "TINYINT": ("tinyint", 3, 0),
                 "DOUBLE": ("double", 17, 0), "FLOAT": ("real", 7, 0), "BOOLEAN": ("boolean", 0, 0),
                 "DATE": ("date", 0, 0), "TIMESTAMP": ("timestamp", 3, 0), "BLOB": ("varbinary", 2147483647, 0)}


def _column_info(name, duck_type):
    t = str(duck_type).upper()
    m = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", t)
    kind, precision, scale = ("decimal", int(m.group(1)), int(m.group(2))) if m else \
        _ATHENA_TYPES.get(t, ("varchar", 2147483647, 0))
    return {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": name, "Label": name, "Type": kind,
            "Precision": precision, "Scale": scale, "Nullable": "UNKNOWN", "CaseSensitive": kind == "varchar"}


def _text(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.") + f"{v.microsecond // 1000:03d}"
    if isinstance(v, (datetime.date, decimal.Decimal, int)):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (bytes, bytearray)):
        return " ".join(f"{b:02x}" for b in v)
    return str(v)


def _engine_message(query, x):
    msg = str(x).split("\n")[0]
    m = re.search(r'Referenced column "([^"]+)" not found', msg)
    if m:
        pos = max(_mask_strings(query).lower().find(m.group(1).lower()), 0)
        line, col = _line_col(query, pos)
        return f"COLUMN_NOT_FOUND: line {line}:{col}: Column '{m.group(1)}' cannot be resolved"
    kind = type(x).__name__
    if kind == "ParserException":
        return f"SYNTAX_ERROR: {msg.replace('Parser Error: ', '')}"
    if kind in ("BinderException", "CatalogException"):
        return f"SEMANTIC_ERROR: {msg.split(': ', 1)[-1]}"
    if kind == "InterruptException":
        return "Query cancelled"
    return f"GENERIC_USER_ERROR: {msg}"


def _write_result(e, columns, rows):
    bucket_name, key = split_s3(e.output)
    acct, be, bucket = find_bucket(bucket_name)
    if bucket is None:
        raise QueryFailed(f"Unable to verify/create output bucket {bucket_name}", 2)
    lines = [",".join(_q(c["Label"]) for c in columns)]
    lines += [",".join("" if v is None else _q(v) for v in r) for r in rows]
    be.put_object(bucket_name, key, ("\n".join(lines) + "\n").encode("utf-8"))


def _q(v):
    return '"' + str(v).replace('"', '""') + '"'
