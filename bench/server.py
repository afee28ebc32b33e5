"""gunicorn on loopback, started and stopped one way for everyone who needs a real server:
`make bench` (bench/run.py), the browser tests (tests/browser/conftest.py) and the
production-image test (tests/test_production_image.py, which runs the Dockerfile's CMD).

The server runs in its own process group, so `stop()` always ends the master and every
worker; its output goes to a log file whose tail is in every error.
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The server did not start (the message has the end of its log)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_args(*, port: int, workers=2, worker_class="gthread", threads=4, extra=()) -> list:
    """The command line for the site's WSGI app, bound to loopback."""
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "buyingguide.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
    ]
    if worker_class == "gthread":
        args += ["--threads", str(threads)]
    return [*args, *extra]


def healthz(port: int, *, host: str = HOST, timeout: float = 2) -> int | None:
    """The status /healthz answers with `host` in the Host header (None: no answer)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        response = connection.getresponse()
        ok = response.status == 200 and json.loads(response.read()).get("status") == "ok"
        return 200 if ok else response.status
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        connection.close()


class Gunicorn:
    """A gunicorn server: `command` is an argument list, or a shell command (the image's CMD).

    with Gunicorn(command=gunicorn_args(port=port), port=port, cwd=app, env=env, log=path):
        ...  # answering /healthz
    """

    def __init__(self, *, command, port: int, cwd: Path, env: dict, log: Path, host=HOST):
        self.command, self.port, self.cwd, self.env = command, port, cwd, env
        self.log_path, self.host = Path(log), host
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def launch(self) -> "Gunicorn":
        """Start the process without waiting for it to answer."""
        self._log = self.log_path.open("wb")
        shell = isinstance(self.command, str)
        self.process = subprocess.Popen(
            ["sh", "-c", self.command] if shell else self.command,
            cwd=self.cwd,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def start(self, timeout: float = 30) -> "Gunicorn":
        """Start, and wait until /healthz answers 200 (else stop and raise ServerError)."""
        self.launch()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if healthz(self.port, host=self.host) == 200:
                return self
            time.sleep(0.2)
        exited = self.process.poll()
        log = self.stop()
        reason = (
            f"exited with status {exited}"
            if exited is not None
            else f"did not answer /healthz within {timeout:.0f} s"
        )
        raise ServerError(f"gunicorn {reason}:\n{log[-4000:]}")

    def wait(self, timeout: float) -> int:
        """Wait for the server to exit by itself (a refused start); its exit status."""
        return self.process.wait(timeout=timeout)

    def cpu_seconds(self) -> float | None:
        """User + system CPU of the master and its workers so far (Linux /proc), or None."""
        if self.process is None:
            return None
        try:
            pids = {self.process.pid}
            for task in Path(f"/proc/{self.process.pid}/task").iterdir():
                pids.update(int(p) for p in (task / "children").read_text().split())
            ticks = 0
            for pid in pids:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError):
            return None
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> str:
        """End the whole process group (TERM, then KILL); return what it logged."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:  # a worker still waiting on a connection
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()
        self.process = None
        return self.log_path.read_text(errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
