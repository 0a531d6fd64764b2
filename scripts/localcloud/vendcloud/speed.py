"""Less CPU per request; every answer stays as it was.

The server is one Python process, so the time it spends in Python on one request is time no
other request is served: with a client that keeps ten requests in flight, as AWS SDKs do, that
time is the whole bound. Measured with py-spy on a 50-product publish:

- moto's dispatcher lists moto's package folder (os.listdir, then isdir of every entry) on
  every request, to tell whether a host is a service name; the folder cannot change while the
  server runs, so it is listed once.
- YAML (Service Catalog templates, SSM documents, CloudFormation templates) was parsed by
  PyYAML's pure-Python loaders, a third of the server's busy time. PyYAML's libyaml loaders
  (CSafeLoader, CLoader) build the same objects about ten times faster; they are used when
  PyYAML was built with libyaml (the pinned wheel is), with the same constructors registered.
"""
import types

import yaml

_FAST = {}
if getattr(yaml, "__with_libyaml__", False):
    _FAST = {yaml.SafeLoader: yaml.CSafeLoader, yaml.Loader: yaml.CLoader,
             yaml.FullLoader: yaml.CFullLoader, yaml.UnsafeLoader: yaml.CUnsafeLoader}


class FastYAML(types.ModuleType):
    """The yaml module, but loading with the libyaml loader matching the one asked for."""

    def __init__(self):
        super().__init__("yaml")

    def __getattr__(self, name):
        return getattr(yaml, name)

    def load(self, stream, Loader):  # noqa: N803 (PyYAML's argument name)
        return yaml.load(stream, Loader=_FAST.get(Loader, Loader))

    def safe_load(self, stream):
        return self.load(stream, yaml.SafeLoader)

    def add_multi_constructor(self, tag_prefix, multi_constructor, Loader=None):  # noqa: N803
        yaml.add_multi_constructor(tag_prefix, multi_constructor, Loader=Loader)
        # PyYAML's default (Loader=None) is Loader, FullLoader and UnsafeLoader.
        for python_loader in [Loader] if Loader else [yaml.Loader, yaml.FullLoader, yaml.UnsafeLoader]:
            if python_loader in _FAST:
                yaml.add_multi_constructor(tag_prefix, multi_constructor, Loader=_FAST[python_loader])


fast_yaml = FastYAML()


def install():
    import moto.backends
    import moto.cloudformation.models
    import moto.ssm.models

    if getattr(moto.backends.list_of_moto_modules, "_vend", False):
        return
    modules = tuple(moto.backends.list_of_moto_modules())

    def list_of_moto_modules():
        return modules
    list_of_moto_modules._vend = True
    moto.backends.list_of_moto_modules = list_of_moto_modules
    moto.ssm.models.yaml = fast_yaml
    moto.cloudformation.models.yaml = fast_yaml
