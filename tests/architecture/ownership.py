"""The ownership check: only the feature that owns a table writes it (docs/architecture.md).

A feature is a package directly under `src/casebridge/` other than the wiring and shared
layers in `NOT_FEATURES`. Feature F *writes* feature G's tables when a module of F

- calls `uow.<attr>.<method>(...)` (or `<anything>.uow.<attr>.<method>(...)`, or on a
  parameter annotated `UnitOfWork`, or through a local alias of `uow.<attr>`) where `<attr>`
  is G's repository and `<method>` a write method of G's store class, or calls a write method
  on G's store class instantiated directly;
- builds a write statement on a table G defines: `table.insert()/update()/delete()`,
  `sa.insert/update/delete(table)`, a dialect `insert(table)`, or raw SQL
  `INSERT INTO / UPDATE / DELETE FROM / MERGE INTO <table>` (SQL keywords in capitals, as this
  code writes them).

Which repository belongs to which feature comes from `unit_of_work.py` (the package of the
`ports` module each attribute's protocol is imported from); which class implements it from
`db/uow.py`. A store method is a write when its body, a `self.` method, a module function or
another store's write method it calls builds one of the statements above.

G may *publish* some write methods (`PUBLIC_WRITES`): shared infrastructure every feature
writes through. Everything else from outside G goes through G's in-transaction functions
(`(uow, actor, ...)` in G's service or a public module), which re-index, alert and audit.

Out of scope: `demo` (it seeds every feature at once, on purpose), the tests, and the layers in
`NOT_FEATURES` (they wire features together and own no table). The analysis is pure: `parse`
takes module texts keyed by their path under `src/`, `analyse` their trees and returns the
violations; `load_sources` is the only part that reads files. It sees what is written in the
code, not what runs: a write built in a way none of the forms above covers goes unseen.

A little over 500 lines on purpose: one analysis, read top to bottom (index, writes, checks).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "casebridge"
# The wiring and shared layers: they own no table and wire features together.
NOT_FEATURES = frozenset({"kernel", "db", "web", "cli", "demo", "data"}) | {
    "app", "bootstrap", "config", "errors", "worker", "unit_of_work"  # modules, not packages
}  # fmt: skip

# Write methods an owner publishes: `"<uow attribute>.<method>": why it is public`.
PUBLIC_WRITES: Mapping[str, str] = {
    "markings.add": (
        "every shareable record carries a Marking (DESIGN checklist, step 1): the feature that "
        "creates a record stores its marking in the same transaction, and owns that row"
    ),
    "markings.remove": (
        "the owner of records that are gone (parts replaced, a case deleted) deletes their "
        "markings with them, in the same transaction"
    ),
    "markings.replace": (
        "the owner of a record changes its restrictions at any time (DOMAIN.md §4); the marking "
        "row is the record's, the markings feature only keeps the policy's SQL twin over it"
    ),
}

STATEMENT_METHODS = frozenset({"insert", "update", "delete"})
SQL_MODULES = ("sqlalchemy",)  # sqlalchemy and its sub-modules (dialects)
RAW_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+(\w+)?")


@dataclass(frozen=True)
class Violation:
    feature: str  # the writer
    owner: str  # the feature whose tables are written
    path: str
    line: int
    what: str  # e.g. "uow.cases.replace_content" or "markings.delete()"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"feature {self.feature} writes {self.owner}'s tables: {where} {self.what}"


@dataclass
class _Module:
    name: str  # dotted
    path: str
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted target
    tables: dict[str, str] = field(default_factory=dict)  # variable -> SQL table name
    table_groups: dict[str, list[str]] = field(default_factory=dict)  # tuple of tables
    strings: dict[str, str] = field(default_factory=dict)  # module constant -> its text start
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)


def load_sources(src: Path) -> dict[str, str]:
    """Every module of the package, keyed by its path under `src` (e.g. casebridge/x/y.py)."""
    return {
        path.relative_to(src).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((src / PACKAGE).rglob("*.py"))
    }


def parse(sources: Mapping[str, str]) -> dict[str, ast.Module]:
    """The syntax trees of module texts, keyed as given (parse once, analyse many times)."""
    return {path: ast.parse(text, filename=path) for path, text in sources.items()}


def analyse(
    modules: Mapping[str, ast.Module], only: Collection[str] | None = None
) -> list[Violation]:
    """The cross-feature writes in `modules` (trees keyed by path under src/); `only` limits
    the modules looked at (all the others still tell who owns what)."""
    code = Codebase(modules)
    found: set[Violation] = set()
    for module in code.modules.values():
        feature = code.feature_of(module.name)
        if feature is None or (only is not None and module.path not in only):
            continue
        found.update(code.repository_calls(module, feature))
        found.update(code.table_writes(module, feature))
    return sorted(found, key=lambda v: (v.path, v.line, v.what))


def _module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (their text is prose, not SQL)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _text_start(node: ast.expr) -> str | None:
    """The literal beginning of a string expression: a constant, an f-string, a concatenation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        return _text_start(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text_start(node.left)
    return None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _is_uow(node: ast.expr, names: Collection[str] = ("uow",)) -> bool:
    return (isinstance(node, ast.Name) and node.id in names) or (
        isinstance(node, ast.Attribute) and node.attr == "uow"
    )


def _uow_names(tree: Iterable[ast.AST]) -> set[str]:
    """`uow`, and any parameter annotated as a unit of work whatever its name."""
    return {"uow"} | {
        node.arg
        for node in tree
        if isinstance(node, ast.arg)
        and node.annotation is not None
        and (_dotted(node.annotation) or "").rpartition(".")[2] in {"UnitOfWork", "SqlUnitOfWork"}
    }


class Codebase:
    def __init__(self, trees: Mapping[str, ast.Module]) -> None:
        self.modules: dict[str, _Module] = {}
        for path, tree in trees.items():
            name = _module_name(path)
            self.modules[name] = _Module(name, path, tree)
        self.packages = {name for name, m in self.modules.items() if m.path.endswith("__init__.py")}
        for index in (self._index, self._index_tables, self._index_constants):
            for module in self.modules.values():
                index(module)
        self.table_owner = {
            table: self.feature_of(m.name)
            for m in self.modules.values()
            for table in m.tables.values()
        }
        self.repositories = self._repositories()  # uow attribute -> (feature, store class)
        self._writes: dict[str, frozenset[str]] = {}  # store class -> its write methods
        self._prose: dict[str, set[int]] = {}  # module -> its docstrings' node ids
        self._walked: dict[int, list[ast.AST]] = {}  # id(node) -> the nodes under it

    # -- indexing -------------------------------------------------------------------------------

    def feature_of(self, module: str) -> str | None:
        parts = module.split(".")
        if len(parts) < 3 or parts[0] != PACKAGE or parts[1] in NOT_FEATURES:
            return None
        return parts[1] if f"{PACKAGE}.{parts[1]}" in self.packages else None

    def _index(self, module: _Module) -> None:
        for node in module.tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    module.imports[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.FunctionDef):
                module.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                module.classes[node.name] = node

    def _index_tables(self, module: _Module) -> None:
        """After every module's imports and functions (a table may come from a helper)."""
        for node in module.tree.body:
            target, value = _assignment(node)
            table = None if value is None else self._table_call(module, value)
            if target is not None and table is not None:
                module.tables[target] = table

    def _index_constants(self, module: _Module) -> None:
        """After every module's tables (a tuple may name tables imported from another)."""
        for node in module.tree.body:
            target, value = _assignment(node)
            if target is None or value is None or target in module.tables:
                continue
            if isinstance(value, ast.Tuple | ast.List):
                names = [self.resolve_tables(module, element) for element in value.elts]
                if names and all(names):
                    module.table_groups[target] = [t for group in names if group for t in group]
            elif (text := _text_start(value)) is not None:
                module.strings[target] = text

    def _table_call(self, module: _Module, value: ast.expr) -> str | None:
        """The SQL name of `sa.Table("name", ...)`, or of a module helper that builds one."""
        if not (isinstance(value, ast.Call) and value.args):
            return None
        first = value.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return None
        callee = _dotted(value.func) or ""
        if self._target(module, callee) == "sqlalchemy.Table":
            return first.value
        helper = module.functions.get(callee)
        if helper is not None and any(
            isinstance(n, ast.Call)
            and self._target(module, _dotted(n.func) or "") == "sqlalchemy.Table"
            for n in ast.walk(helper)
        ):
            return first.value
        return None

    def _target(self, module: _Module, dotted: str) -> str:
        """What a dotted name in `module` refers to, through its imports."""
        head, _, rest = dotted.partition(".")
        base = module.imports.get(head)
        if base is None:
            return f"{module.name}.{dotted}"
        return f"{base}.{rest}" if rest else base

    def _lookup(self, target: str) -> tuple[_Module, str] | None:
        module, _, name = target.rpartition(".")
        found = self.modules.get(module)
        return None if found is None else (found, name)

    def resolve_tables(self, module: _Module, node: ast.expr) -> list[str] | None:
        """The SQL tables an expression names (a table variable, imported or not, or a tuple)."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        located = self._lookup(self._target(module, dotted))
        if located is None:
            return None
        owner, name = located
        if name in owner.tables:
            return [owner.tables[name]]
        return owner.table_groups.get(name)

    def _repositories(self) -> dict[str, tuple[str, str]]:
        protocol = self.modules[f"{PACKAGE}.unit_of_work"]
        features = {}
        for node in ast.walk(protocol.tree):
            if isinstance(node, ast.FunctionDef) and node.returns is not None:
                returned = _dotted(node.returns) or ""
                feature = self.feature_of(self._target(protocol, returned))
                if feature is not None:
                    features[node.name] = feature
        sql = self.modules[f"{PACKAGE}.db.uow"]
        repositories = {}
        for node in ast.walk(sql.tree):
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                attr = node.target.id
                if attr in features:
                    store = self._target(sql, _dotted(node.annotation) or "")
                    repositories[attr] = (features[attr], store)
        return repositories

    # -- which store methods write ----------------------------------------------------------------

    def write_methods(self, store: str) -> frozenset[str]:
        """The methods of the store class `store` (dotted) that write, directly or not."""
        if store in self._writes:  # also cuts a cycle of stores calling each other
            return self._writes[store]
        self._writes[store] = frozenset()
        located = self._lookup(store)
        if located is None or located[1] not in located[0].classes:
            return frozenset()
        methods = self._methods(*located)
        writes: set[str] = set()
        changed = True
        while changed:  # a fixed point over self.<method>() calls
            changed = False
            for name, (module, function) in methods.items():
                if name not in writes and self._writes_in(module, function, writes):
                    writes.add(name)
                    changed = True
        self._writes[store] = frozenset(writes)
        return self._writes[store]

    def _methods(self, module: _Module, name: str) -> dict[str, tuple[_Module, ast.FunctionDef]]:
        cls = module.classes[name]
        methods: dict[str, tuple[_Module, ast.FunctionDef]] = {}
        for base in cls.bases:  # inherited first, so the class's own override them
            located = self._lookup(self._target(module, _dotted(base) or ""))
            if located is not None and located[1] in located[0].classes:
                methods.update(self._methods(*located))
        for node in cls.body:
            if isinstance(node, ast.FunctionDef):
                methods[node.name] = (module, node)
        return methods

    def _writes_in(
        self, module: _Module, function: ast.FunctionDef, self_writes: set[str], depth: int = 0
    ) -> bool:
        if any(True for _ in self.write_sites(module, function)):
            return True
        for node in self._nodes(function):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and _dotted(func.value) == "self":
                if func.attr in self_writes:
                    return True
            elif (
                isinstance(func, ast.Name)
                and func.id in module.functions
                and depth < 3  # module helpers calling helpers: deep enough for this code
                and self._writes_in(module, module.functions[func.id], set(), depth + 1)
            ):
                return True
        return any(
            method in self.write_methods(store)
            for store, method, _ in self.store_calls(module, function)
            if store != f"{module.name}.{function.name}"
        )

    def store_calls(self, module: _Module, scope: ast.AST) -> Iterator[tuple[str, str, int]]:
        """`(store class, method, line)` of calls on a store class instantiated in `scope`."""
        stores = {store for _, store in self.repositories.values()}
        bound: dict[str, str] = {}
        for node in self._nodes(scope):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                target = self._target(module, _dotted(node.value.func) or "")
                if target in stores:
                    bound.update({t.id: target for t in node.targets if isinstance(t, ast.Name)})
        for node in self._nodes(scope):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = node.func.value
                store = None
                if isinstance(receiver, ast.Name):
                    store = bound.get(receiver.id)
                elif isinstance(receiver, ast.Call):
                    target = self._target(module, _dotted(receiver.func) or "")
                    store = target if target in stores else None
                if store is not None:
                    yield store, node.func.attr, node.lineno

    def _nodes(self, scope: ast.AST) -> list[ast.AST]:
        """Every node under `scope`, walked once (the checks look at each several times)."""
        if id(scope) not in self._walked:
            self._walked[id(scope)] = list(ast.walk(scope))
        return self._walked[id(scope)]

    def _docstrings(self, module: _Module) -> set[int]:
        if module.name not in self._prose:
            self._prose[module.name] = _docstrings(module.tree)
        return self._prose[module.name]

    # -- write statements -------------------------------------------------------------------------

    def write_sites(self, module: _Module, scope: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
        """`(line, what, tables)` of each write statement built in `scope` (tables may be [])."""
        docstrings = self._docstrings(module)
        loops = self._loop_tables(module, scope)
        for node in self._nodes(scope):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                site = self._statement_call(module, node, loops)
                if site is not None:
                    yield site
            elif isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load):
                target = self._target(module, _dotted(node) or "")
                if (
                    target.startswith(SQL_MODULES)
                    and target.rpartition(".")[2] in STATEMENT_METHODS
                ):
                    # also a dialect's insert handed on, not called (`_dialect_insert`)
                    yield node.lineno, target, []
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                text = node.value if isinstance(node.value, str) else None
            elif isinstance(node, ast.Name) and node.id in module.strings:
                text = module.strings[node.id]
            else:
                text = None
            if text is not None and (match := RAW_WRITE.match(text)):
                assert isinstance(node, ast.expr)  # a constant or a name
                table = match.group(1)
                yield node.lineno, " ".join(text.split()[:3]), [table] if table else []

    def _statement_call(
        self, module: _Module, node: ast.Call, loops: Mapping[str, list[str]]
    ) -> tuple[int, str, list[str]] | None:
        func = node.func
        assert isinstance(func, ast.Attribute)
        if func.attr not in STATEMENT_METHODS:
            return None
        target = self._target(module, _dotted(func) or "")
        if target.startswith(SQL_MODULES):  # sa.insert(table), postgresql.insert(table)
            tables = self.resolve_tables(module, node.args[0]) if node.args else None
            return node.lineno, f"{_dotted(func)}()", tables or []
        if node.args and (tables := self.resolve_tables(module, node.args[0])):
            # `dialect.insert(table)`: whatever module `dialect` is bound to, a table argument
            # makes it a statement (list.insert takes an index first)
            return node.lineno, f"{_dotted(func)}({_dotted(node.args[0])})", tables
        receiver = func.value
        tables = self.resolve_tables(module, receiver)
        if tables is None and isinstance(receiver, ast.Name):
            tables = loops.get(receiver.id)
        if tables is not None:
            return node.lineno, f"{_dotted(receiver)}.{func.attr}()", tables
        if not node.args and not node.keywords:  # a statement on a table expression
            return node.lineno, f"{_dotted(receiver) or '<table>'}.{func.attr}()", []
        return None

    def _loop_tables(self, module: _Module, scope: ast.AST) -> dict[str, list[str]]:
        """Loop variables over known tables: `for table in (a, b)` or `for table in TABLES`."""
        loops: dict[str, list[str]] = {}
        for node in self._nodes(scope):
            if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
                if isinstance(node.iter, ast.Tuple | ast.List):
                    groups = [self.resolve_tables(module, e) for e in node.iter.elts]
                    if groups and all(groups):
                        loops[node.target.id] = [t for g in groups if g for t in g]
                elif (tables := self.resolve_tables(module, node.iter)) is not None:
                    loops[node.target.id] = tables
        return loops

    # -- the violations ---------------------------------------------------------------------------

    def repository_calls(self, module: _Module, feature: str) -> Iterator[Violation]:
        names = _uow_names(self._nodes(module.tree))
        aliases = {
            target.id: node.value.attr
            for node in self._nodes(module.tree)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Attribute)
            and _is_uow(node.value.value, names)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in self._nodes(module.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = node.func.value
            if isinstance(receiver, ast.Attribute) and _is_uow(receiver.value, names):
                attr = receiver.attr
            elif isinstance(receiver, ast.Name) and receiver.id in aliases:
                attr = aliases[receiver.id]
            else:
                continue
            method = node.func.attr
            what = f"uow.{attr}.{method}"
            yield from self._foreign_write(module, feature, attr, method, node.lineno, what)
        by_store = {store: attr for attr, (_, store) in self.repositories.items()}
        for store, method, line in self.store_calls(module, module.tree):
            what = f"{store.rpartition('.')[2]}.{method}"
            yield from self._foreign_write(module, feature, by_store[store], method, line, what)

    def _foreign_write(
        self, module: _Module, feature: str, attr: str, method: str, line: int, what: str
    ) -> Iterable[Violation]:
        owner, store = self.repositories.get(attr, (feature, ""))
        if owner == feature or f"{attr}.{method}" in PUBLIC_WRITES:
            return ()
        if method not in self.write_methods(store):
            return ()
        return (Violation(feature, owner, module.path, line, what),)

    def table_writes(self, module: _Module, feature: str) -> Iterator[Violation]:
        for line, what, tables in self.write_sites(module, module.tree):
            for table in tables:
                owner = self.table_owner.get(table)
                if owner is not None and owner != feature:
                    yield Violation(feature, owner, module.path, line, f"{what} on {table}")


def _assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return (target.id if isinstance(target, ast.Name) else None), node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return None, None
