"""Entry point: python -m vendcloud.server --port N"""
import argparse
import gc
import logging
import os
import signal
import sys
import warnings


def build(port, producers=None, consumers=None):
    os.environ.setdefault("MOTO_PORT", str(port))
    # moto would put every request into this account; the account comes from the key here.
    os.environ.pop("MOTO_ACCOUNT_ID", None)
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from . import accounts, control, middleware, speed
    from . import cfn_types, cfn_parameters, crawler, patches, servicecatalog, automation  # noqa: F401  (before first stack)
    from . import athena, lf_enforce  # noqa: F401  (lf_enforce: Lake Formation for Athena queries)

    speed.install()
    from . import cfn_update
    cfn_update.record_stack_calls()  # after every other patch of the services' backends
    if producers or consumers:  # a fleet given explicitly (up --producers/--consumers)
        accounts.configure(producers or 1, consumers or 1)
    accounts.seed()
    accounts.install_reset_hook([servicecatalog.reset, automation.reset, athena.reset])
    control.PORT[0] = port
    app = middleware.App(DomainDispatcherApplication(create_backend_app), port)
    app.handlers += [servicecatalog.handler_for, automation.handler_for, athena.handler_for]
    return app


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=4566)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--producers", type=int, help="producer accounts (default: today's one, `producer`)")
    p.add_argument("--consumers", type=int, help="consumer accounts (default: today's one, `consumer`)")
    args = p.parse_args(argv)
    warnings.filterwarnings("ignore")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    app = build(args.port, args.producers, args.consumers)
    # moto's modules and models are a large, long-lived heap: frozen out of the collector, so its
    # full collections (which pause every request thread) scan only what requests made.
    gc.collect()
    gc.freeze()
    # Request threads wait for the GIL; CPython hands it over every 5 ms by default, so a request
    # that arrives while another parses a template waits that long to be read at all. AWS answers
    # requests independently: hand the GIL over sooner.
    sys.setswitchinterval(float(os.environ.get("LOCALCLOUD_SWITCH_INTERVAL", "0.0005")))
    from werkzeug.serving import run_simple

    from .keepalive import KeepAliveRequestHandler
    logging.getLogger("vendcloud").info("listening on %s:%d", args.host, args.port)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False, use_debugger=False,
               request_handler=KeepAliveRequestHandler)


if __name__ == "__main__":
    main()
