#!/usr/bin/env python3
"""Check Casebook's Flatpak manifest for the rules the project keeps.

Usage: check-manifest.py MANIFEST.json
       check-manifest.py --self-test MANIFEST.json

The first form prints every problem found and exits 1 if there is any.
The second checks that the manifest passes and that each kind of broken
copy of it is refused, so the checker itself is tested.

Standard library only: it runs wherever the build runs.
"""

import copy
import json
import re
import sys

APP_ID = "io.github.casebook.Casebook"
COMMAND = "casebook"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"
MODULES = ["libxlsxwriter", "casebook"]

# Files reach the app through the portal-backed file chooser, so it needs no
# broad file access; and it sends nothing anywhere, so it needs no network.
FORBIDDEN_FILESYSTEMS = {"home", "host", "host-os", "host-etc"}
FORBIDDEN_ARGS = {"--share=network"}

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
DOWNLOADED_SOURCE_TYPES = {"archive", "file"}


def check_identity(manifest):
    problems = []
    app_id = manifest.get("app-id", manifest.get("id"))
    if app_id != APP_ID:
        problems.append(f"app-id is {app_id!r}, expected {APP_ID!r}")
    if manifest.get("command") != COMMAND:
        problems.append(
            f"command is {manifest.get('command')!r}, expected {COMMAND!r}")
    if manifest.get("runtime") != RUNTIME:
        problems.append(
            f"runtime is {manifest.get('runtime')!r}, expected {RUNTIME!r}")
    if manifest.get("sdk") != SDK:
        problems.append(f"sdk is {manifest.get('sdk')!r}, expected {SDK!r}")
    version = manifest.get("runtime-version")
    if not isinstance(version, str) or not version:
        problems.append("runtime-version is missing: pin a runtime version")
    return problems


def filesystem_is_broad(value):
    """True for home or host access, with or without :ro/:rw or a subpath."""
    base = value.split(":", 1)[0]
    return base in FORBIDDEN_FILESYSTEMS or base.startswith(("home/", "~"))


def check_finish_args(manifest):
    problems = []
    args = manifest.get("finish-args", [])
    if not isinstance(args, list):
        return ["finish-args is not a list"]
    for arg in args:
        if not isinstance(arg, str):
            problems.append(f"finish-args holds a non-string: {arg!r}")
        elif arg.startswith("--filesystem=") and filesystem_is_broad(
                arg[len("--filesystem="):]):
            problems.append(
                f"finish-args grants {arg}: files must come through the "
                "file chooser portal, remove it")
        elif arg in FORBIDDEN_ARGS:
            problems.append(
                f"finish-args grants {arg}: Casebook sends no data anywhere, "
                "remove it")
    return problems


def check_source(module_name, index, source):
    where = f"module {module_name!r}, source {index}"
    if not isinstance(source, dict):
        return [f"{where}: not an object (sources kept in other files "
                "are not checked, inline them)"]
    if source.get("type") not in DOWNLOADED_SOURCE_TYPES:
        return []
    problems = []
    url = source.get("url")
    if not isinstance(url, str) or not url.startswith("https://"):
        problems.append(f"{where}: url {url!r} is not an https URL")
    sha256 = source.get("sha256")
    if not isinstance(sha256, str) or not SHA256_RE.match(sha256):
        problems.append(
            f"{where}: sha256 {sha256!r} is not 64 lower-case hex digits")
    return problems


def check_modules(manifest):
    modules = manifest.get("modules")
    if not isinstance(modules, list):
        return ["modules is missing or not a list"]
    names = [m.get("name") if isinstance(m, dict) else m for m in modules]
    if names != MODULES:
        return [f"modules are {names!r}, expected {MODULES!r} in that order"]
    problems = []
    for module in modules:
        sources = module.get("sources", [])
        if not isinstance(sources, list):
            problems.append(f"module {module['name']!r}: sources is not a list")
            continue
        for index, source in enumerate(sources):
            problems += check_source(module["name"], index, source)
    return problems


def check_manifest(manifest):
    if not isinstance(manifest, dict):
        return ["the manifest is not a JSON object"]
    return (check_identity(manifest)
            + check_finish_args(manifest)
            + check_modules(manifest))


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f), []
    except OSError as e:
        return None, [f"cannot read {path}: {e.strerror}"]
    except json.JSONDecodeError as e:
        return None, [f"{path} is not valid JSON: {e}"]


# Each breakage must be refused by check_manifest().
def _breakages():
    def set_key(key, value):
        def apply(m):
            m[key] = value
        return apply

    def drop_keys(*keys):
        def apply(m):
            for key in keys:
                m.pop(key, None)
        return apply

    def add_finish_arg(arg):
        def apply(m):
            m["finish-args"].append(arg)
        return apply

    def reverse_modules(m):
        m["modules"].reverse()

    def extra_module(m):
        m["modules"].append({"name": "extra", "buildsystem": "simple"})

    def archive(m):
        return next(s for mod in m["modules"] for s in mod.get("sources", [])
                    if isinstance(s, dict) and s.get("type") == "archive")

    def short_sha(m):
        archive(m)["sha256"] = archive(m)["sha256"][:63]

    def upper_sha(m):
        archive(m)["sha256"] = "F" * 64

    def no_sha(m):
        archive(m).pop("sha256")

    def http_url(m):
        archive(m)["url"] = "http://" + archive(m)["url"].split("://", 1)[1]

    return [
        ("wrong app-id", set_key("app-id", "org.example.Other")),
        ("no app-id", drop_keys("app-id", "id")),
        ("wrong command", set_key("command", "other")),
        ("wrong runtime", set_key("runtime", "org.kde.Platform")),
        ("wrong sdk", set_key("sdk", "org.kde.Sdk")),
        ("no runtime-version", drop_keys("runtime-version")),
        ("home access", add_finish_arg("--filesystem=home")),
        ("read-only home", add_finish_arg("--filesystem=home:ro")),
        ("host access", add_finish_arg("--filesystem=host")),
        ("network", add_finish_arg("--share=network")),
        ("modules reversed", reverse_modules),
        ("extra module", extra_module),
        ("short sha256", short_sha),
        ("upper-case sha256", upper_sha),
        ("missing sha256", no_sha),
        ("http url", http_url),
    ]


def self_test(manifest):
    failures = []
    problems = check_manifest(manifest)
    if problems:
        failures.append("the manifest itself is refused: " + "; ".join(problems))
    for name, breakage in _breakages():
        broken = copy.deepcopy(manifest)
        breakage(broken)
        if not check_manifest(broken):
            failures.append(f"a manifest with {name} was accepted")
    return failures


def main(argv):
    args = argv[1:]
    testing = bool(args) and args[0] == "--self-test"
    if testing:
        args = args[1:]
    if len(args) != 1:
        print("usage: check-manifest.py [--self-test] MANIFEST.json",
              file=sys.stderr)
        return 2

    manifest, problems = load(args[0])
    if manifest is not None:
        problems = self_test(manifest) if testing else check_manifest(manifest)

    for problem in problems:
        print(f"{args[0]}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{args[0]}: ok" + (" (self-test)" if testing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
