"""vend's code generator: Codable shapes and service clients for the JSON-protocol services
(Service Catalog, SSM, Glue, Lake Formation) from botocore's model, pinned in
scripts/requirements.txt, so member names, optionality and types are exactly AWS's.

- services.py: the operations vend calls, each in the group (file) it belongs to;
- swift.py: how one botocore shape or operation becomes Swift;
- tree.py: which file each shape goes to, and the file texts;
- check.py: the byte-for-byte comparison behind `scripts/codegen --check`;
- __main__.py: the command line (`scripts/codegen`, `--check`, `--self-test`).
"""
