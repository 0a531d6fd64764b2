"""vend's local cloud: moto's server plus the extensions in this package.

One module per concern (see ../README.md):
  accounts      fixed accounts, static keys, key lookup, reset hook
  errors        error bodies in each AWS protocol's format
  protocol      which service/operation a request is, and its parameters
  signature     SigV4 verification with botocore's signer
  validation    botocore ParamValidator + max/enum/pattern walk
  faults        fault rules (throttle, 5xx, delay, drop)
  control       /_localcloud/ control endpoint and request log
  middleware    the WSGI pipeline around moto's app
  servicecatalog, sc_provision  Service Catalog emulation
  cfn_types     CloudFormation resource types moto lacks
  automation    SSM Automation runner
  server        entry point
"""
