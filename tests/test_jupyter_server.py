"""The notebooks as JupyterLab runs them: a real Jupyter server, a kernel per notebook
started through the REST API, and every code cell sent over the kernel's websocket.

The runner (papermill/nbclient) replaces the parameters cell; an analyst who opens a
notebook in Lab does not. Here the cells run exactly as stored, so the parameters keep
their defaults (the latest whole year of the example data), and the kernel is the one
Lab starts, with the inline matplotlib backend.

Nothing is saved through the server: the notebooks on disk must be byte for byte the
same after each test.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from bro_analysis.core.config import NOTEBOOKS_DIR
from bro_analysis.running.runner import list_notebooks

websocket = pytest.importorskip("websocket", reason="websocket-client is needed to talk to the kernel")

pytestmark = pytest.mark.e2e

SERVER_START_TIMEOUT = 120  # seconds until the server has written its runtime file
REQUEST_TIMEOUT = 60  # seconds for one REST call (starting a kernel is the slowest)
KERNEL_READY_TIMEOUT = 120  # seconds until the new kernel answers kernel_info_request
CELL_TIMEOUT = 300  # seconds per cell: a safety net, not a synchronisation
SHUTDOWN_TIMEOUT = 30  # seconds for the server to exit after POST /api/shutdown

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --- the server ---------------------------------------------------------------------


@dataclass
class Server:
    """A running Jupyter server: where it listens and how to authenticate."""

    base_url: str  # http://127.0.0.1:<port>/<base_url>/
    token: str
    process: subprocess.Popen
    stderr_path: Path

    def stderr(self) -> str:
        """The server's log so far (jupyter_server logs to stderr)."""
        return _tail(self.stderr_path)

    def url(self, path: str) -> str:
        """The absolute URL of an API path such as "api/sessions"."""
        return self.base_url + path.lstrip("/")

    def ws_url(self, path: str) -> str:
        """The websocket URL of an API path, with the token in the query string."""
        return "ws" + self.url(path).removeprefix("http") + f"?token={self.token}"

    def request(self, method: str, path: str, body: dict | None = None) -> dict | None:
        """One REST call; the decoded JSON answer, or None for an empty one."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(self.url(path), data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
                text = resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            raise AssertionError(
                f"{method} {path} -> HTTP {exc.code}: {detail}\n\nserver log:\n{self.stderr()}"
            ) from exc
        return json.loads(text) if text.strip() else None


def _tail(path: Path, lines: int = 60) -> str:
    """The last lines of a log file, or a note that there is none."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def _free_port() -> int:
    """A port that was free a moment ago. The server retries the next ports if it has
    been taken since, and its runtime file says which one it got."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(home: Path, token: str) -> dict[str, str]:
    """The server's (and so the kernels') environment: private Jupyter and IPython
    folders, so neither the user's configuration nor their kernels leak in."""
    env = dict(os.environ)
    for name in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH", "MPLBACKEND"):
        env.pop(name, None)  # MPLBACKEND would override the kernel's inline backend
    for name, sub in [
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (home / sub).mkdir()
        env[name] = str(home / sub)
    env["JUPYTER_TOKEN"] = token  # read by every jupyter_server version
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _wait_for_runtime_file(process: subprocess.Popen, runtime_dir: Path, stderr_path: Path) -> dict:
    """The server's runtime file (jpserver-<pid>.json), once written; the server writes it
    after binding its port, so from then on it accepts connections."""
    info_file = runtime_dir / f"jpserver-{process.pid}.json"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"jupyter server exited with code {process.returncode}:\n{_tail(stderr_path)}")
        try:
            return json.loads(info_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # not there yet, or half written
            time.sleep(0.1)
    pytest.fail(f"jupyter server wrote no {info_file.name} within {SERVER_START_TIMEOUT} s:\n{_tail(stderr_path)}")


def _stop(server: Server) -> None:
    """POST /api/shutdown (which also stops the kernels), then terminate, then kill."""
    process = server.process
    if process.poll() is None:
        with contextlib.suppress(OSError, AssertionError):  # the fallbacks below take over
            server.request("POST", "api/shutdown")
    for fallback in (process.terminate, process.kill):
        try:
            process.wait(timeout=SHUTDOWN_TIMEOUT)
            return
        except subprocess.TimeoutExpired:
            fallback()
    process.wait(timeout=SHUTDOWN_TIMEOUT)


@pytest.fixture(scope="module")
def server():
    """A Jupyter server on 127.0.0.1 serving notebooks/, as `make lab` does, with a random
    token and private Jupyter folders; shut down and removed at the end of the module."""
    with tempfile.TemporaryDirectory(prefix="bro-jupyter-", ignore_cleanup_errors=True) as tmp:
        home = Path(tmp)
        token = secrets.token_hex(24)
        env = _server_env(home, token)
        stderr_path = home / "server.log"
        command = [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--ServerApp.open_browser=False",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={_free_port()}",
            f"--ServerApp.root_dir={NOTEBOOKS_DIR}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # containers and CI often run as root
        with stderr_path.open("wb") as log:
            # Logs go to a file, not a pipe: nobody reads a pipe while the tests run, and a
            # full pipe would block the server.
            process = subprocess.Popen(
                command, cwd=home, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        running = Server("", token, process, stderr_path)
        try:
            info = _wait_for_runtime_file(process, Path(env["JUPYTER_RUNTIME_DIR"]), stderr_path)
            running.base_url = f"http://127.0.0.1:{info['port']}{info.get('base_url', '/')}"
            running.request("GET", "api/status")  # answered once the event loop runs
            yield running
        finally:
            _stop(running)


# --- a kernel over its websocket ---------------------------------------------------


@dataclass
class CellResult:
    """What the kernel sent back for one execute_request."""

    reply: dict = field(default_factory=dict)  # content of execute_reply
    errors: list[dict] = field(default_factory=list)  # contents of iopub error messages
    displays: list[dict] = field(default_factory=list)  # contents of display_data/execute_result
    stdout: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.reply.get("status") == "error"

    def error_text(self) -> str:
        """ename: evalue and the traceback, without terminal colours."""
        found = self.errors or [self.reply]
        parts = []
        for err in found:
            parts.append(f"{err.get('ename')}: {err.get('evalue')}")
            parts.append(ANSI.sub("", "\n".join(err.get("traceback", []))))
        return "\n".join(parts)


class Kernel:
    """A kernel session made through the REST API, as Lab makes one when a notebook opens,
    and a connection to its channels websocket (the JSON protocol every server speaks)."""

    def __init__(self, server: Server, path: str):
        self.server = server
        self.session_id = uuid.uuid4().hex  # the client session of our messages
        model = server.request(
            "POST",
            "api/sessions",
            {"path": path, "name": path, "type": "notebook", "kernel": {"name": "python3"}},
        )
        self.id, self.kernel_id = model["id"], model["kernel"]["id"]
        try:
            self.ws = websocket.create_connection(
                server.ws_url(f"api/kernels/{self.kernel_id}/channels"),
                timeout=REQUEST_TIMEOUT,
                header=[f"Authorization: token {server.token}"],
            )
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        """Close the websocket and delete the session (which shuts the kernel down)."""
        ws = getattr(self, "ws", None)
        if ws is not None:
            ws.close()
        self.server.request("DELETE", f"api/sessions/{self.id}")

    def send(self, channel: str, msg_type: str, content: dict) -> str:
        """Send one message; its msg_id, which the answers carry as parent_header.msg_id."""
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session_id,
            "username": "test",
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        }
        msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel}
        self.ws.send(json.dumps(msg))
        return msg_id

    def messages(self, timeout: float, what: str):
        """The messages that arrive, until the caller stops or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"no answer within {timeout} s: {what}\n\nserver log:\n{self.server.stderr()}")
            self.ws.settimeout(left)
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except websocket.WebSocketConnectionClosedException:
                pytest.fail(
                    f"the kernel's websocket closed while waiting: {what}\n\nserver log:\n{self.server.stderr()}"
                )
            if isinstance(raw, str):  # binary frames are never sent to a client without the v1 subprotocol
                yield json.loads(raw)

    def wait_ready(self) -> None:
        """Block until the kernel answers a kernel_info_request (Lab waits for it too)."""
        msg_id = self.send("shell", "kernel_info_request", {})
        for msg in self.messages(KERNEL_READY_TIMEOUT, "kernel_info_request"):
            if msg.get("parent_header", {}).get("msg_id") == msg_id and msg["msg_type"] == "kernel_info_reply":
                return

    def execute(self, code: str, timeout: float = CELL_TIMEOUT) -> CellResult:
        """Run one cell; returns when both its execute_reply and its iopub 'idle' status
        have arrived, so every output of the cell has been collected."""
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        msg_id = self.send("shell", "execute_request", content)
        result, replied, idle = CellResult(), False, False
        for msg in self.messages(timeout, f"execute_request for:\n{code[:300]}"):
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, body = msg["msg_type"], msg["content"]
            if kind == "execute_reply":
                result.reply, replied = body, True
            elif kind == "error":
                result.errors.append(body)
            elif kind in ("display_data", "execute_result"):
                result.displays.append(body)
            elif kind == "stream" and body.get("name") == "stdout":
                result.stdout += body.get("text", "")
            elif kind == "status" and body.get("execution_state") == "idle":
                idle = True
            if replied and idle:
                return result


@pytest.fixture
def kernel_for(server):
    """kernel_for(path) -> a ready Kernel in a new session; every one is deleted afterwards."""
    made: list[Kernel] = []

    def make(path: str) -> Kernel:
        kernel = Kernel(server, path)
        made.append(kernel)
        kernel.wait_ready()
        return kernel

    yield make
    for kernel in made:
        kernel.close()


# --- the notebooks on disk -----------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder and its bytes: new files (checkpoints) count as changes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _changes(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The files that were added, removed or changed between two snapshots."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def _head(source: str, lines: int = 5) -> str:
    """The first lines of a cell's source, for a failure message."""
    return "\n".join(source.splitlines()[:lines])


# --- the tests -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [p.name for p in list_notebooks(NOTEBOOKS_DIR)])
def test_notebook_runs_in_a_jupyter_server_kernel(server, kernel_for, name):
    """Every code cell of the notebook, as stored, runs without an error in a kernel that
    the server started for the notebook, as when an analyst runs all cells in Lab."""
    before = _snapshot(NOTEBOOKS_DIR)
    notebook = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    kernel = kernel_for(name)
    code_cells = [(i, cell.source) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    assert code_cells, f"{name} has no code cells"
    for index, source in code_cells:
        result = kernel.execute(source)
        if result.failed:
            pytest.fail(f"{name}, cell {index} failed:\n{_head(source)}\n\n{result.error_text()}", pytrace=False)
    assert not _changes(before, _snapshot(NOTEBOOKS_DIR)), "the notebooks folder changed during the run"


def test_package_keeps_the_inline_backend(server, kernel_for):
    """Importing the package leaves matplotlib on the inline backend, so an analyst's own
    figure in Lab shows up under the cell as a PNG."""
    before = _snapshot(NOTEBOOKS_DIR)
    kernel = kernel_for("inline-backend-check.ipynb")  # a session only: no file is made

    cells = [
        "import bro_analysis.analysis.overview, bro_analysis.analysis.nki",
        "import matplotlib\nprint(matplotlib.get_backend())",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3])\nplt.show()",
    ]
    results = [kernel.execute(code) for code in cells]
    for code, result in zip(cells, results):
        assert not result.failed, f"{code}\n\n{result.error_text()}"

    backend = results[1].stdout.strip()
    assert "inline" in backend.lower(), f"matplotlib backend after importing the package: {backend!r}"
    figures = [d for d in results[2].displays if "image/png" in d.get("data", {})]
    assert figures, (
        f"no image/png output for plt.show(); outputs: {[list(d.get('data', {})) for d in results[2].displays]}"
    )
    assert not _changes(before, _snapshot(NOTEBOOKS_DIR)), "the notebooks folder changed during the run"
