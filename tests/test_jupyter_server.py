"""The notebooks as JupyterLab runs them: a real Jupyter server, a kernel per notebook
started through the REST API, and every code cell sent over the kernel's websocket.

The runner (papermill/nbclient) replaces the parameters cell; an analyst who opens a
notebook in Lab does not. Here the cells run exactly as stored, so the parameters keep
their defaults (the latest whole year of the example data), and the kernel is the one
Lab starts, with the inline matplotlib backend.

Nothing is saved into notebooks/: the notebooks there must be byte for byte the same
after each test. The tests of the git filter save, as Lab does, into a repository of their
own made from the committed notebooks, and check that git shows no change.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from bro_analysis.core.config import NOTEBOOKS_DIR, PROJECT_ROOT
from bro_analysis.running import lab
from bro_analysis.running.lab import refresh_git_index
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
        except urllib.error.URLError as exc:
            alive = "running" if self.process.poll() is None else f"exited with code {self.process.returncode}"
            raise AssertionError(
                f"{method} {path} -> {exc.reason} (server {alive})\n\nserver log:\n{self.stderr()}"
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
    """The server's runtime file (jpserver-<pid>.json), once written; it names the port. The
    server may write it before it listens there (jupyter_server binds from its event loop)."""
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


def _wait_until_listening(server: Server) -> None:
    """Block until the server answers GET api/status; a refused connection means its event
    loop has not bound the port yet."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            server.request("GET", "api/status")
            return
        except AssertionError as exc:
            refused = isinstance(exc.__cause__, urllib.error.URLError) and isinstance(
                exc.__cause__.reason, ConnectionRefusedError
            )
            if not refused or server.process.poll() is not None or time.monotonic() > deadline:
                raise
        time.sleep(0.1)


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


@contextlib.contextmanager
def _running_server(root_dir: Path, options: tuple[str, ...] = (), python: Path | str = sys.executable):
    """A Jupyter server on 127.0.0.1 serving root_dir, run by python (this environment's
    unless told), with a random token, private Jupyter folders and the given command-line
    options; shut down and its folders removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="bro-jupyter-", ignore_cleanup_errors=True) as tmp:
        home = Path(tmp)
        token = secrets.token_hex(24)
        env = _server_env(home, token)
        stderr_path = home / "server.log"
        command = [
            str(python),
            "-m",
            "jupyter_server",
            "--no-browser",
            "--ServerApp.open_browser=False",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={_free_port()}",
            f"--ServerApp.root_dir={root_dir}",
            *options,
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
            _wait_until_listening(running)
            yield running
        finally:
            _stop(running)


@pytest.fixture(scope="module")
def server():
    """A server serving notebooks/, as `make lab` does."""
    with _running_server(NOTEBOOKS_DIR) as running:
        yield running


# --- a kernel over its websocket ---------------------------------------------------


@dataclass
class CellResult:
    """What the kernel sent back for one execute_request."""

    reply: dict = field(default_factory=dict)  # content of execute_reply
    errors: list[dict] = field(default_factory=list)  # contents of iopub error messages
    displays: list[dict] = field(default_factory=list)  # contents of display_data/execute_result
    stdout: str = ""
    outputs: list = field(default_factory=list)  # the cell's outputs, as Lab stores them in the notebook
    timing: dict = field(default_factory=dict)  # what Lab records as the cell's "execution" metadata

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

    def wait_ready(self) -> dict:
        """Block until the kernel answers a kernel_info_request (Lab waits for it too); the
        answer's content (its language_info is what Lab writes into the notebook)."""
        msg_id = self.send("shell", "kernel_info_request", {})
        for msg in self.messages(KERNEL_READY_TIMEOUT, "kernel_info_request"):
            if msg.get("parent_header", {}).get("msg_id") == msg_id and msg["msg_type"] == "kernel_info_reply":
                self.info = msg["content"]
                return self.info
        raise AssertionError("unreachable: messages() fails on timeout")

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
            if kind in ("stream", "display_data", "execute_result", "error"):
                result.outputs.append(nbformat.v4.output_from_msg(msg))
            if kind in ("status", "execute_input"):  # Lab's recordTiming labels
                label = f"status.{body.get('execution_state')}" if kind == "status" else kind
                result.timing[f"iopub.{label}"] = msg["header"]["date"]
            if kind == "execute_reply":
                result.reply, replied = body, True
                result.timing["shell.execute_reply.started"] = msg.get("metadata", {}).get("started")
                result.timing["shell.execute_reply"] = msg["header"]["date"]
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


