"""import_probe.py - the import phase's helper; runs ONLY inside the sandbox.

    python -I import_probe.py --startup      bare interpreter start
    python -I import_probe.py --dist NAME    import NAME's top-level modules

--startup does nothing on purpose: starting the venv's interpreter is the
test (site.py runs every .pth file of site-packages and sitecustomize /
usercustomize; the monitor watches what they do).

--dist imports each top-level module of the installed distribution NAME
(from its top_level.txt, else from the files listed in its RECORD), one
after the other, and prints one JSON line per module on its standard output:
    {"module": "jinja2", "ok": true, "error": null}
    {"module": "foo", "ok": false, "error": "ModuleNotFoundError: No module named 'bar'"}
While a module is imported, fd 1 points at stderr, so whatever the module
prints cannot be mistaken for a result line. Exit status 0, or 2 when NAME
is not installed (one line on stderr).

Both modes then wait (up to LINGER_SECONDS) while other processes of the
sandbox's pid namespace are still alive: the sandbox ends when this process
does, and a package's daemon (double fork, setsid) must get the time to
show what it does.
"""
import os
import sys


def _normalise(name):
    # PEP 503
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def _find(name):
    import importlib.metadata as md
    want = _normalise(name)
    for d in md.distributions():
        n = d.metadata["Name"] if d.metadata else None
        if n and _normalise(n) == want:
            return d
    return None


_EXT_SUFFIXES = (".so", ".pyd")


def top_level_modules(dist):
    """Top-level import names of dist: top_level.txt, else RECORD."""
    names = []
    text = dist.read_text("top_level.txt")
    if text:
        for line in text.splitlines():
            line = line.strip().replace("/", ".")
            if line and all(p.isidentifier() for p in line.split(".")):
                names.append(line)
    else:
        for f in dist.files or []:
            parts = f.parts
            if not parts or parts[0] in ("..", "__pycache__"):
                continue
            first = parts[0]
            if first.endswith((".dist-info", ".egg-info", ".data")):
                continue
            if len(parts) == 1:
                if first.endswith(".py"):
                    names.append(first[:-3])
                elif first.endswith(_EXT_SUFFIXES):
                    names.append(first.split(".", 1)[0])
            elif first.isidentifier():
                names.append(first)
    seen, out = set(), []
    for n in names:
        if n.isidentifier() or all(p.isidentifier() for p in n.split(".")):
            if n not in seen:
                seen.add(n)
                out.append(n)
    return out


def probe(name):
    import importlib
    import json
    import traceback
    dist = _find(name)
    if dist is None:
        sys.stderr.write("import_probe: %s is not installed\n" % name)
        return 2
    modules = top_level_modules(dist)
    out = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for mod in modules:
        ok, err = True, None
        try:
            importlib.import_module(mod)
        except BaseException as e:  # noqa: BLE001 - report, never die
            ok = False
            err = "%s: %s" % (type(e).__name__, e)
            if not isinstance(e, ImportError):
                traceback.print_exc()
        line = json.dumps({"module": mod, "ok": ok, "error": err}) + "\n"
        os.write(out, line.encode("utf-8", "replace"))
    return 0


LINGER_SECONDS = 5.0


def linger():
    """Waits while processes other than pid 1 (bwrap), our parents and us
    live in this pid namespace."""
    import time
    mine = {1, os.getpid(), os.getppid()}
    deadline = time.monotonic() + LINGER_SECONDS
    while time.monotonic() < deadline:
        try:
            others = [p for p in os.listdir("/proc")
                      if p.isdigit() and int(p) not in mine]
        except OSError:
            return
        # Zombies of ours are not alive.
        alive = []
        for p in others:
            try:
                with open("/proc/%s/stat" % p) as f:
                    if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                        alive.append(p)
            except (OSError, IndexError):
                pass
        if not alive:
            return
        time.sleep(0.1)


def main(argv):
    if len(argv) == 2 and argv[1] == "--startup":
        linger()
        return 0
    if len(argv) == 3 and argv[1] == "--dist":
        rc = probe(argv[2])
        linger()
        return rc
    sys.stderr.write("usage: import_probe.py --startup | --dist NAME\n")
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
