#!/usr/bin/env python3
"""Tests for module_cycles.py on small fake crates written to a temporary directory.

Run: python3 scripts/test_module_cycles.py
"""

import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import module_cycles  # noqa: E402


def write_crate(root, files):
    for rel, text in files.items():
        path = os.path.join(root, "fake", "src", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def run(files):
    """(number of cycles, printed report) for one fake crate."""
    with tempfile.TemporaryDirectory() as root:
        write_crate(root, files)
        out = io.StringIO()
        found = module_cycles.check(root, out)
        return found, out.getvalue()


class ModuleCycles(unittest.TestCase):
    def test_two_siblings_that_use_each_other(self):
        found, report = run(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::b::B;\npub struct A;\n",
                "b.rs": "pub struct B;\nfn f() -> crate::a::A { crate::a::A }\n",
            }
        )
        self.assertEqual(found, 1)
        self.assertIn("cycle between crate::a, crate::b", report)
        self.assertIn("a.rs:1: use crate::b::B", report)

    def test_layered_siblings_pass(self):
        found, report = run(
            {
                "lib.rs": "mod a;\nmod b;\npub use a::A;\n",
                "a.rs": "use crate::b::B;\npub struct A(B);\n",
                "b.rs": "pub struct B;\n",
            }
        )
        self.assertEqual(found, 0, report)
        self.assertIn("fake: 3 modules, no cycles", report)

    def test_parent_using_its_children_is_not_a_cycle(self):
        found, report = run(
            {
                "lib.rs": "mod read;\n",
                "read.rs": "mod driver;\npub struct Config;\nfn go() { driver::run(); }\n",
                "read/driver.rs": "use super::Config;\npub fn run() {}\n",
            }
        )
        self.assertEqual(found, 0, report)

    def test_child_of_a_module_used_by_what_that_module_uses(self):
        # read uses parse; parse uses read's child `error`: read and parse depend on each other.
        found, report = run(
            {
                "lib.rs": "mod parse;\nmod read;\n",
                "read.rs": "pub(crate) mod error;\nmod driver;\n",
                "read/error.rs": "pub struct ReadError;\n",
                "read/driver.rs": "use crate::parse::split;\n",
                "parse.rs": "pub fn split() -> crate::read::error::ReadError { todo!() }\n",
            }
        )
        self.assertEqual(found, 1, report)
        self.assertIn("crate::parse, crate::read", report)

    def test_shared_error_below_both_passes(self):
        found, report = run(
            {
                "lib.rs": "mod error;\nmod parse;\nmod read;\npub use error::ReadError;\n",
                "error.rs": "pub struct ReadError;\n",
                "read.rs": "mod driver;\npub use crate::error::ReadError;\n",
                "read/driver.rs": "use crate::parse::split;\n",
                "parse.rs": "use crate::ReadError;\npub fn split() -> ReadError { todo!() }\n",
            }
        )
        self.assertEqual(found, 0, report)

    def test_reexport_at_the_root_is_followed(self):
        # `crate::Thing` is `a::Thing`, so b -> a, and a -> b closes a cycle.
        found, report = run(
            {
                "lib.rs": "mod a;\nmod b;\npub use a::Thing;\n",
                "a.rs": "pub struct Thing;\nfn f() { crate::b::g(); }\n",
                "b.rs": "use crate::Thing;\npub fn g() {}\n",
            }
        )
        self.assertEqual(found, 1, report)

    def test_test_code_comments_and_strings_are_ignored(self):
        found, report = run(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::b::B;\n",
                "b.rs": (
                    "pub struct B;\n"
                    "// crate::a::x\n"
                    "/* crate::a::y /* nested */ crate::a::z */\n"
                    'const S: &str = "crate::a::w";\n'
                    'const R: &str = r#"crate::a::"v"#;\n'
                    "const C: char = '\"';\n"
                    "fn l<'a>(x: &'a str) -> &'a str { x }\n"
                    "#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n"
                    "#[cfg(test)]\nfn helper() { crate::a::f(); }\n"
                    "#[cfg(all(test, unix))]\nfn unix_helper() { crate::a::f(); }\n"
                ),
            }
        )
        self.assertEqual(found, 0, report)

    def test_inline_modules_and_nested_use_groups(self):
        found, report = run(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::{b::{self, inner::X}};\npub fn f() {}\n",
                "b.rs": "pub mod inner {\n    pub struct X;\n    fn g() { crate::a::f() }\n}\n",
            }
        )
        self.assertEqual(found, 1, report)
        self.assertIn("crate::a, crate::b, crate::b::inner", report)

    def test_super_chains_and_three_module_cycle(self):
        found, report = run(
            {
                "lib.rs": "mod m;\n",
                "m.rs": "mod x;\nmod y;\nmod z;\n",
                "m/x.rs": "use super::y::Y;\npub struct X;\n",
                "m/y.rs": "pub struct Y;\nfn f() { super::super::m::z::g(); }\n",
                "m/z.rs": "pub fn g() { let _ = super::x::X; }\n",
            }
        )
        self.assertEqual(found, 1, report)
        self.assertIn("crate::m::x, crate::m::y, crate::m::z", report)

    def test_missing_module_file_is_reported(self):
        found, report = run({"lib.rs": "mod gone;\n"})
        self.assertEqual(found, 0)
        self.assertIn("no file for `mod gone;`", report)


if __name__ == "__main__":
    unittest.main()
