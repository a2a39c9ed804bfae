"""Warm kernels for grading: fork each submission's kernel from a template process.

A Python kernel spends most of a small submission's grading time starting: the interpreter,
then ``ipykernel``, ``numpy``, ``pandas`` and darktrail's world generator are imported before
the first cell runs. A *kernel template* is a process that has imported them once and forks a
fresh kernel per submission, so every trainee still gets a process of their own (own memory,
own ``DARKTRAIL_TRAINEE``, own working folder) without paying for the imports again.

How it plugs into nbgrader: :class:`TemplateExecute` is nbgrader's ``Execute`` preprocessor
with a kernel manager whose kernel command is a tiny stand-in process. The stand-in asks the
template (over a Unix socket) to fork a kernel with its own arguments, environment and folder,
forwards interrupts and termination to it, and exits when the kernel does; the kernel exits
when the stand-in is killed. So nbgrader's timeouts, interrupts and dead-kernel detection work
as with an ordinary kernel.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute
from traitlets import Unicode

__all__ = [
    "KERNEL_MODULES",
    "KernelTemplate",
    "TemplateExecute",
    "TemplateKernelManager",
    "notebook_imports",
]

#: Modules every kernel imports while it starts; the template imports them once.
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "IPython.core.completer",
    "jedi",
    "debugpy",
)
#: Never preloaded: these fix settings from the kernel's environment when imported.
_NOT_PRELOADED = ("matplotlib", "pylab")

# The stand-in kernel process (stdlib only, run with ``python -S -c``).
_STAND_IN = r"""
import json, os, signal, socket, sys, time
link = socket.socket(socket.AF_UNIX)
link.connect(sys.argv[1])
request = {"argv": sys.argv[2:], "env": dict(os.environ), "cwd": os.getcwd(), "watch": os.getpid()}
link.sendall(json.dumps(request).encode() + b"\n")
pid = int(link.makefile().readline())
def forward(signum, frame):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
    signal.signal(signum, forward)
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(0)
    time.sleep(0.05)
"""


def _answers(path: str) -> bool:
    """Whether a template listens on the socket ``path`` (it ignores the empty request)."""
    if not os.path.exists(path):
        return False
    probe = socket.socket(socket.AF_UNIX)
    try:
        probe.connect(path)
    except OSError:
        return False
    finally:
        probe.close()
    return True


class TemplateKernelManager(AsyncKernelManager):
    """Starts IPython kernels through a kernel template when ``template`` names its socket."""

    template = Unicode("", help="Unix socket of a kernel template ('' for ordinary kernels)").tag(
        config=True
    )

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        # Until the template is ready (or if it is gone), kernels start the ordinary way.
        if self.template and cmd[1:3] == ["-m", "ipykernel_launcher"] and _answers(self.template):
            return [cmd[0], "-S", "-c", _STAND_IN, self.template, *cmd[3:]]
        return cmd


class TemplateExecute(Execute):
    """nbgrader's ``Execute``, with kernels forked from the template at ``template``."""

    template = Unicode("", help="Unix socket of a kernel template").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = TemplateKernelManager
        super().__init__(*args, **kwargs)

    def create_kernel_manager(self):
        manager = super().create_kernel_manager()
        manager.template = self.template
        return manager


def notebook_imports(paths: list[Path]) -> list[str]:
    """The absolute modules the code cells of some notebooks import (for the template).

    Examples
    --------
    >>> import nbformat, tempfile
    >>> notebook = nbformat.v4.new_notebook()
    >>> notebook.cells = [nbformat.v4.new_code_cell("import pandas as pd\\nfrom os import path")]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nbformat.write(notebook, f"{tmp}/a.ipynb")
    ...     notebook_imports([Path(tmp) / "a.ipynb"])
    ['os', 'pandas']
    """
    import ast

    import nbformat

    found = set()
    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:  # IPython magics, or a trainee's typo
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
    return sorted(m for m in found if m.split(".")[0] not in _NOT_PRELOADED)


class KernelTemplate:
    """A running kernel template: ``start()``, use ``socket``, then ``stop()``.

    ``preload`` names modules to import besides :data:`KERNEL_MODULES` (those the graded
    notebooks import); a module that fails to import is left to the kernel.
    """

    def __init__(self, preload: list[str] | tuple[str, ...] = ()):
        self.folder = Path(tempfile.mkdtemp(prefix="darktrail-kernels-"))
        self.socket = str(self.folder / "template.sock")
        self.preload = [*KERNEL_MODULES, *preload]
        self.process: subprocess.Popen | None = None

    def start(self, wait: float = 60.0) -> KernelTemplate:
        """Start the template; wait up to ``wait`` seconds for it (kernels wait for it too)."""
        env = dict(os.environ)
        # Thread pools started at import would not survive a fork.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(name, "1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "darktrail.course.kernels", self.socket, *self.preload],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + wait
        while wait and not os.path.exists(self.socket):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the kernel template did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        with contextlib.suppress(OSError):
            os.unlink(self.socket)
        with contextlib.suppress(OSError):
            self.folder.rmdir()


def _watch(pid: int) -> None:
    """End this kernel when its stand-in is gone (killed by the kernel manager)."""
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(1)
        time.sleep(0.2)


def _become_kernel(request: dict) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # A parent handle marks the kernel as started by a manager (no console banner); the
    # watchdog below, not ipykernel's parent poller, ends it when the stand-in goes.
    # Only errors from the kernel application itself: its warning about plain TCP on the
    # loopback interface would repeat once per submission.
    sys.argv = [
        "ipykernel_launcher",
        *request["argv"],
        f"--IPKernelApp.parent_handle={request['watch']}",
        "--IPKernelApp.log_level=ERROR",
    ]
    sys.path[0] = request["cwd"]
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    threading.Thread(target=_watch, args=(request["watch"],), daemon=True).start()
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance()
    finally:
        os._exit(0)


def serve(path: str, preload: list[str]) -> None:
    """Import ``preload``, then fork a kernel for every request on the socket ``path``."""
    import importlib

    for name in preload:
        with contextlib.suppress(Exception):  # the kernel will meet any failure itself
            importlib.import_module(name)
    parent = os.getppid()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped automatically
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path + ".new")
    os.rename(path + ".new", path)  # the socket appears only when it is ready
    listener.listen(16)
    listener.settimeout(1.0)
    try:
        _fork_kernels(listener, parent)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _fork_kernels(listener: socket.socket, parent: int) -> None:
    while os.getppid() == parent:
        try:
            link, _ = listener.accept()
        except TimeoutError:
            continue
        link.settimeout(10)
        try:
            request = json.loads(link.makefile().readline())
        except (OSError, ValueError):
            link.close()
            continue
        pid = os.fork()
        if pid == 0:
            try:
                listener.close()
                link.close()
                _become_kernel(request)
            finally:
                os._exit(1)  # a kernel that failed to start never returns to serving
        with contextlib.suppress(OSError):
            link.sendall(f"{pid}\n".encode())
        link.close()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