@contextlib.contextmanager
def _kernels(server: Server):
    """make(path) -> a ready Kernel in a new session; every one is deleted afterwards."""
    made: list[Kernel] = []

    def make(path: str) -> Kernel:
        kernel = Kernel(server, path)
        made.append(kernel)
        kernel.wait_ready()
        return kernel

    try:
        yield make
    finally:
        for kernel in made:
            kernel.close()


@pytest.fixture
def kernel_for(server):
    """kernel_for(path) -> a ready Kernel for a notebook under notebooks/."""
    with _kernels(server) as make:
        yield make


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


# --- saving in Lab leaves git clean ---------------------------------------------------

# What git needs in a fresh clone to know which files to filter and which to ignore.
REPO_FILES = (".gitattributes", ".gitignore")
# What jupyterlab-widgets writes into a notebook's metadata when a notebook is saved.
WIDGET_STATE = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2, "version_minor": 0}}


def _git_env() -> dict[str, str]:
    """git without the user's or the system's configuration, as on a fresh machine."""
    env = dict(os.environ)
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0")
    return env


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env=_git_env(), capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}:\n{done.stderr}"
    return done.stdout


def _tasks():
    """tasks.py, the front door that `make lab` and `make hooks` call (standard library only)."""
    spec = importlib.util.spec_from_file_location("bro_tasks", PROJECT_ROOT / "tasks.py")
    assert spec and spec.loader, "tasks.py is missing"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _lab_options() -> tuple[str, ...]:
    """The options `python tasks.py lab` gives `jupyter lab` (a server option there is one here too)."""
    (lab,) = [command for command in _tasks().commands("lab", {}) if "lab" in command[1:2]]
    return tuple(word for word in lab if word.startswith("--"))


def _configure_filter(repo: Path) -> None:
    """The git configuration `python tasks.py notebook-filter` (and so `make lab` and `make
    hooks`) writes, run in the repository; its .venv is the environment running the tests."""
    venv = repo / ".venv"  # a folder (git ignores .venv/) of links into the running environment
    venv.mkdir()
    for entry in Path(sys.prefix).iterdir():
        (venv / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    for command in _tasks().filter_config():
        done = subprocess.run(command, cwd=repo, env=_git_env(), capture_output=True, text=True)
        assert done.returncode == 0, f"{command}:\n{done.stderr}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git behövs för att prova git-filtret för notebooks")
    return tmp_path_factory.mktemp("lab-workspace")


@pytest.fixture(scope="module")
def lab_server(workspace):
    """A server started as `make lab` (`python tasks.py lab`) starts Lab, serving the workspace, in which each test
    makes its own repository."""
    with _running_server(workspace, _lab_options()) as running:
        yield running


@pytest.fixture
def lab_kernel_for(lab_server):
    """lab_kernel_for(path) -> a ready Kernel for a path under the workspace."""
    with _kernels(lab_server) as make:
        yield make


