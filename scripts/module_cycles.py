#!/usr/bin/env python3
"""Find import cycles between the modules of every crate under crates/.

Usage: python3 scripts/module_cycles.py [CRATES_DIR]   (default: crates/ beside this script)

Prints every strongly connected component of more than one module (Tarjan's algorithm) with the
references that close it, and exits 1 if there is any; exits 0 and prints one summary line per
crate otherwise. Standard library only, so CI needs nothing but python3.

What is a module
  The crate root is src/lib.rs (or src/main.rs). From there the script follows `mod x;`
  declarations (x.rs or x/mod.rs beside the parent's directory, or a `#[path = "..."]`), so
  `foo.rs` plus the directory `foo/` form module `foo` and its children `foo::bar`. An inline
  `mod x { ... }` is a child module of its own. Files no `mod` declaration reaches are not read.

What is not code
  Comments, string and character literals, and every item under `#[cfg(test)]` (unit-test modules,
  test-only functions and imports) are ignored: test code may reach anywhere. `$crate::` paths in
  macros are ignored.

What counts as a reference from module A to module B
  Every `use` declaration (brace groups expanded) and every path written in code that starts with
  `crate::`, `super::` or `self::`, resolved segment by segment: a segment naming a child module
  descends into it, a segment naming a `pub`/`pub(crate)`/`pub(super)` re-export (`pub use`) is
  followed to where it points, and the first segment that is neither is an item of the module
  reached so far, which is B. Paths through names a plain `use` imported are covered by that `use`.

Which references become edges
  - Refs from a module to itself or to its own descendants are ignored: a parent declaring and using
    its children is the module tree, not a dependency loop.
  - A ref from A to B is an edge A -> B, also when B is an ancestor of A: a child that uses its
    parent's items depends on the parent.
  - Reaching B means going through B's ancestors, so A -> B also adds A -> P for every ancestor P of
    B that is not an ancestor of A. `parse::fields` naming `crate::read::error::LineProblem`
    depends on `read`, even if `read/error.rs` itself names nothing in `parse`.
  - A module contains its descendants, so a ref from a descendant D of A to a module outside A's
    subtree is also an edge from A (with the same ancestor rule). If `read::driver` uses `parse`
    and `parse::fields` uses `read::error`, then `read` and `parse` form a cycle: neither can be
    understood, tested or moved to another crate without the other.
  A module tree without cycles under these rules is layered: at every level, the children of one
  parent can be ordered so that each uses only the ones before it (and the parent's own items).
"""

import os
import re
import sys

# ---------------------------------------------------------------------------------------------
# Tokens

IDENT_START = re.compile(r"[A-Za-z_]")
IDENT_CHAR = re.compile(r"[A-Za-z0-9_]")


def tokenize(text):
    """Return (token, line) pairs; comments and literals are dropped ("LIT" stands for a literal)."""
    tokens = []
    i, n, line = 0, len(text), 1

    def is_ident_char(c):
        return c.isalnum() or c == "_"

    def skip_string(i, line):
        # i at the opening quote; returns index past the closing quote.
        i += 1
        while i < n:
            c = text[i]
            if c == "\\":
                if i + 1 < n and text[i + 1] == "\n":
                    line += 1
                i += 2
                continue
            if c == "\n":
                line += 1
            if c == '"':
                return i + 1, line
            i += 1
        return n, line

    def skip_raw_string(i, line):
        # i at the first '#' or '"' after the r prefix
        hashes = 0
        while i < n and text[i] == "#":
            hashes += 1
            i += 1
        if i >= n or text[i] != '"':
            return None
        close = '"' + "#" * hashes
        end = text.find(close, i + 1)
        if end < 0:
            end = n
        line += text.count("\n", i, end)
        return end + len(close), line

    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    if text[i] == "\n":
                        line += 1
                    i += 1
        elif c == '"':
            start_line, begin = line, i
            i, line = skip_string(i, line)
            tokens.append(('"' + text[begin + 1 : i - 1], start_line))
        elif c == "'":
            # char literal or lifetime
            if i + 1 < n and text[i + 1] == "\\":
                j = text.find("'", i + 2)
                # '\'' : the escaped quote is not the end
                if text.startswith("\\'", i + 1):
                    j = text.find("'", i + 3)
                i = n if j < 0 else j + 1
                tokens.append(("LIT", line))
            elif i + 2 < n and text[i + 2] == "'":
                i += 3
                tokens.append(("LIT", line))
            else:
                j = i + 1
                while j < n and is_ident_char(text[j]):
                    j += 1
                tokens.append(("LIFETIME", line))
                i = j
        elif IDENT_START.match(c) or (ord(c) > 127 and c.isalpha()):
            j = i
            while j < n and (is_ident_char(text[j])):
                j += 1
            word = text[i:j]
            # literal prefixes: b"..", r"..", r#".."#, br"..", c"..", cr"..", b'x'
            if j < n and word in ("b", "c") and text[j] == '"':
                start_line = line
                i, line = skip_string(j, line)
                tokens.append(("LIT", start_line))
                continue
            if j < n and word == "b" and text[j] == "'":
                k = j + 1
                if k < n and text[k] == "\\":
                    k += 2
                else:
                    k += 1
                while k < n and text[k] != "'":
                    k += 1
                i = k + 1
                tokens.append(("LIT", line))
                continue
            if j < n and word in ("r", "br", "cr") and text[j] in "#\"":
                start_line = line
                done = skip_raw_string(j, line)
                if done is not None:
                    i, line = done
                    tokens.append(("LIT", start_line))
                    continue
                # r#ident: a raw identifier
                if word == "r" and text[j] == "#":
                    k = j + 1
                    while k < n and is_ident_char(text[k]):
                        k += 1
                    tokens.append((text[j + 1 : k], line))
                    i = k
                    continue
            tokens.append((word, line))
            i = j
        elif c.isdigit():
            j = i
            while j < n and is_ident_char(text[j]):
                j += 1
            tokens.append(("LIT", line))
            i = j
        elif text.startswith("::", i):
            tokens.append(("::", line))
            i += 2
        else:
            tokens.append((c, line))
            i += 1
    return tokens


