"""A LanguageTool server on the user's machine: install it, find it, run one per process.

Installing: `healthlint-languagetool install` copies LanguageTool and its dependencies
from Maven Central (`mvn dependency:copy-dependencies` on the pom.xml beside this file)
into the LanguageTool home, and writes `languagetool-server.jar`, a launcher whose
manifest class path lists those jars. A LanguageTool standalone download (the folder
that holds its own `languagetool-server.jar`) works as a home too.

Running: the first document that needs grammar starts one server on a free loopback
port; all documents share it; it is stopped at exit. Nothing is ever downloaded during a
lint run, and text goes to a remote server only when the user configured its URL.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import click

from healthlint.processes import die_with_parent

PACKAGE_DIR = Path(__file__).resolve().parent / "languagetool"
LAUNCHER = "languagetool-server.jar"
INFO_FILE = "healthlint-languagetool.json"
URL_ENV = "HEALTHLINT_LANGUAGETOOL_URL"
HOME_ENV = "HEALTHLINT_LANGUAGETOOL_HOME"
MEDICAL_DICTIONARY = "medical-words.txt"
DEBIAN_MEDICAL_DIC = Path("/usr/share/hunspell/en_med_glut.dic")
START_TIMEOUT = 60.0


class LanguageToolError(Exception):
    """LanguageTool is missing, would not start, or stopped answering."""


def default_home() -> Path:
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "healthlint" / "languagetool"


def installed_version(home: Path) -> str | None:
    """The version of an installed LanguageTool, or None when there is none."""
    if not (home / LAUNCHER).is_file():
        return None
    try:
        return json.loads((home / INFO_FILE).read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "standalone"


def not_installed_notice(home: Path) -> str:
    return (f"LanguageTool is not installed (looked in {home}). Install it with "
            "'healthlint-languagetool install' (needs Java 17+ and Maven), or point at a running server "
            f"with --languagetool-url or {URL_ENV}.")


def java_command() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalServer:
    """One LanguageTool server process for this healthlint process."""

    def __init__(self, home: Path):
        self.home = home
        self.process: subprocess.Popen | None = None
        self.url: str | None = None
        self.failure: str | None = None
        self.log = None
        self.closed = False
        self._lock = threading.Lock()

    def ensure_started(self) -> str:
        """Start the server once; later calls return its URL (or raise the same failure)."""
        with self._lock:
            if self.closed:
                raise LanguageToolError("the LanguageTool server was stopped")
            if self.failure:
                raise LanguageToolError(self.failure)
            if self.process is not None:
                if self.process.poll() is not None:
                    self.failure = f"the LanguageTool server stopped (exit code {self.process.returncode})"
                    raise LanguageToolError(self.failure)
                return self.url
            try:
                self._start()
            except LanguageToolError as exc:
                self.failure = str(exc)
                raise
            return self.url

    def _start(self) -> None:
        java = java_command()
        if java is None:
            raise LanguageToolError("Java was not found; LanguageTool needs Java 17 or newer (set JAVA_HOME "
                                    "or put java on PATH)")
        if not (self.home / LAUNCHER).is_file():
            raise LanguageToolError(not_installed_notice(self.home))
        last_error = ""
        for _ in range(3):  # a port can be taken between choosing it and the server binding it
            if self.closed:
                break
            port = _free_port()
            self.log = tempfile.TemporaryFile()
            self.process = subprocess.Popen(
                [java, "-Xss2m", "-cp", str(self.home / LAUNCHER), "org.languagetool.server.HTTPServer",
                 "--port", str(port)],
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
            atexit.register(self.close)
            self.url = f"http://127.0.0.1:{port}"
            last_error = self._wait_until_ready(self.process)
            if not last_error:
                return
            self.stop()
        raise LanguageToolError(f"the LanguageTool server did not start: {last_error}")

    def _wait_until_ready(self, process: subprocess.Popen) -> str:
        import urllib.request
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and not self.closed:
            if process.poll() is not None:
                return f"it exited with code {process.returncode}: {self._log_tail()}"
            try:
                with urllib.request.urlopen(f"{self.url}/v2/healthcheck", timeout=2) as response:
                    if response.status == 200:
                        return ""
            except OSError:
                pass
            time.sleep(0.1)
        return "it was stopped" if self.closed else f"it was not ready after {START_TIMEOUT:.0f} s"

    def _log_tail(self) -> str:
        try:
            self.log.seek(0)
            lines = [line for line in self.log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        except (AttributeError, ValueError):  # closed meanwhile by stop()
            return "no output"
        errors = [line for line in lines if "Exception" in line or "Error" in line or "error" in line]
        return (errors or lines or ["no output"])[-1].strip()[:300]

    def close(self) -> None:
        """Stop the server for good (at exit, on Ctrl-C): no check may start it again."""
        self.closed = True
        self.stop()

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            # SIGKILL, not SIGTERM: the server keeps no state, and a graceful JVM shutdown waits
            # for checks in flight, which would keep healthlint waiting after Ctrl-C
            process.kill()
            process.wait()
        if self.log is not None:
            self.log.close()
            self.log = None


_SERVERS: dict[Path, LocalServer] = {}
_SERVERS_LOCK = threading.Lock()


def local_server(home: Path) -> LocalServer:
    with _SERVERS_LOCK:
        return _SERVERS.setdefault(home, LocalServer(home))


def stop_all() -> None:
    with _SERVERS_LOCK:
        servers = list(_SERVERS.values())
        _SERVERS.clear()
    for server in servers:
        server.close()


# --- install ----------------------------------------------------------------

def _manifest(class_path: list[str]) -> bytes:
    """A jar manifest; lines longer than 72 bytes continue on lines starting with a space."""
    lines = []
    for header in ("Manifest-Version: 1.0", "Main-Class: org.languagetool.server.HTTPServer",
                   "Class-Path: " + " ".join(class_path)):
        data = header.encode("utf-8")
        chunks = [data[:72]] + [b" " + data[i:i + 71] for i in range(72, len(data), 71)]
        lines.extend(chunks)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def write_launcher(home: Path) -> None:
    jars = sorted(p.name for p in (home / "lib").glob("*.jar"))
    with zipfile.ZipFile(home / LAUNCHER, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", _manifest([f"lib/{name}" for name in jars]))


def _debian_medical_words() -> list[str]:
    """Words of Debian's hunspell-en-med dictionary (GPL-3+), if the package is installed or can be fetched."""
    dic = DEBIAN_MEDICAL_DIC
    if not dic.is_file() and shutil.which("apt-get") and shutil.which("dpkg-deb"):
        with tempfile.TemporaryDirectory() as tmp:
            fetched = subprocess.run(["apt-get", "download", "hunspell-en-med"], cwd=tmp, capture_output=True)
            debs = list(Path(tmp).glob("hunspell-en-med_*.deb"))
            if fetched.returncode == 0 and debs:
                subprocess.run(["dpkg-deb", "-x", str(debs[0]), tmp], check=True)
                return _read_dic(Path(tmp) / DEBIAN_MEDICAL_DIC.relative_to("/"))
        return []
    return _read_dic(dic) if dic.is_file() else []


