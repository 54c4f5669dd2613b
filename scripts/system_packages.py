"""Install the Debian packages the tests need, when missing and when we are root.

Elsewhere print the one command the user must run. With CI=true a package that
is still missing afterwards is an error, never a silent skip.
"""
import os
import shutil
import subprocess
import sys


def missing(packages):
    if not shutil.which("dpkg"):
        return list(packages)
    return [p for p in packages
            if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]


def main(packages):
    wanted = missing(packages)
    if not wanted:
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *wanted],
                       check=False, env=env)
        wanted = missing(packages)
    if not wanted:
        return 0
    print("Missing Debian packages: " + " ".join(wanted), file=sys.stderr)
    print("Install them with: sudo apt-get install -y --no-install-recommends "
          + " ".join(wanted), file=sys.stderr)
    return 1 if os.environ.get("CI") == "true" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