def is_ident(tok):
    """Literals are emitted as "LIT", lifetimes as "LIFETIME", strings as '"' + their text."""
    return bool(tok) and IDENT_START.match(tok) is not None and tok not in ("LIT", "LIFETIME")


def test_only(attr):
    """Whether attribute tokens are `cfg(test)` or `cfg(all(test, ...))`."""
    if attr[:4] == ["cfg", "(", "test", ")"]:
        return True
    return attr[:4] == ["cfg", "(", "all", "("] and "test" in attr and "not" not in attr


OPEN = {"(": ")", "[": "]", "{": "}"}
CLOSE = {")", "]", "}"}


def matching(tokens, i):
    """Index of the bracket closing the one at i (or len(tokens))."""
    stack = []
    for j in range(i, len(tokens)):
        t = tokens[j][0]
        if t in OPEN:
            stack.append(OPEN[t])
        elif t in CLOSE:
            if stack:
                stack.pop()
            if not stack:
                return j
    return len(tokens)


def item_end(tokens, i):
    """Index just past the item starting at i: its `;` or the `}` closing its body."""
    stack = []
    j = i
    while j < len(tokens):
        t = tokens[j][0]
        if t in OPEN:
            stack.append(t)
        elif t in CLOSE:
            if not stack:
                return j  # the enclosing block ends: stop before its brace
            opened = stack.pop()
            if not stack and opened == "{":
                return j + 1
        elif t == ";" and not stack:
            return j + 1
        j += 1
    return j


# ---------------------------------------------------------------------------------------------
# Modules


class Module:
    def __init__(self, path, parent, file, dir_for_children):
        self.path = path  # tuple of names; () is the crate root
        self.parent = parent
        self.file = file
        self.dir = dir_for_children
        self.children = {}
        self.refs = []  # (segments, line, text)
        self.reexports = {}  # name -> segments (relative to this module)
        self.globs = []  # segments of `pub use x::*`

    def name(self):
        return "crate" + "".join("::" + p for p in self.path)


