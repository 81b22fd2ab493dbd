"""Provision, start and stop a local Neo4j Community server assembled from Maven Central.

    python -m localdb.server start    # provision once (jars, conf, password), start, wait until it answers
    python -m localdb.server stop
    python -m localdb.server status

No Docker: the jars come from `localdb/pom.xml` through `mvn dependency:copy-dependencies` into
`localdb/lib/` (git-ignored, downloaded once); the server's home is `var/neo4j/`. When NEO4J_URI is set
the service uses that server and every command here says so and does nothing.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from app.settings import Settings, get_settings

POM = Path(__file__).resolve().parent / "pom.xml"

JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


class LocalServerError(RuntimeError):
    """A problem the person running the command can act on; the message says how."""


def _conf(settings: Settings) -> str:
    return "\n".join(
        [
            "# Written by `python -m localdb.server`; edit settings (.env), not this file.",
            "server.default_listen_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{settings.local_neo4j_bolt_port}",
            f"server.http.listen_address=127.0.0.1:{settings.local_neo4j_http_port}",
            "server.https.enabled=false",
            "server.directories.data=data",
            "server.directories.logs=logs",
            "server.directories.run=run",
            f"server.memory.pagecache.size={settings.local_neo4j_pagecache}",
            "dbms.usage_report.enabled=false",
            # The transaction logs past the last checkpoint serve backups and clusters, neither of which a
            # local Community server has; the default keeps two days of them (36 GB after a day of benches).
            "db.tx_log.rotation.retention_policy=1G size",
            "dbms.security.auth_enabled=true",
            "",
        ]
    )


def _require_tool(name: str, hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LocalServerError(f"`{name}` was not found on PATH. {hint}")
    return path


def _fetch_jars(settings: Settings) -> None:
    lib = settings.local_neo4j_lib
    stamp = lib / ".pom-stamp"
    pom_text = POM.read_text(encoding="utf-8")
    if stamp.exists() and stamp.read_text(encoding="utf-8") == pom_text:
        return
    mvn = _require_tool("mvn", "Install Maven 3.8+ (Debian: `apt-get install maven`).")
    print(f"Downloading Neo4j jars from Maven Central into {lib} (once; ~140 MB)...", flush=True)
    if lib.exists():
        shutil.rmtree(lib)
    result = subprocess.run(
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={lib}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise LocalServerError("Maven could not fetch the Neo4j jars:\n" + (result.stdout + result.stderr)[-3000:])
    stamp.write_text(pom_text, encoding="utf-8")


def _java_cmd(settings: Settings, main_class: str, *args: str, heap: bool = False) -> list[str]:
    java = _require_tool("java", "Install a Java 17 or 21 runtime (Debian: `apt-get install openjdk-17-jre`).")
    cmd = [java]
    if heap:
        cmd += [f"-Xms{settings.local_neo4j_heap}", f"-Xmx{settings.local_neo4j_heap}", *JVM_FLAGS]
    return [*cmd, "-cp", f"{settings.local_neo4j_lib}/*", main_class, *args]


def _ensure_password(settings: Settings) -> None:
    home = settings.local_neo4j_dir
    if (home / "data" / "dbms" / "auth.ini").exists():
        return
    if settings.neo4j_password is not None or settings.local_password_file.exists():
        # A database made again (its data folder removed or swapped) keeps the password the checkout uses:
        # a new one would lock out the data folders saved under the old one.
        password = settings.effective_neo4j_password()
    else:
        # Hex: a URL-safe token starts with "-" one time in 64, and neo4j-admin reads that as an option.
        password = secrets.token_hex(18)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    result = subprocess.run(
        _java_cmd(settings, "org.neo4j.cli.AdminTool", "dbms", "set-initial-password", password),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise LocalServerError("Setting the initial password failed:\n" + result.stdout + result.stderr)
    settings.local_password_file.write_text(password + "\n", encoding="utf-8")
    settings.local_password_file.chmod(0o600)


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _http_version(settings: Settings) -> str | None:
    try:
        url = f"http://127.0.0.1:{settings.local_neo4j_http_port}/"
        with urllib.request.urlopen(url, timeout=2) as response:
            body = json.loads(response.read())
    except (OSError, urllib.error.URLError, ValueError):
        return None
    version = body.get("neo4j_version")
    return str(version) if version else None


def _pid_file(settings: Settings) -> Path:
    return settings.local_neo4j_dir / "run" / "companion-neo4j.pid"


def _running_pid(settings: Settings) -> int | None:
    pid_file = _pid_file(settings)
    if not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text(encoding="utf-8").strip())
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def _log_tail(settings: Settings, lines: int = 40) -> str:
    chunks = []
    for name in ("console.log", "neo4j.log", "debug.log"):
        path = settings.local_neo4j_dir / "logs" / name
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            chunks.append(f"--- {path} (last {len(text)} lines) ---\n" + "\n".join(text))
    return "\n".join(chunks) or "(no log was written)"


def start(settings: Settings) -> str:
    """Provision the local server if needed and start it; a no-op when it already runs."""
    if not settings.uses_local_neo4j:
        return f"NEO4J_URI is set ({settings.neo4j_uri}): using that server, no local server started."
    pid = _running_pid(settings)
    if pid is not None and _http_version(settings):
        return f"Local Neo4j {_http_version(settings)} is already running (pid {pid}); nothing to do."
    for port in (settings.local_neo4j_bolt_port, settings.local_neo4j_http_port):
        if _port_open(port):
            raise LocalServerError(
                f"Port {port} on 127.0.0.1 is taken by another process, not by this checkout's Neo4j. "
                "Stop that process, or set LOCAL_NEO4J_BOLT_PORT / LOCAL_NEO4J_HTTP_PORT, or point "
                "NEO4J_URI at that server if it is a Neo4j you want to use."
            )
    home = settings.local_neo4j_dir
    for sub in ("conf", "data", "logs", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    _fetch_jars(settings)
    (home / "conf" / "neo4j.conf").write_text(_conf(settings), encoding="utf-8")
    _ensure_password(settings)

    console = (home / "logs" / "console.log").open("ab")
    process = subprocess.Popen(
        _java_cmd(
            settings,
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={home}",
            f"--config-dir={home / 'conf'}",
            "--console-mode",
            heap=True,
        ),
        stdout=console,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=home,
        start_new_session=True,
    )
    _pid_file(settings).write_text(str(process.pid), encoding="utf-8")
    deadline = time.monotonic() + settings.local_neo4j_start_timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalServerError(
                f"Neo4j exited during start-up with status {process.returncode}.\n{_log_tail(settings)}"
            )
        version = _http_version(settings)
        if version and _port_open(settings.local_neo4j_bolt_port):
            return (
                f"Local Neo4j {version} is up (pid {process.pid}): bolt://127.0.0.1:"
                f"{settings.local_neo4j_bolt_port}, Browser at http://127.0.0.1:"
                f"{settings.local_neo4j_http_port}/browser/ (user neo4j, password in "
                f"{settings.local_password_file})."
            )
        time.sleep(0.5)
    process.terminate()
    raise LocalServerError(
        f"Neo4j did not answer within {settings.local_neo4j_start_timeout_s:.0f} s.\n{_log_tail(settings)}"
    )


def stop(settings: Settings) -> str:
    """Stop the local server cleanly (SIGTERM, then wait)."""
    if not settings.uses_local_neo4j:
        return "NEO4J_URI is set: there is no local server to stop."
    pid = _running_pid(settings)
    if pid is None:
        return "The local Neo4j is not running."
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            _pid_file(settings).unlink(missing_ok=True)
            return f"Stopped the local Neo4j (pid {pid})."
        time.sleep(0.25)
    raise LocalServerError(f"Neo4j (pid {pid}) did not stop within 60 s; `kill -9 {pid}` if you must.")


def status(settings: Settings) -> str:
    """Say whether the local server runs, and where."""
    if not settings.uses_local_neo4j:
        return f"Using the external Neo4j at {settings.neo4j_uri}."
    pid = _running_pid(settings)
    version = _http_version(settings)
    if pid and version:
        return f"Local Neo4j {version} is running (pid {pid})."
    return "The local Neo4j is not running."


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    commands = {"start": start, "stop": stop, "status": status}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: python -m localdb.server {start|stop|status}", file=sys.stderr)
        return 2
    try:
        print(commands[argv[0]](get_settings()))
    except LocalServerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
