"""`make test` on a machine without the browser, Pango or the fonts stops and says what to install.

The check (scripts/system-deps) runs here against a stubbed system: a fake dpkg that knows only
the packages a test says are installed, a browser path that exists or not, a PATH holding only the
commands a test gives it, and a fake apt-get that "installs" by telling the fake dpkg.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.live import ROOT

SCRIPT = ROOT / "scripts" / "system-deps"
LIBRARIES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libcairo2", "fonts-crosextra-carlito", "fonts-dejavu-core"]
COMMANDS = ["haproxy", "nginx", "openssl", "node", "npm"]
SUDO = "" if os.geteuid() == 0 else "sudo "


class FakeSystem:
    """A machine whose installed packages and commands a test chooses."""

    def __init__(self, root: Path):
        self.root = root
        self.bin = root / "bin"
        self.bin.mkdir()
        (root / "sbin").mkdir()
        self.installed = root / "installed"
        self.installed.write_text("")
        self.chromium = root / "chromium"
        self.apt_log = root / "apt.log"
        self.os_release = root / "os-release"
        self.os_release.write_text('ID=debian\n')
        for tool in ("grep", "id", "sh", "cat", "chmod"):  # what the script itself (and the fakes) use
            os.symlink(shutil.which(tool), self.bin / tool)
        self._script("dpkg", f'grep -qx "$2" "{self.installed}" && echo "Status: install ok installed" && exit 0\n'
                             'echo "dpkg-query: package \'$2\' is not installed" >&2; exit 1\n')
        # apt-get install -y PKG...: the packages become installed; chromium puts the browser in place.
        self._script("apt-get", f'echo "$*" >> "{self.apt_log}"\n'
                                '[ "$1" = install ] || exit 0\nshift 2\n'
                                f'for p in "$@"; do echo "$p" >> "{self.installed}"; '
                                f'case "$p" in chromium) printf "#!/bin/sh\\n" > "{self.chromium}"; '
                                f'chmod +x "{self.chromium}";; nodejs) printf "#!/bin/sh\\n" > "{self.bin}/node"; '
                                f'chmod +x "{self.bin}/node";; esac; done\n')
        self._script("sudo", 'exec "$@"\n')

    def _script(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)

    def install(self, *packages: str) -> None:
        with self.installed.open("a") as f:
            f.writelines(p + "\n" for p in packages)

    def have_browser(self) -> None:
        self.chromium.write_text("#!/bin/sh\n")
        self.chromium.chmod(0o755)

    def have_commands(self, *names: str) -> None:
        for name in names:
            self._script(name, "exit 0\n")

    def env(self) -> dict[str, str]:
        return {"PATH": str(self.bin), "DPKG": "dpkg", "CHROMIUM": str(self.chromium),
                "OS_RELEASE": str(self.os_release), "SYSTEM_DEPS_SBIN": str(self.root / "sbin"),
                "HOME": str(self.root)}

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["/bin/bash", str(SCRIPT), *args], env=self.env(), capture_output=True, text=True,
                              timeout=30)


@pytest.fixture
def system(tmp_path):
    return FakeSystem(tmp_path)


def test_a_complete_system_passes_silently(system):
    system.install(*LIBRARIES)
    system.have_browser()
    system.have_commands(*COMMANDS)
    result = system.run()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_missing_browser_font_and_node_give_the_exact_apt_command(system):
    system.install("libpango-1.0-0", "libpangoft2-1.0-0", "libcairo2", "fonts-dejavu-core")
    system.have_commands("haproxy", "nginx", "openssl", "npm")
    result = system.run()
    assert result.returncode == 1
    assert f"  {SUDO}apt-get update && {SUDO}apt-get install -y chromium fonts-crosextra-carlito nodejs\n" \
        in result.stderr
    assert "chromium: the browser the browser tests drive" in result.stderr
    assert "fonts-crosextra-carlito: the guide's font" in result.stderr
    assert "libpango" not in result.stderr.split("Install them")[0]
    assert "make system-deps" in result.stderr


def test_pango_missing_is_named(system):
    system.install("libcairo2", "fonts-crosextra-carlito", "fonts-dejavu-core")
    system.have_browser()
    system.have_commands(*COMMANDS)
    result = system.run()
    assert result.returncode == 1
    assert f"{SUDO}apt-get install -y libpango-1.0-0 libpangoft2-1.0-0\n" in result.stderr


def test_a_command_in_sbin_counts_as_installed(system):
    system.install(*LIBRARIES)
    system.have_browser()
    system.have_commands("openssl", "node", "npm")
    for name in ("haproxy", "nginx"):  # Debian installs them in /usr/sbin, not on a user's PATH
        (system.root / "sbin" / name).write_text("#!/bin/sh\n")
        (system.root / "sbin" / name).chmod(0o755)
    assert system.run().returncode == 0


def test_ubuntu_gets_its_own_browser_package(system):
    system.os_release.write_text('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n')
    system.install(*LIBRARIES)
    system.have_commands(*COMMANDS)
    result = system.run()
    assert result.returncode == 1
    assert f"{SUDO}apt-get install -y chromium-browser\n" in result.stderr


def test_install_runs_apt_get_for_what_is_missing_and_then_passes(system):
    system.install("libpango-1.0-0", "libpangoft2-1.0-0", "libcairo2", "fonts-dejavu-core")
    system.have_commands("haproxy", "nginx", "openssl", "npm")
    result = system.run("--install")
    assert result.returncode == 0, result.stderr
    assert system.apt_log.read_text().splitlines() == ["update", "install -y chromium fonts-crosextra-carlito nodejs"]
    assert system.run().returncode == 0


def test_install_fails_when_apt_get_leaves_something_missing(system):
    system._script("apt-get", "exit 0\n")  # a mirror without the package: nothing gets installed
    system.install(*LIBRARIES)
    system.have_commands(*COMMANDS)
    result = system.run("--install")
    assert result.returncode == 1
    assert "still missing after the install: chromium" in result.stderr


def test_list_names_every_package(system):
    result = system.run("--list")
    assert result.stdout.split() == ["chromium", *LIBRARIES, "haproxy", "nginx", "openssl", "nodejs", "npm"]


def test_make_test_stops_before_running_anything(system):
    """`make test` checks first: no venv set-up, no pytest, the command to run instead."""
    system.install(*LIBRARIES)
    system.have_commands(*COMMANDS)  # everything but the browser
    make = shutil.which("make")
    assert make, "make is needed to run make test"
    env = {**system.env(), "PATH": f"{system.bin}:{os.environ['PATH']}"}
    result = subprocess.run([make, "--no-print-directory", "test", "PYTEST_ARGS=--collect-only"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"{SUDO}apt-get install -y chromium\n" in result.stderr
    assert "pytest" not in result.stdout + result.stderr.replace("system-check", "")
    assert "system-check" in result.stderr