class Crate:
    def __init__(self, name, root_file):
        self.name = name
        self.modules = {}
        self.errors = []
        root_dir = os.path.dirname(root_file)
        root = Module((), None, root_file, root_dir)
        self.modules[()] = root
        self.load_file(root)

    def load_file(self, module):
        try:
            with open(module.file, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            self.errors.append(f"{module.file}: {e}")
            return
        tokens = tokenize(text)
        self.parse_items(module, tokens, 0, len(tokens))

    def add_child(self, parent, name, file, child_dir):
        child = Module(parent.path + (name,), parent, file, child_dir)
        parent.children[name] = child
        self.modules[child.path] = child
        return child

    def parse_items(self, module, tokens, start, end):
        i = start
        attrs = []  # attribute token lists waiting for their item
        while i < end:
            tok, line = tokens[i]
            if tok == "#" and i + 1 < end and tokens[i + 1][0] in ("[", "!"):
                open_at = i + 1 if tokens[i + 1][0] == "[" else i + 2
                close = matching(tokens, open_at)
                if tokens[i + 1][0] == "[":
                    attrs.append([t for t, _ in tokens[open_at + 1 : close]])
                i = close + 1
                continue
            if any(test_only(a) for a in attrs):
                i = item_end(tokens, i)
                attrs = []
                continue
            pending, attrs = attrs, []
            if tok == "mod" and i + 2 < end and is_ident(tokens[i + 1][0]):
                name = tokens[i + 1][0]
                after = tokens[i + 2][0]
                if after == ";":
                    self.declare_file_module(module, name, pending, line)
                    i += 3
                    continue
                if after == "{":
                    close = matching(tokens, i + 2)
                    child_dir = os.path.join(module.dir, name)
                    child = self.add_child(module, name, module.file, child_dir)
                    self.parse_items(child, tokens, i + 3, close)
                    i = close + 1
                    continue
            if tok == "use":
                i = self.parse_use(module, tokens, i, end)
                continue
            if (
                tok in ("crate", "super", "self")
                and i + 1 < end
                and tokens[i + 1][0] == "::"
                and not (i > 0 and tokens[i - 1][0] in ("$", "::"))
            ):
                segs = [tok]
                j = i + 1
                while j + 1 < end and tokens[j][0] == "::" and is_ident(tokens[j + 1][0]):
                    segs.append(tokens[j + 1][0])
                    j += 2
                module.refs.append((segs, line, "::".join(segs)))
                i = j
                continue
            i += 1

    def declare_file_module(self, parent, name, attrs, line):
        explicit = None
        for a in attrs:
            if len(a) >= 3 and a[0] == "path" and a[1] == "=":
                explicit = a[2]
        if explicit is not None and explicit.startswith('"'):
            # relative to the directory of the declaring file (mod.rs/lib.rs or not)
            candidates = [os.path.join(os.path.dirname(parent.file), explicit[1:])]
        else:
            candidates = [
            os.path.join(parent.dir, name + ".rs"),
                os.path.join(parent.dir, name, "mod.rs"),
            ]
        for file in candidates:
            if os.path.isfile(file):
                if file.endswith("mod.rs") or explicit is not None:
                    child_dir = os.path.dirname(file)
                else:
                    child_dir = os.path.join(parent.dir, name)
                child = self.add_child(parent, name, file, child_dir)
                self.load_file(child)
                return
        self.errors.append(f"{parent.file}:{line}: no file for `mod {name};`")

    def parse_use(self, module, tokens, i, end):
        """Parse `use tree;` starting at the `use` token; record refs and re-exports."""
        line = tokens[i][1]
        visible = False
        if i > 0 and tokens[i - 1][0] == "pub":
            visible = True
        elif i > 0 and tokens[i - 1][0] == ")":
            # pub(crate) / pub(super) / pub(in path)
            k = i - 1
            while k > 0 and tokens[k][0] != "(":
                k -= 1
            visible = k > 0 and tokens[k - 1][0] == "pub"
        stop = i + 1
        while stop < end and tokens[stop][0] != ";":
            stop += 1
        body = [t for t, _ in tokens[i + 1 : stop]]
        if body and body[0] == "::":
            body = body[1:]  # `use ::name` is an external crate
            return stop + 1
        leaves = []
        self.use_tree(body, 0, [], leaves)
        for segs, alias, glob in leaves:
            if not segs:
                continue
            if segs[0] in ("crate", "super", "self") or segs[0] in module.children:
                shown = segs[:-1] if segs[-1] == "self" and len(segs) > 1 else segs
                text = "::".join(shown) + ("::*" if glob else "")
                module.refs.append((list(segs), line, "use " + text))
                if visible:
                    if glob:
                        module.globs.append(list(segs))
                    else:
                        name = alias or segs[-1]
                        if name == "self":
                            name = segs[-2] if len(segs) > 1 else None
                            segs = segs[:-1]
                        if name and name != "_":
                            module.reexports[name] = list(segs)
        return stop + 1

    def use_tree(self, toks, k, prefix, out):
        """Expand one use tree at toks[k]; return the index after it."""
        segs = list(prefix)
        while k < len(toks):
            t = toks[k]
            if t == "{":
                k += 1
                while k < len(toks) and toks[k] != "}":
                    if toks[k] == ",":
                        k += 1
                        continue
                    k = self.use_tree(toks, k, segs, out)
                return k + 1
            if t == "*":
                out.append((segs, None, True))
                return k + 1
            if is_ident(t):
                segs.append(t)
                k += 1
                if k < len(toks) and toks[k] == "::":
                    k += 1
                    continue
                alias = None
                if k + 1 < len(toks) and toks[k] == "as":
                    alias = toks[k + 1]
                    k += 2
                out.append((segs, alias, False))
                return k
            return k + 1
        return k

    # -----------------------------------------------------------------------------------------
    # Resolution

    def resolve(self, module, segs, depth=0):
        """The module a path written in `module` lands in (None if it leaves the crate)."""
        if depth > 32:
            return module
        here = module
        for idx, seg in enumerate(segs):
            if seg == "crate" and idx == 0:
                here = self.modules[()]
            elif seg == "super" and (idx == 0 or segs[idx - 1] in ("super", "self")):
                if here.parent is None:
                    return None
                here = here.parent
            elif seg == "self" and idx == 0:
                pass
            elif seg in here.children:
                here = here.children[seg]
            elif seg in here.reexports:
                target = here.reexports[seg]
                return self.resolve(here, target + list(segs[idx + 1 :]), depth + 1)
            else:
                for glob in here.globs:
                    base = self.resolve(here, glob, depth + 1)
                    if base is not None and (seg in base.children or seg in base.reexports):
                        return self.resolve(base, list(segs[idx:]), depth + 1)
                return here
        return here


def ancestors(path):
    """Proper ancestors of a module path, nearest first."""
    return [path[:k] for k in range(len(path) - 1, -1, -1)]


def in_subtree(path, top):
    return path[: len(top)] == top


def edges_of(crate):
    """Map (from, to) -> list of evidence strings, by the rules in the module doc."""
    edges = {}

    def add(a, b, why):
        edges.setdefault((a, b), []).append(why)

    for module in crate.modules.values():
        for segs, line, text in module.refs:
            target = crate.resolve(module, segs)
            if target is None:
                continue
            b = target.path
            a = module.path
            if in_subtree(b, a):
                continue
            where = f"{os.path.relpath(module.file)}:{line}: {text}"
            # the module itself and each ancestor that does not contain the target
            for holder in [a] + ancestors(a):
                if in_subtree(b, holder):
                    break
                through = "" if holder == a else f" (inside {module.name()})"
                add(holder, b, where + through)
                holder_ancestors = set(ancestors(holder))
                for p in ancestors(b):
                    if in_subtree(p, holder) or p in holder_ancestors:
                        continue
                    add(holder, p, where + through + f" (reaches {crate.modules[b].name()})")
    return edges


def tarjan(nodes, succ):
    """Strongly connected components (iterative Tarjan), in discovery order."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(succ.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ.get(w, ()))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def crate_roots(crates_dir):
    for entry in sorted(os.listdir(crates_dir)):
        src = os.path.join(crates_dir, entry, "src")
        for root in ("lib.rs", "main.rs"):
            file = os.path.join(src, root)
            if os.path.isfile(file):
                yield entry, file
                break


def check(crates_dir, out=sys.stdout):
    """Print the cycles of every crate; return how many were found."""
    found = 0
    for name, root in crate_roots(crates_dir):
        crate = Crate(name, root)
        for err in crate.errors:
            print(f"warning: {err}", file=out)
        edges = edges_of(crate)
        succ = {}
        for a, b in sorted(edges):
            succ.setdefault(a, []).append(b)
        nodes = sorted(crate.modules)
        cycles = [sorted(c) for c in tarjan(nodes, succ) if len(c) > 1]
        if not cycles:
            print(f"{name}: {len(crate.modules)} modules, no cycles", file=out)
            continue
        for comp in cycles:
            found += 1
            members = set(comp)
            names = ", ".join(crate.modules[p].name() for p in comp)
            print(f"{name}: cycle between {names}", file=out)
            for (a, b), why in sorted(edges.items()):
                if a in members and b in members:
                    an, bn = crate.modules[a].name(), crate.modules[b].name()
                    print(f"  {an} -> {bn}", file=out)
                    for w in why[:3]:
                        print(f"      {w}", file=out)
                    if len(why) > 3:
                        print(f"      ... and {len(why) - 3} more", file=out)
    return found


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    crates_dir = argv[1] if len(argv) > 1 else os.path.join(here, "..", "crates")
    if not os.path.isdir(crates_dir):
        print(f"error: {crates_dir} is not a directory", file=sys.stderr)
        return 2
    found = check(crates_dir)
    if found:
        print(f"{found} module cycle(s) found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