def _read_dic(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return sorted({line.split("/")[0].strip() for line in lines[1:] if line.strip() and not line[0].isspace()})


def install(home: Path, echo=click.echo) -> str:
    """Install LanguageTool from Maven Central into `home`; return its version."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LanguageToolError("Maven (mvn) was not found; install it (Debian: apt-get install maven)")
    if java_command() is None:
        raise LanguageToolError("Java was not found; LanguageTool needs Java 17 or newer")
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="lib-", dir=home))
    echo(f"Fetching LanguageTool from Maven Central into {home} ...")
    done = subprocess.run([mvn, "-q", "-B", "-f", str(PACKAGE_DIR / "pom.xml"), "dependency:copy-dependencies",
                           f"-DoutputDirectory={staging}"], capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise LanguageToolError("Maven could not fetch LanguageTool:\n" + (done.stdout + done.stderr)[-2000:])
    if (home / "lib").exists():
        shutil.rmtree(home / "lib")
    staging.rename(home / "lib")
    write_launcher(home)
    version = next((p.stem.split("-")[-1] for p in (home / "lib").glob("languagetool-core-*.jar")), "unknown")
    words = _debian_medical_words()
    if words:
        (home / MEDICAL_DICTIONARY).write_text("\n".join(words) + "\n", encoding="utf-8")
        echo(f"Added {len(words)} words from Debian's hunspell-en-med dictionary (GPL-3+).")
    (home / INFO_FILE).write_text(json.dumps({"version": version, "source": "maven-central"}), encoding="utf-8")
    return version


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Install or inspect the LanguageTool server healthlint's grammar rule uses."""


@main.command("install")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Where to install (default: ${HOME_ENV} or ~/.local/share/healthlint/languagetool).")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Start the installed server once and check a sentence.")
def install_command(home, check):
    """Fetch LanguageTool from Maven Central (needs Java 17+ and Maven)."""
    home = home or default_home()
    try:
        version = install(home)
        click.echo(f"LanguageTool {version} installed in {home}")
        if check:
            server = LocalServer(home)
            try:
                server.ensure_started()
                click.echo(f"Server check: OK ({server.url})")
            finally:
                server.stop()
    except LanguageToolError as exc:
        click.echo(f"healthlint-languagetool: error: {exc}", err=True)
        sys.exit(2)


@main.command("uninstall")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None)
def uninstall_command(home):
    """Remove the installed LanguageTool folder (Maven's own cache, ~/.m2/repository, is left to you)."""
    import shutil
    home = home or default_home()
    if not (home / INFO_FILE).is_file():
        click.echo(f"healthlint-languagetool: error: {home} holds no LanguageTool installed by healthlint; "
                   "nothing removed", err=True)
        sys.exit(2)
    shutil.rmtree(home)
    click.echo(f"Removed {home}. Maven's download cache (~/.m2/repository, about 115 MB after an install) "
               "is shared with other projects: remove it yourself if nothing else needs it.")


@main.command("status")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None)
def status_command(home):
    """Say where LanguageTool is and whether Java is there; exit 1 when it is not usable."""
    home = home or default_home()
    version = installed_version(home)
    java = java_command()
    click.echo(f"home: {home}\nversion: {version or 'not installed'}\njava: {java or 'not found'}")
    if os.environ.get(URL_ENV):
        click.echo(f"server URL from {URL_ENV}: {os.environ[URL_ENV]}")
    sys.exit(0 if version and java else 1)
