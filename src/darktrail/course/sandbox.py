"""The grading sandbox: a submission's kernel sees its own working copy and nothing else.

A submission is code, and while it is autograded it runs on the instructor's machine. Every
grading kernel is therefore started through :class:`SandboxProvisioner`, a jupyter_client
kernel provisioner, inside `bubblewrap <https://github.com/containers/bubblewrap>`_ (Debian's
``bubblewrap``: no daemon, no root needed, the sandbox of Flatpak):

- **no network**: its own network namespace (it talks to the grader over IPC sockets in a
  folder of its own, not TCP);
- **read-only system**: ``/`` is mounted read-only, the Python environment included, so
  nothing it does outlives its run (no edited package, no start-up file);
- **hidden**: the course root (gradebook, locker, sources, other submissions), the exercise
  sources with their answer files, the instructor's home and ``/tmp`` are empty folders
  inside; only the submission's working copy is writable;
- **its own everything else**: process, IPC, UTS and user namespaces; a cleared environment
  with its own ``HOME``; when the grader is root, a uid of its own that owns nothing on the
  machine (so ``/etc/shadow`` and other root-only files stay closed, and the process limit
  counts this kernel alone);
- **limits**: memory, CPU time, open files, processes and file size (``prlimit``), each a
  setting of :class:`Sandbox` in ``grading/nbgrader_config.py``.

Why a provisioner: it is jupyter_client's own extension point for how a kernel process is
launched, so nbgrader's ``Execute`` (the formgrader's button, plain ``nbgrader autograde``
and ``darktrail grade``) keeps its timeouts, interrupts and dead-kernel handling unchanged.
``c.Execute.kernel_manager_class`` selects :class:`SandboxedKernelManager`, whose kernels
name this provisioner; the trainee's own lab kernels are not touched.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import secrets
import shutil
import signal
import site
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import LimitOutput
from traitlets import Bool, Int, List, Unicode
from traitlets.config import Configurable

__all__ = [
    "PROVISIONER",
    "LimitOutputSize",
    "Sandbox",
    "SandboxError",
    "SandboxProvisioner",
    "SandboxedKernelManager",
    "end_orphaned_sandboxes",
    "sandbox_command",
]

#: The provisioner's entry-point name (``pyproject.toml``).
PROVISIONER = "darktrail-sandbox"


class SandboxError(RuntimeError):
    """The sandbox cannot be set up; the message says what is missing."""


class Sandbox(Configurable):
    """Settings of the grading sandbox (``c.Sandbox.*`` in ``grading/nbgrader_config.py``)."""

    memory_mb = Int(2048, help="Address space of a kernel, in MiB").tag(config=True)
    cpu_seconds = Int(900, help="CPU time of a kernel, in seconds").tag(config=True)
    open_files = Int(256, help="Open files of a kernel").tag(config=True)
    processes = Int(128, help="Processes and threads of one kernel").tag(config=True)
    file_size_mb = Int(64, help="Largest file a kernel may write, in MiB").tag(config=True)
    first_uid = Int(
        200_000, help="Grading as root, each kernel runs as its own unused uid from here on"
    ).tag(config=True)
    uids = Int(100_000, help="How many uids, from first_uid, kernels may be given").tag(config=True)
    hidden = List(Unicode(), help="More folders that kernels must not see").tag(config=True)
    course_root = Unicode(help="The nbgrader course root (hidden from kernels)").tag(config=True)
    exercises = Unicode(help="The exercise sources with their answers (hidden)").tag(config=True)
    network = Bool(False, help="Give kernels the network (never in a classroom)").tag(config=True)
    language = Unicode(
        "en", help="The course language, told to kernels (DARKTRAIL_LANG) for their messages"
    ).tag(config=True)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SandboxError(
            f"grading needs '{name}' to sandbox submissions, and it is not installed: "
            "apt-get install bubblewrap util-linux (make test's CI script does this)"
        )
    return path


def _visible_python() -> list[Path]:
    """Folders the kernel must read to run Python and darktrail (mounted read-only)."""
    import darktrail

    folders = {Path(sys.prefix), Path(sys.base_prefix), Path(darktrail.__file__).parents[1]}
    folders |= {Path(p) for p in site.getsitepackages()}
    return sorted(p.resolve() for p in folders if p.exists())


def sandbox_command(
    cmd: list[str], workdir: Path, ipc_dir: Path, settings: Sandbox, uid: int | None
) -> list[str]:
    """``cmd`` wrapped in prlimit and bubblewrap as :mod:`this module <.sandbox>` describes."""
    workdir, ipc_dir = Path(workdir).resolve(), Path(ipc_dir).resolve()
    hidden = [Path.home(), Path(tempfile.gettempdir()), Path("/run"), Path("/var/tmp")]
    hidden += [Path(p) for p in (settings.course_root, settings.exercises, *settings.hidden) if p]
    if settings.exercises:
        hidden.append(Path(settings.exercises).parent)  # the checkout: sources, tests, answers
    hidden = sorted({p.resolve() for p in hidden if p.exists()}, key=lambda p: len(p.parts))
    wrapped = [
        _tool("prlimit"),
        f"--as={settings.memory_mb << 20}",
        f"--cpu={settings.cpu_seconds}",
        f"--nofile={settings.open_files}",
        f"--fsize={settings.file_size_mb << 20}",
    ]
    if uid is not None:
        wrapped.append(f"--nproc={settings.processes}")
    wrapped += [_tool("bwrap"), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    scratch = Path(tempfile.gettempdir()).resolve()
    for folder in hidden:
        if folder != Path("/"):
            # The kernel's own scratch (and home) is an empty /tmp that anyone may write.
            wrapped += ["--perms", "1777"] if folder == scratch else []
            wrapped += ["--tmpfs", str(folder)]
    shown = [("--ro-bind", p) for p in _visible_python()]
    shown += [("--bind", workdir), ("--bind", ipc_dir)]
    made: set[Path] = set()
    for how, folder in shown:
        # bubblewrap makes missing parents of a mount point owner-only; make them passable.
        for parent in reversed(folder.parents):
            if parent not in made and any(h == parent or h in parent.parents for h in hidden):
                wrapped += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        wrapped += [how, str(folder), str(folder)]
    if uid is None:  # an ordinary user: bubblewrap makes a user namespace of its own
        wrapped += ["--unshare-all"] + ([] if not settings.network else ["--share-net"])
    else:  # root: the mounts are made as root, then the kernel drops to the sandbox user
        wrapped += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
        wrapped += [] if settings.network else ["--unshare-net"]
    wrapped += ["--die-with-parent", "--chdir", str(workdir)]
    home = str(scratch)
    wrapped.append("--clearenv")
    env = {
        "HOME": home,
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "IPYTHONDIR": f"{home}/.ipython",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONDONTWRITEBYTECODE": "1",
        "USER": "trainee",
        "LOGNAME": "trainee",
        "DARKTRAIL_LANG": settings.language,
    }
    for name in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING"):
        if name in os.environ:
            env[name] = os.environ[name]
    for name, value in env.items():
        wrapped += ["--setenv", name, value]
    wrapped.append("--")
    if uid is not None:
        wrapped += [_tool("setpriv"), f"--reuid={uid}", f"--regid={_GID}", "--clear-groups"]
        wrapped += ["--inh-caps=-all", "--bounding-set=-all", "--"]
    return [*wrapped, *cmd]


#: The group of sandboxed kernels (``nogroup``: owns nothing).
_GID = 65534


def _sandbox_uid(settings: Sandbox) -> int | None:
    """The uid a kernel runs as: a fresh one when grading as root, else the grader's own."""
    if os.geteuid() != 0:
        return None
    while True:
        uid = settings.first_uid + secrets.randbelow(settings.uids)
        try:
            pwd.getpwuid(uid)  # a uid somebody has is never used
        except KeyError:
            return uid


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (from /proc), nearest first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(0), []):
            found.append(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _give(path: Path, uid: int | None) -> None:
    if uid is None:
        return
    gid = _GID
    for item in (path, *path.rglob("*")):
        os.chown(item, uid, gid, follow_symlinks=False)


_PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here: the child must not load anything


def _dies_with(parent: int):
    """What the kernel's launcher runs between fork and exec: it is killed when ``parent``
    (the grading process) dies. bubblewrap's ``--die-with-parent`` ends the sandbox with
    bubblewrap, but bubblewrap outlived a grading worker killed under it (kill -9, the
    out-of-memory killer) and kept the kernel running for good. Set before exec (prlimit and
    bubblewrap run in this process), with the parent checked after, so a worker that dies
    while launching leaves nothing behind either."""

    def preexec() -> None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def end_orphaned_sandboxes(workdir: Path) -> list[int]:
    """Kill the sandboxes left running in ``workdir`` by a grading process that died.

    bubblewrap's ``--die-with-parent`` and :func:`_dies_with` end a sandbox with its grader,
    but a grader killed while bubblewrap was still setting up can leave the sandbox's own
    init process running, its parent gone. Only such orphans (their parent is init) of this
    working copy are killed, never a sandbox another live grader started. Returns their pids.
    """
    marker = f"--chdir\0{Path(workdir).resolve()}\0".encode()
    killed = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            status = (entry / "status").read_text()
        except OSError:
            continue
        orphan = any(line.split() == ["PPid:", "1"] for line in status.splitlines())
        if orphan and marker in command and command.startswith(_tool("bwrap").encode()):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except ProcessLookupError:
                pass
    return killed


class SandboxProvisioner(LocalProvisioner):
    """A local kernel launched inside the grading sandbox, over IPC sockets."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        settings = Sandbox(parent=km)
        uid = _sandbox_uid(settings)
        self._ipc_dir = Path(tempfile.mkdtemp(prefix="darktrail-kernel-"))
        km.transport = "ipc"
        km.cache_ports = False
        km.connection_file = str(self._ipc_dir / "kernel.json")
        km.ip = str(self._ipc_dir / "kernel-ipc")
        kwargs = await super().pre_launch(**kwargs)
        workdir = Path(kwargs.get("cwd") or os.getcwd())
        self._workdir, self._uid = workdir, uid
        _give(self._ipc_dir, uid)
        _give(workdir, uid)
        kwargs["cmd"] = sandbox_command(kwargs["cmd"], workdir, self._ipc_dir, settings, uid)
        # The kernel prints its connection banner to stdout (it sees no parent process in its
        # own process namespace); one per graded submission would bury the grader's output.
        # Its errors still go to stderr.
        kwargs["stdout"] = subprocess.DEVNULL
        kwargs["preexec_fn"] = _dies_with(os.getpid())
        return kwargs

    async def send_signal(self, signum: int) -> None:
        """Interrupts go to the kernel itself: bubblewrap would die of a SIGINT, and the
        kernel with it (a timed-out cell would read as a dead kernel)."""
        if signum != signal.SIGINT or self.process is None:
            return await super().send_signal(signum)
        kernels = [p for p in _descendants(self.process.pid) if b"ipykernel" in _cmdline(p)]
        for pid in kernels:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass
        if not kernels:
            await super().send_signal(signum)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        if restart:
            return
        if getattr(self, "_uid", None) is not None:
            # Hand the working copy back to the grader (it made its files as the sandbox user).
            owner = os.stat(self._workdir.parent)
            for item in (self._workdir, *self._workdir.rglob("*")):
                os.chown(item, owner.st_uid, owner.st_gid, follow_symlinks=False)
        shutil.rmtree(getattr(self, "_ipc_dir", ""), ignore_errors=True)


class SandboxedKernelManager(AsyncKernelManager):
    """nbgrader's kernel manager for grading: every kernel it starts while autograding is
    sandboxed. nbgrader's Validate (the trainee's button, ``nbgrader validate``) uses the same
    course config; its kernels are the trainee's own, run as the trainee with the trainee's
    evidence, so they stay ordinary: nothing in them decides a grade."""

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None and os.environ.get("NBGRADER_EXECUTION") == "autograde":
            spec.metadata = {
                **spec.metadata,
                "kernel_provisioner": {"provisioner_name": PROVISIONER},
            }
        return spec


class LimitOutputSize(LimitOutput):
    """nbgrader's ``LimitOutput`` (lines) plus a cap on the characters a cell's outputs keep.

    A submission that prints 50 MB on one line passes a line limit; this keeps each cell's
    outputs under ``max_chars`` characters (text) and ``max_data`` bytes (images, HTML...).
    """

    max_chars = Int(100_000, help="Characters of text output kept per cell").tag(config=True)
    max_data = Int(2_000_000, help="Bytes of rich output (images...) kept per cell").tag(
        config=True
    )

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type != "code":
            return cell, resources
        chars = data = 0
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                room = self.max_chars - chars
                if room <= 0:
                    continue
                if len(output.text) > room:
                    output.text = output.text[:room] + "\n... Output truncated ...\n"
                chars += len(output.text)
            elif "data" in output:
                size = sum(len(str(v)) for v in output.data.values())
                if data + size > self.max_data:
                    continue
                data += size
            kept.append(output)
        cell.outputs = kept
        return cell, resources