@pytest.fixture
def lab_repo(workspace, request) -> Path:
    """A repository holding the notebooks as committed here, with the git filter set up
    as `make lab` and `make hooks` set it up."""
    repo = workspace / request.node.name.replace("[", "-").replace("]", "")
    (repo / "notebooks").mkdir(parents=True)
    for name in REPO_FILES:
        shutil.copy2(PROJECT_ROOT / name, repo / name)
    for notebook in list_notebooks(NOTEBOOKS_DIR):
        shutil.copy2(notebook, repo / "notebooks" / notebook.name)
    _git(repo, "init", "--quiet")
    _git(repo, "add", ".")  # before the filter exists: the blobs are the notebooks' bytes
    _git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "-m", "init")
    _configure_filter(repo)
    assert _git(repo, "config", "filter.nbstripout.clean"), "make notebook-filter set up no clean filter"
    assert _git(repo, "status", "--porcelain") == ""
    return repo


def _lab_metadata(server: Server, kernel: Kernel) -> dict:
    """The notebook metadata Lab writes on save: the kernel's spec, its language_info (with
    the Python version) and the widget state."""
    name = server.request("GET", f"api/kernels/{kernel.kernel_id}")["name"]
    spec = server.request("GET", "api/kernelspecs")["kernelspecs"][name]["spec"]
    kernelspec = {"display_name": spec["display_name"], "language": spec["language"], "name": name}
    return {"kernelspec": kernelspec, "language_info": kernel.info["language_info"], "widgets": WIDGET_STATE}


def _save(server: Server, path: str, notebook: dict) -> None:
    """Save the notebook as Lab does: PUT /api/contents/<path>."""
    server.request("PUT", f"api/contents/{path}", {"type": "notebook", "format": "json", "content": notebook})


def _assert_git_clean(repo: Path) -> None:
    status = _git(repo, "status", "--porcelain")
    diff = _git(repo, "diff")
    assert status == "" and diff == "", f"git status --porcelain:\n{status}\ngit diff:\n{diff[:3000]}"


def test_saving_an_executed_notebook_in_lab_leaves_git_clean(lab_server, lab_kernel_for, lab_repo):
    """Run 10_nki in a kernel the server started, store every output, execution count and
    timing, the kernel's metadata and the widget state as Lab does, save it through the
    contents API: git shows nothing, neither in `git status` nor in `git diff`."""
    path = f"{lab_repo.name}/notebooks/10_nki.ipynb"
    notebook = lab_server.request("GET", f"api/contents/{path}?content=1")["content"]
    kernel = lab_kernel_for(path)
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        result = kernel.execute(cell["source"])
        if result.failed:
            pytest.fail(f"10_nki, cell {index} failed:\n{_head(cell['source'])}\n\n{result.error_text()}")
        cell["outputs"] = result.outputs
        cell["execution_count"] = result.reply["execution_count"]
        cell["metadata"]["execution"] = result.timing
    notebook["metadata"].update(_lab_metadata(lab_server, kernel))
    _save(lab_server, path, notebook)

    saved = json.loads((lab_repo / "notebooks" / "10_nki.ipynb").read_text(encoding="utf-8"))
    assert saved["metadata"]["language_info"]["version"], "the saved notebook has no Python version"
    assert any(cell.get("outputs") for cell in saved["cells"]), "the saved notebook has no outputs"
    _assert_git_clean(lab_repo)


def _run_as_lab_does(notebook: dict) -> list[dict]:
    """Each code cell given an output and its execution count, as a run in Lab leaves them;
    returns the code cells."""
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    for count, cell in enumerate(cells, start=1):
        cell["outputs"] = [nbformat.v4.new_output("stream", name="stdout", text="klart\n")]
        cell["execution_count"] = count
    return cells


