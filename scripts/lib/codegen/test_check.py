"""`scripts/codegen --check` must see drift: an edited, an added and a removed file each fail
it, an exact copy passes, and the command itself exits 1. Run by `scripts/codegen --self-test`."""
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from . import __main__ as cli
from .check import write_tree
from .tree import generate


class CheckTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tree, _ = generate()
        cls.work = Path(tempfile.mkdtemp(prefix="vend-codegen-test."))
        cls.fresh = cls.work / "fresh"
        write_tree(cls.tree, cls.fresh)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work)

    def copy(self, name):
        target = self.work / name
        shutil.copytree(self.fresh, target)
        return target

    def check(self, folder):
        """check()'s exit code and what it printed."""
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = cli.check(folder, self.tree)
        return code, err.getvalue()

    def test_an_exact_copy_passes(self):
        code, _ = self.check(self.copy("same"))
        self.assertEqual(code, 0)

    def test_an_edited_file_fails(self):
        folder = self.copy("edited")
        path = folder / "ServiceCatalog" / "ServiceCatalogClient.swift"
        path.write_bytes(path.read_bytes().replace(b"Sendable", b"Sendable ", 1))
        code, out = self.check(folder)
        self.assertEqual(code, 1)
        self.assertIn("changed: ServiceCatalog/ServiceCatalogClient.swift", out)

    def test_an_added_file_fails(self):
        folder = self.copy("added")
        (folder / "SSM" / "SSMHelpers.swift").write_text("// hand-written\n")
        code, out = self.check(folder)
        self.assertEqual(code, 1)
        self.assertIn("extra: SSM/SSMHelpers.swift", out)

    def test_a_removed_file_fails(self):
        folder = self.copy("removed")
        (folder / "Glue" / "GlueClient.swift").unlink()
        code, out = self.check(folder)
        self.assertEqual(code, 1)
        self.assertIn("missing: Glue/GlueClient.swift", out)

    def test_write_tree_removes_stale_files(self):
        folder = self.copy("stale")
        (folder / "Glue" / "GlueShapes1.swift").write_text("// old chunk\n")
        (folder / "Old").mkdir()
        (folder / "Old" / "Gone.swift").write_text("// old service\n")
        write_tree(self.tree, folder)
        self.assertEqual(self.check(folder)[0], 0)
        self.assertFalse((folder / "Old").exists())

    def test_the_command_exits_1_on_drift(self):
        folder = self.copy("command")
        path = folder / "LakeFormation" / "LakeFormationClient.swift"
        path.write_text(path.read_text() + "// edited\n")
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
        run = subprocess.run([sys.executable, "-m", "codegen", "--check", "--generated", str(folder)],
                             env=env, capture_output=True, text=True)
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertIn("changed: LakeFormation/LakeFormationClient.swift", run.stderr)


if __name__ == "__main__":
    unittest.main()
