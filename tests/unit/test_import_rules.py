"""The import edges of DESIGN.md section 2, read from the source (imports inside functions
count too): each package imports only what it may, and the domain no framework."""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
OURS = {"hub", "onsite_node", "shared_domain", "sync_protocol", "event_store", "printers", "kiosk_ui",
        "web_forms", "contoso", "contoso_demo", "benchmarks", "tests"}
MAY_IMPORT = {
    "hub": {"shared_domain", "sync_protocol", "event_store", "web_forms"},
    "onsite_node": {"shared_domain", "sync_protocol", "event_store", "printers", "kiosk_ui"},
    "kiosk_ui": {"printers", "shared_domain", "web_forms"},
    "web_forms": set(),     # Flask helpers of the hub's pages and the kiosk
    "printers": {"shared_domain"},
    "sync_protocol": {"event_store"},
    "event_store": set(),       # the log knows nothing of the protocol that replicates it
    "shared_domain": set(),
}
FRAMEWORKS = {"flask", "werkzeug", "peewee", "playhouse", "requests", "zeroconf", "escpos",
              "apscheduler", "psycopg2", "sqlite3", "gunicorn", "waitress", "jinja2"}
# The domain takes time and ids as arguments: no clock, randomness, files or network.
IMPURE = {"datetime.datetime.now", "time", "uuid", "os", "socket", "random", "secrets",
          "subprocess", "threading", "logging"}


def imports_of(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_the_packages_it_may(package):
    allowed = MAY_IMPORT[package] | {package}
    wrong = {(str(path.relative_to(ROOT)), name) for path in modules(package)
             for name in imports_of(path)
             if name.split(".")[0] in OURS and name.split(".")[0] not in allowed}
    assert not wrong


def test_the_domain_imports_no_framework_and_no_source_of_time_or_chance():
    wrong = {(str(path.relative_to(ROOT)), name) for path in modules("shared_domain")
             for name in imports_of(path)
             if name.split(".")[0] in FRAMEWORKS | IMPURE}
    assert not wrong


def test_printers_never_import_flask():
    assert not {name for path in modules("printers") for name in imports_of(path)
                if name.split(".")[0] in {"flask", "werkzeug"}}


def test_the_rules_see_imports_inside_functions(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from onsite_node import service\n    import flask\n")
    assert imports_of(source) == {"onsite_node", "flask"}


def calls_to(path: pathlib.Path, attribute: str, on: str = "store") -> list[int]:
    """Lines of the calls `<...>.store.<attribute>(...)` (or `store.<attribute>`) in a module."""
    return [node.lineno for node in ast.walk(ast.parse(path.read_text(), str(path)))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == attribute and ast.unparse(node.func.value).endswith(on)]


def test_the_hub_writes_its_log_only_through_its_publishing_function():
    """Hub.publish (hub/bootstrap.py) is the one caller of EventStore.append on the hub."""
    writers = {str(path.relative_to(ROOT)): lines for path in modules("hub")
               if (lines := calls_to(path, "append"))}
    assert set(writers) == {"hub/bootstrap.py"}
    assert len(writers["hub/bootstrap.py"]) == 1


def test_no_module_reaches_into_the_event_store_private_parts():
    private = {"_record", "_stored", "_lock_feed", "_next_seq"}
    wrong = {(str(path.relative_to(ROOT)), name)
             for package in ("hub", "onsite_node")
             for path in modules(package) for name in private if calls_to(path, name)}
    assert not wrong


WEB = {"flask", "jinja2", "markupsafe", "gunicorn", "waitress"}


def test_on_the_hub_only_its_http_folder_imports_flask():
    """Services, readers and handlers raise and return; hub/http turns that into HTTP.
    werkzeug.security (password hashes) is a library any part may use; the rest of
    werkzeug is the web's."""
    wrong = {(str(path.relative_to(ROOT)), name) for path in modules("hub")
             if "http" not in path.relative_to(ROOT / "hub").parts[:1]
             for name in imports_of(path)
             if name.split(".")[0] in WEB
             or (name.startswith("werkzeug") and name != "werkzeug.security")}
    assert not wrong


STREAM_KINDS = ("order", "payment", "availability", "assignments", "tickets", "staff", "nodes",
                "conference", "conflicts", "edge")


def test_stream_names_are_built_only_by_the_domain_modules_that_own_them():
    """`orders.stream_id(...)`, `staff.stream_id(...)`, `edge_facts.edge_stream(...)`, ...:
    never a name written by hand on the hub or a node."""
    import re
    by_hand = re.compile(r"""f["'](%s)-\{""" % "|".join(STREAM_KINDS))
    wrong = {(str(path.relative_to(ROOT)), line)
             for package in ("hub", "onsite_node", "kiosk_ui")
             for path in modules(package)
             for line in path.read_text().splitlines() if by_hand.search(line)}
    assert not wrong


def test_on_the_hub_only_http_and_the_command_line_import_hub_http():
    """Services raise DomainError and never reach for hub.http (nor Flask through it); the
    command line starts the web server, so it may."""
    wrong = {(str(path.relative_to(ROOT)), name) for path in modules("hub")
             if path.relative_to(ROOT / "hub").parts[0] != "http" and path.name != "cli.py"
             for name in imports_of(path) if name == "hub.http" or name.startswith("hub.http.")}
    assert not wrong


REFUSALS = {"DomainError", "Refused"}


def refusal_codes(paths) -> dict[str, str]:
    """code -> where, for the first string argument of every refusal built: DomainError(...),
    Refused(...), a function annotated to return one (`_refusal("code", ...)`), and
    super().__init__("code", ...) in a subclass of one."""
    trees = {path: ast.parse(path.read_text(), str(path)) for path in paths}
    builders = REFUSALS | {node.name for tree in trees.values() for node in ast.walk(tree)
                           if isinstance(node, ast.FunctionDef) and node.returns is not None
                           and ast.unparse(node.returns) in REFUSALS}
    codes = {}
    for path, tree in trees.items():
        subclasses = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                      and {ast.unparse(base).split(".")[-1] for base in node.bases} & REFUSALS]
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
                 and ast.unparse(node.func).split(".")[-1] in builders]
        calls += [node for cls in subclasses for node in ast.walk(cls)
                  if isinstance(node, ast.Call) and ast.unparse(node.func) == "super().__init__"]
        for call in calls:
            if call.args and isinstance(call.args[0], ast.Constant) \
                    and isinstance(call.args[0].value, str):
                codes.setdefault(call.args[0].value, f"{path.name}:{call.lineno}")
    return codes


def test_every_refusal_code_of_the_hub_and_the_domain_has_a_status_decided_on_purpose():
    """hub/http/errors.py's one table names each code's status; none falls to a default."""
    from hub.http.errors import STATUS_BY_CODE
    codes = refusal_codes(modules("hub") + modules("shared_domain"))
    assert {"invalid_fields", "order_not_found", "too_many_attempts"} <= set(codes)
    assert not {code: where for code, where in codes.items() if code not in STATUS_BY_CODE}


def test_the_code_rule_reads_every_way_a_refusal_is_built(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "def f():\n    raise DomainError('a', 'message')\n"
        "def g(code) -> Refused:\n    return Refused(code, 'message', {'quantity': 'x'})\n"
        "def h():\n    raise g('b')\n"
        "class Wait(errors.Refused):\n    def __init__(self):\n        super().__init__('c', 'm')\n"
        "def i():\n    raise errors.DomainError('d', 'message')\n"
        "def j():\n    raise ValueError('not_a_refusal')\n")
    assert set(refusal_codes([source])) == {"a", "b", "c", "d"}