def test_saving_every_notebook_with_what_lab_and_papermill_add_leaves_git_clean(lab_server, lab_kernel_for, lab_repo):
    """Every notebook, with outputs, execution counts and timings in its code cells and the
    metadata Lab and papermill add, saved through the contents API: git shows nothing."""
    kernel = lab_kernel_for(f"{lab_repo.name}/notebooks/metadata-check.ipynb")  # a session only: no file is made
    metadata = _lab_metadata(lab_server, kernel)
    stamp = "2026-01-01T00:00:00.000000Z"
    for notebook_path in list_notebooks(lab_repo / "notebooks"):
        path = f"{lab_repo.name}/notebooks/{notebook_path.name}"
        notebook = lab_server.request("GET", f"api/contents/{path}?content=1")["content"]
        for cell in _run_as_lab_does(notebook):
            cell["metadata"]["execution"] = {"iopub.status.busy": stamp, "shell.execute_reply": stamp}
            cell["metadata"]["scrolled"] = True
            cell["metadata"]["papermill"] = {"duration": 0.1, "exception": False, "status": "completed"}
        notebook["metadata"].update(metadata, papermill={"duration": 1.0, "parameters": {"period": "2025"}})
        _save(lab_server, path, notebook)
    _assert_git_clean(lab_repo)


@pytest.fixture(scope="module")
def plain_python(tmp_path_factory) -> Path:
    """The python of an environment that `python tasks.py lab` (or `hooks`, `notebook-filter`)
    has set up: a fresh venv that sees this environment's packages, holding the Jupyter
    configuration tasks.py writes into its prefix, as it does into .venv or a conda env."""
    venv = tmp_path_factory.mktemp("plain-env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, capture_output=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    # this environment's packages, and its .pth files (the editable bro_analysis among them)
    line = f"import site; site.addsitedir({sysconfig.get_path('purelib')!r})\n"
    Path(purelib, "environment.pth").write_text(line, encoding="utf-8")
    written = _tasks().write_jupyter_config(venv)
    assert written == venv / "etc" / "jupyter" / "jupyter_server_config.d" / "bro_analysis.json", written
    return python


@pytest.fixture(scope="module")
def plain_server(workspace, plain_python):
    """A server started the plain way (`jupyter lab`, `uv run jupyter lab`, conda): no option
    on the command line, so only the environment's configuration names the hook."""
    with _running_server(workspace, python=plain_python) as running:
        yield running


def test_saving_in_a_server_started_without_options_leaves_git_clean(plain_server, lab_repo):
    """Every notebook saved with outputs, execution counts and Lab's metadata through the
    contents API of a server started without LAB_OPTIONS: git shows nothing."""
    language_info = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    for notebook_path in list_notebooks(lab_repo / "notebooks"):
        path = f"{lab_repo.name}/notebooks/{notebook_path.name}"
        notebook = plain_server.request("GET", f"api/contents/{path}?content=1")["content"]
        _run_as_lab_does(notebook)
        notebook["metadata"].update(language_info=language_info, widgets=WIDGET_STATE)
        _save(plain_server, path, notebook)
    saved = nbformat.read(lab_repo / "notebooks" / "10_nki.ipynb", as_version=4)
    assert any(cell.get("outputs") for cell in saved.cells), "the saved notebook has no outputs"
    _assert_git_clean(lab_repo)


def _repo_with_notebook(folder: Path) -> Path:
    """A repository with 10_nki committed and the nbstripout filter of this environment."""
    repo = folder / "repo"
    (repo / "notebooks").mkdir(parents=True)
    for name in REPO_FILES:
        shutil.copy2(PROJECT_ROOT / name, repo / name)
    shutil.copy2(NOTEBOOKS_DIR / "10_nki.ipynb", repo / "notebooks" / "10_nki.ipynb")
    _git(repo, "init", "--quiet")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "-m", "init")
    _git(repo, "config", "filter.nbstripout.clean", f"{shlex.quote(sys.executable)} -m nbstripout --keep-id")
    _git(repo, "config", "filter.nbstripout.smudge", "cat")
    return repo


def _rewrite(path: Path, change) -> None:
    notebook = nbformat.read(path, as_version=4)
    change(notebook)
    nbformat.write(notebook, path)


def _with_outputs(notebook) -> None:
    for count, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), start=1):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="klart\n")]
        cell.execution_count = count


