#!/usr/bin/env python3
"""Fails if a target imports a module that Package.swift does not declare as one of its dependencies.

SwiftPM builds an undeclared import as long as some other target happens to pull the module in first, so the
mistake shows only in a clean build of one target, or in a package that depends on ours. Every target's Swift files
are read and each `import M` must name the target itself, a dependency declared on it (a target or a product, whose
module we take to have the product's name), or a module that ships with the toolchain.

The manifest is read through `swift package dump-package` (no resolution, about a second) rather than parsed here, so
targets built in code or with custom paths are seen exactly as SwiftPM sees them.

Usage: scripts/check-imports.py [package directory]   (default: the repository)
"""

import json
import os
import re
import subprocess
import sys

# Modules of the Swift toolchain and the platforms' system libraries, which no manifest declares.
TOOLCHAIN_MODULES = {
    "Swift", "_Concurrency", "_StringProcessing", "_Differentiation", "RegexBuilder", "Observation", "Distributed",
    "Synchronization", "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking",
    "FoundationXML", "CoreFoundation", "Dispatch", "XCTest", "Testing", "Glibc", "Musl", "Bionic", "Android",
    "WASILibc", "Darwin", "os", "WinSDK", "ucrt", "Cxx", "CxxStdlib", "SwiftShims",
}

# `import M`, `@testable import M`, `public import M`, `import struct M.Type`, `import M.Submodule`.
IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
    r"(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)"
)

# SwiftPM's default source folders by target type, when the manifest gives no `path`.
DEFAULT_ROOTS = {"test": "Tests", "plugin": "Plugins"}


def load_manifest(package_dir):
    result = subprocess.run(
        ["swift", "package", "--package-path", package_dir, "dump-package"],
        check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout)


def module_name(name):
    # SwiftPM turns a target name into a module name by replacing what an identifier cannot hold.
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def declared_modules(target):
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(module_name(dependency[kind][0]))
    return names


def target_directory(package_dir, target):
    if target.get("path"):
        return os.path.join(package_dir, target["path"])
    root = DEFAULT_ROOTS.get(target.get("type"), "Sources")
    return os.path.join(package_dir, root, target["name"])


def swift_files(directory, excluded):
    for folder, subfolders, files in os.walk(directory):
        subfolders[:] = [s for s in subfolders if os.path.join(folder, s) not in excluded]
        for file in files:
            path = os.path.join(folder, file)
            if file.endswith(".swift") and path not in excluded:
                yield path


def imports(path):
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            match = IMPORT.match(line)
            if match:
                yield number, match.group(1)


def undeclared_imports(package_dir, manifest):
    for target in manifest["targets"]:
        if target.get("type") in ("system", "binary"):
            continue
        directory = target_directory(package_dir, target)
        excluded = {os.path.normpath(os.path.join(directory, e)) for e in target.get("exclude", [])}
        allowed = declared_modules(target) | TOOLCHAIN_MODULES | {module_name(target["name"])}
        for path in sorted(swift_files(directory, excluded)):
            for number, module in imports(path):
                if module not in allowed:
                    yield target["name"], module, os.path.relpath(path, package_dir), number


def main():
    package_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    manifest = load_manifest(package_dir)
    findings = list(undeclared_imports(package_dir, manifest))
    first_use = {}
    for target, module, path, number in findings:
        first_use.setdefault((target, module), f"{path}:{number}")
    for (target, module), where in sorted(first_use.items()):
        print(f"{where}: target '{target}' imports '{module}', which Package.swift does not declare for it")
    if findings:
        print(f"check-imports: {len(first_use)} undeclared import(s) (first use of each shown)", file=sys.stderr)
        return 1
    print(f"check-imports: every import of the {len(manifest['targets'])} targets is declared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