def test_the_save_hook_clears_what_only_outputs_changed_and_keeps_real_changes(tmp_path, monkeypatch):
    """Without the hook git lists a notebook whose outputs alone changed; after it, git lists
    nothing and stages nothing. A changed cell is still listed, and shown by git diff."""
    if shutil.which("git") is None:
        pytest.skip("git behövs")
    for name in ("GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(name, _git_env()[name])  # the hook's git, too, on a fresh machine
    repo = _repo_with_notebook(tmp_path)
    notebook = repo / "notebooks" / "10_nki.ipynb"
    model = {"type": "notebook", "path": "notebooks/10_nki.ipynb"}

    _rewrite(notebook, _with_outputs)
    assert _git(repo, "status", "--porcelain") == " M notebooks/10_nki.ipynb\n"  # git's size check
    refresh_git_index(model=model, os_path=str(notebook), contents_manager=None)
    assert _git(repo, "status", "--porcelain") == ""
    assert _git(repo, "diff", "--cached") == ""

    _rewrite(notebook, lambda nb: nb.cells.append(nbformat.v4.new_code_cell("x = 1")))
    refresh_git_index(model=model, os_path=str(notebook), contents_manager=None)
    assert _git(repo, "status", "--porcelain") == " M notebooks/10_nki.ipynb\n"
    assert "x = 1" in _git(repo, "diff")

    untracked = repo / "notebooks" / "egen.ipynb"
    shutil.copy2(notebook, untracked)
    refresh_git_index(model=model, os_path=str(untracked), contents_manager=None)  # nothing to do, no error
    assert _git(repo, "diff", "--cached") == ""


def test_the_save_hook_does_nothing_outside_git_or_without_a_clean_filter(tmp_path, monkeypatch):
    """The hook runs for every Jupyter server of the environment: outside a repository, or in
    one whose notebooks git does not filter, it leaves git's index as it is (with the filter,
    as a check of the check, it does write the entry back)."""
    if shutil.which("git") is None:
        pytest.skip("git behövs")
    for name in ("GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(name, _git_env()[name])
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    model = {"type": "notebook", "path": "notebooks/10_nki.ipynb"}
    outside = tmp_path / "utanför" / "10_nki.ipynb"
    outside.parent.mkdir()
    shutil.copy2(NOTEBOOKS_DIR / "10_nki.ipynb", outside)
    refresh_git_index(model=model, os_path=str(outside), contents_manager=None)  # no error

    repo = _repo_with_notebook(tmp_path)
    notebook = repo / "notebooks" / "10_nki.ipynb"
    _rewrite(notebook, _with_outputs)

    def entry() -> str:
        return _git(repo, "ls-files", "--debug", "--", "notebooks/10_nki.ipynb")

    _git(repo, "config", "--unset", "filter.nbstripout.clean")
    before = entry()
    refresh_git_index(model=model, os_path=str(notebook), contents_manager=None)
    assert entry() == before
    _git(repo, "config", "filter.nbstripout.clean", f"{shlex.quote(sys.executable)} -m nbstripout --keep-id")
    refresh_git_index(model=model, os_path=str(notebook), contents_manager=None)
    assert entry() != before


def test_the_extension_registers_the_hook_once_even_when_the_command_line_named_it():
    """`make lab` names the hook on the command line and the environment's configuration
    loads the extension too: the hook runs once after a save, not twice."""

    class Contents:
        def __init__(self, hook):
            self.post_save_hook, self.registered = hook, []

        def register_post_save_hook(self, hook):
            self.registered.append(hook)

    for named, expected in ((None, [refresh_git_index]), (refresh_git_index, [])):
        contents = Contents(named)
        lab._load_jupyter_server_extension(SimpleNamespace(contents_manager=contents))
        assert contents.registered == expected
    assert lab._jupyter_server_extension_points() == [{"module": "bro_analysis.running.lab"}]
