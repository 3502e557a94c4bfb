"""Build state: the one place anything the generator keeps between runs is written and read back.

A checkout is what a pull request brings, so nothing a build keeps lives in it.
Every kept thing (the generated pages MkDocs reads, each page's finished HTML,
the search index) goes under one cache root outside the working tree
(`cache_root`): the platform's user cache folder, in a sub-folder per checkout,
keyed by the project's absolute path, so that two checkouts, two `mkdocs serve`
and parallel test workers never share or clean each other's entries. The
environment variable `BRIEFINGS_CACHE_DIR`, else the plugin option `cache_dir`,
moves the root (the sub-folder per checkout is still made under it).

Under the root, each kind of kept thing is a `Store`: a folder of files this
module wrote, listed in the folder's manifest with each file's SHA-256. One
manifest format and one rule for every store:

- an entry is used only if the manifest lists it, it is a regular file reached
  without following any symbolic link, and its bytes have the digest recorded;
  anything else (truncated, altered, foreign, a link) is not used, the caller
  makes it again, and one log line says so;
- nothing is ever written or deleted through a link: every folder on the way is
  opened with `O_NOFOLLOW` from the store's own folder, files are written to a
  temporary name and renamed into place, and a link where a folder should be is
  removed (in the cache) or refused (in a folder a user gave);
- only files the manifest lists are ever deleted;
- nothing read back is unpickled, unmarshalled or run: entries are text or the
  bytes of a search index, copied as they are.

`briefing render --out` writes through the same `Store` in its strict mode: there a
file that the manifest does not list, or whose bytes are not those written, is
a person's, and the folder is refused with nothing written or deleted.

Files tracked by git under `.cache/`, `site/` or the cache root are build state
someone committed (a planted page, a planted index): `tracked_build_state` lists
them, `briefing check` reports each as an error and the plugin stops the build.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import stat
import subprocess
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

log = logging.getLogger("mkdocs.plugins.briefings")

#: The environment variable that moves the cache root (a folder; a sub-folder per checkout is made in it).
ENV_VAR = "BRIEFINGS_CACHE_DIR"
#: The file in a store's folder that lists what was written there, with each file's SHA-256.
MANIFEST = ".briefings-manifest"
#: The first line of a manifest of this format.
_HEADER = "# briefings manifest 2: sha256 path"
#: A manifest line: the digest, one space, the path.
_LINE = re.compile(r"([0-9a-f]{64}) (.+)")
#: Folders of a checkout that hold build output, never anything to commit.
BUILD_FOLDERS = (".cache", "site")

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class CacheError(Exception):
    """A folder that cannot be written as asked, with nothing written or deleted; the message says why."""


def default_base() -> Path:
    """The platform's user cache folder for briefings (`~/.cache/briefings` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefings", appauthor=False))


def cache_root(project: Path, configured: str | None = None) -> Path:
    """The cache root of the project at `project`: `$BRIEFINGS_CACHE_DIR`, else `configured` (relative to
    the project), else the platform's user cache folder; in each, a sub-folder named after the project's
    folder and a digest of its absolute path."""
    project = project.absolute()
    chosen = os.environ.get(ENV_VAR) or configured
    base = (project / os.path.expanduser(chosen)) if chosen else default_base()
    digest = hashlib.sha256(os.fsencode(str(project))).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", project.name).strip("._")[:40] or "project"
    return Path(os.path.abspath(base)) / f"{name}-{digest}"


def trusted_base(folder: Path, project: Path) -> Path:
    """The folder above `folder` taken as it is: the project when `folder` is inside it (so that a link a
    commit brings on the way is never followed), else the folder's parent (the user's cache folder)."""
    folder, project = Path(os.path.abspath(folder)), Path(os.path.abspath(project))
    return project if folder.is_relative_to(project) and folder != project else folder.parent


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked_relative(relative: str) -> tuple[str, ...]:
    """The parts of a path inside a store, or CacheError for one that could leave it."""
    pure = PurePosixPath(relative)
    parts = pure.parts
    if (
        not relative
        or pure.is_absolute()
        or "\\" in relative
        or "\0" in relative
        or any(part in ("", ".", "..") for part in relative.split("/"))
        or not parts
        or parts[-1] == MANIFEST
        or (parts[-1].startswith(".") and parts[-1].endswith(".tmp"))
    ):
        raise CacheError(f"refusing to write {relative!r}: not a plain path inside the folder, or outside it")
    return parts


@dataclass
class Written:
    """What `Store.sync` did."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


class Store:
    """A folder of files this program wrote, listed in its manifest with each file's SHA-256.

    `strict=False` (the cache): anything in the folder that is not as the manifest says is
    not used and is replaced when written; files nobody listed are left alone.
    `strict=True` (a folder a user gave, `briefing render --out`): a file the manifest does
    not list, one whose bytes are not those written, or a link anywhere, refuses the folder
    before anything is written or deleted.
    """

    def __init__(self, folder: Path, *, strict: bool = False, name: str = "", base: Path | None = None) -> None:
        self.folder = Path(folder)
        #: The folder above it that is trusted as it is (the user's cache folder, the project): every folder
        #: from there down to the store's is opened without following a link.
        self.base = Path(os.path.abspath(base if base is not None else self.folder.absolute().parent))
        self._below = Path(os.path.abspath(self.folder)).relative_to(self.base).parts
        self.strict = strict
        self.name = name or self.folder.name
        self._entries: dict[str, str] | None = None
        self._complained = False
        #: Entries read and found as written, or written, by this object: not read again to be compared.
        self._verified: set[str] = set()

    # --- the manifest ---------------------------------------------------------

    @property
    def entries(self) -> dict[str, str]:
        """The manifest: each path written, with the SHA-256 of its bytes (empty for a manifest of the
        format before digests, whose files are then used by nothing and only overwritten or deleted)."""
        if self._entries is None:
            self._entries = self._read_manifest()
        return self._entries

    def _read_manifest(self) -> dict[str, str]:
        try:
            data = self._read_bytes((MANIFEST,))
        except FileNotFoundError:
            return {}
        except OSError as exc:
            return self._bad_manifest(f"cannot be read ({exc.strerror or exc})")
        try:
            lines = data.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            return self._bad_manifest("is not UTF-8")
        entries: dict[str, str] = {}
        if lines and lines[0] == _HEADER:
            for number, line in enumerate(lines[1:], start=2):
                match = _LINE.fullmatch(line)
                if match is None or not self._plain(match[2]):
                    return self._bad_manifest(f"line {number} is not `<sha256> <path>`")
                entries[match[2]] = match[1]
            return entries
        # The format before digests: one path a line. Its files may be replaced or deleted, never used.
        for number, line in enumerate(lines, start=1):
            if not self._plain(line):
                return self._bad_manifest(f"line {number} is not a plain path inside the folder")
            entries[line] = ""
        return entries

    @staticmethod
    def _plain(relative: str) -> bool:
        try:
            _checked_relative(relative)
        except CacheError:
            return False
        return True

    def _bad_manifest(self, why: str) -> dict[str, str]:
        if self.strict:
            raise CacheError(f"{self.folder / MANIFEST} {why}; nothing was written")
        log.info("briefings: the cache's %s manifest %s: its entries are made again", self.name, why)
        return {}

    def save(self) -> None:
        """Write the manifest, when it changed."""
        body = "".join(f"{digest} {path}\n" for path, digest in sorted(self.entries.items()) if digest)
        data = f"{_HEADER}\n{body}".encode()
        try:
            if self._read_bytes((MANIFEST,)) == data:
                return
        except OSError:
            pass
        self._write((MANIFEST,), data)

    # --- reading ----------------------------------------------------------------

    def read(self, relative: str) -> bytes | None:
        """The bytes of an entry, if the manifest lists it, it is a regular file reached through no link,
        and its digest is the one recorded; else None (with one log line for the store)."""
        found = self._usable(relative)
        if found is None:
            return None
        self._verified.add(relative)
        return found[0]

    def _usable(self, relative: str) -> tuple[bytes, os.stat_result] | None:
        """An entry's bytes and what fstat said of the file read, if the manifest lists it, it is a regular
        file reached through no link, and its digest is the one recorded; else None (with one log line)."""
        recorded = self.entries.get(relative)
        if not recorded:
            return None
        try:
            data, info = self._read_file(_checked_relative(relative))
        except (OSError, CacheError) as exc:
            self._unusable(relative, str(getattr(exc, "strerror", None) or exc))
            return None
        if digest_of(data) != recorded:
            self._unusable(relative, "its bytes are not those written")
            return None
        return data, info

    def read_text(self, relative: str) -> str | None:
        data = self.read(relative)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def _unusable(self, relative: str, why: str) -> None:
        if not self._complained:
            log.info("briefings: the cache's %s entry %s is not used (%s): made again", self.name, relative, why)
            self._complained = True

    def _read_bytes(self, parts: tuple[str, ...]) -> bytes:
        return self._read_file(parts)[0]

    def _read_file(self, parts: tuple[str, ...]) -> tuple[bytes, os.stat_result]:
        """A regular file's bytes, reached through no link, and what fstat said of the file read."""
        with self._folder_fd(parts[:-1], create=False) as folder:
            fd = os.open(parts[-1], _READ_FLAGS | os.O_NONBLOCK, dir_fd=folder)
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    raise OSError(errno.EINVAL, "not a regular file")
                chunks = []
                while chunk := os.read(fd, 1 << 20):
                    chunks.append(chunk)
                return b"".join(chunks), info
            finally:
                os.close(fd)

    def link_into(self, relative: str, destination: Path) -> bool:
        """Put an entry at `destination` (a file of the built site), if it is usable as `read` says: as a
        hard link to the very file read and found as written (the link's inode is checked to be the one
        read), else, where no link can be made (another file system), as a copy of the bytes read. False,
        with nothing made, when the entry is not usable. A file already at `destination` is replaced."""
        found = self._usable(relative)
        if found is None:
            return False
        data, info = found
        destination.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            destination.unlink()
        try:
            os.link(self.path(relative), destination, follow_symlinks=False)
            linked = os.lstat(destination)
            if (linked.st_dev, linked.st_ino) == (info.st_dev, info.st_ino):
                return True
            destination.unlink()  # not the file read (swapped since): its bytes instead
        except OSError:
            pass
        destination.write_bytes(data)
        return True

    # --- writing ------------------------------------------------------------------

    def write(self, relative: str, data: bytes | str) -> bool:
        """Write an entry unless it already holds exactly these bytes; record it. Returns whether it wrote."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        parts = _checked_relative(relative)
        digest = digest_of(data)
        if self.entries.get(relative) == digest and (relative in self._verified or self.read(relative) == data):
            return False
        self._verified.discard(relative)
        self._write(parts, data)
        self.entries[relative] = digest
        self._verified.add(relative)
        return True

    def delete(self, relative: str) -> bool:
        """Delete an entry the manifest lists (never anything else), and the folders it leaves empty."""
        if relative not in self.entries:
            return False
        del self.entries[relative]
        self._verified.discard(relative)
        parts = _checked_relative(relative)
        try:
            with self._folder_fd(parts[:-1], create=False) as folder:
                os.unlink(parts[-1], dir_fd=folder)
        except FileNotFoundError:
            return False
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EISDIR):
                return False  # a link or a folder where the file was: not ours to delete
            raise
        self._prune(parts[:-1])
        return True

    def clear(self) -> None:
        """Delete every entry the manifest lists."""
        for relative in sorted(self.entries):
            self.delete(relative)

    def sync(self, wanted: Mapping[str, str | bytes], also_keep: Collection[str] = ()) -> Written:
        """Make the folder hold exactly the files `wanted` and the entries `also_keep` (written already),
        writing each wanted file only when its bytes changed (each asked for as it is written, so a
        mapping may make them one at a time), deleting the entries written before that are neither,
        then the manifest."""
        for relative in wanted:
            _checked_relative(relative)
        if self.strict:
            self.refuse_foreign()
        result = Written()
        for relative in sorted(wanted):
            if self.write(relative, wanted[relative]):
                result.written.append(relative)
            else:
                result.unchanged += 1
        for relative in sorted(set(self.entries) - set(wanted) - set(also_keep)):
            if self.delete(relative):
                result.deleted.append(relative)
        self.save()
        return result

    def refuse_foreign(self) -> None:
        """CacheError, before anything is written, if the folder holds a link, or a file the manifest does
        not list or whose bytes are not those written."""
        at = self.base
        for part in self._below:
            at = at / part
            if at.is_symlink():
                raise CacheError(f"{at} is a symbolic link; give a real folder to write into")
        if self.folder.exists() and not self.folder.is_dir():
            raise CacheError(f"{self.folder} is not a folder")
        entries = self.entries
        foreign = []
        for relative, is_link in self._walk():
            if is_link:
                foreign.append(f"{relative} (a symbolic link)")
            elif relative not in entries:
                foreign.append(relative)
            elif entries[relative] and self.read(relative) is None:
                foreign.append(f"{relative} (changed since it was written)")
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise CacheError(
                f"{self.folder} holds files the generator did not write ({shown}); nothing was written."
                " Give an empty folder, or one it wrote before"
            )

    def _walk(self) -> Iterator[tuple[str, bool]]:
        """Every file and link under the folder, the manifest aside, links not followed: (path, is a link)."""
        if not self.folder.is_dir():
            return
        for current, dirs, names in os.walk(self.folder):
            for name in sorted([*dirs, *names]):
                path = Path(current, name)
                relative = path.relative_to(self.folder).as_posix()
                if path.is_symlink():
                    yield relative, True
                elif name in names and relative != MANIFEST:
                    yield relative, False

    def _write(self, parts: tuple[str, ...], data: bytes) -> None:
        with self._folder_fd(parts[:-1], create=True) as folder:
            name = parts[-1]
            try:
                info = os.stat(name, dir_fd=folder, follow_symlinks=False)
            except FileNotFoundError:
                info = None
            if info is not None and not stat.S_ISREG(info.st_mode):
                if self.strict or stat.S_ISDIR(info.st_mode):
                    raise CacheError(f"{self.folder / '/'.join(parts)} is not a file the generator wrote")
                os.unlink(name, dir_fd=folder)  # a link in our cache: the link goes, never what it names
            temporary = f".{name}.tmp"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary, dir_fd=folder)
            fd = os.open(temporary, _WRITE_FLAGS, 0o644, dir_fd=folder)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)

    @contextlib.contextmanager
    def _folder_fd(self, parts: Iterable[str], *, create: bool) -> Iterator[int]:
        """A descriptor of the folder at `parts` under the store's folder, every step opened without
        following links. With `create`, missing folders are made, and (in the cache) a link where a folder
        should be is removed first; a user's folder holding a link is refused."""
        if create:
            self.base.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.base, _DIR_FLAGS & ~os.O_NOFOLLOW)  # trusted as it is, links and all
        try:
            for number, part in enumerate((*self._below, *parts)):
                try:
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    os.mkdir(part, 0o755, dir_fd=fd)
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except OSError as exc:
                    if exc.errno not in (errno.ELOOP, errno.ENOTDIR) or not create:
                        raise
                    if self.strict or number < len(self._below):
                        # On the way to the store (or in a user's folder): not ours to remove.
                        raise CacheError(
                            f"a symbolic link or a file stands where {self.folder} needs a folder"
                        ) from None
                    os.unlink(part, dir_fd=fd)  # a link or a file where our folder goes, in our store
                    os.mkdir(part, 0o755, dir_fd=fd)
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = child
            yield fd
        finally:
            os.close(fd)

    def _prune(self, parts: tuple[str, ...]) -> None:
        """Remove the folders at `parts` and above, inside the store, while they are empty."""
        for end in range(len(parts), 0, -1):
            try:
                with self._folder_fd(parts[: end - 1], create=False) as folder:
                    os.rmdir(parts[end - 1], dir_fd=folder)
            except OSError:
                return

    def path(self, relative: str) -> Path:
        """Where an entry is, for a reader that opens it itself (MkDocs reads the generated pages)."""
        return self.folder.joinpath(*_checked_relative(relative))


def tracked_build_state(root: Path, *folders: Path) -> list[str]:
    """Files git tracks under `.cache/`, `site/` or any of `folders` that is inside the checkout (the cache
    root, `briefing render`'s folder), and any tracked file or link standing where one of their parent
    folders should be (a committed `build` link above `build/markdown`), as paths relative to `root`;
    empty when `root` is not in a git working tree or git cannot be run. Paths are taken as written, no
    link followed."""
    root = Path(os.path.abspath(root))
    under: list[str] = [*BUILD_FOLDERS]
    for folder in folders:
        folder = Path(os.path.abspath(folder))
        if folder.is_relative_to(root) and folder != root:
            under.append(folder.relative_to(root).as_posix())
    exact = {
        "/".join(PurePosixPath(path).parts[:end]) for path in under for end in range(1, len(PurePosixPath(path).parts))
    }
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--", *(f":(literal){spec}" for spec in sorted({*under, *exact}))],
            cwd=root,
            capture_output=True,
            timeout=60,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:  # not in a git working tree
        return []
    found = set()
    for raw in done.stdout.split(b"\0"):
        name = os.fsdecode(raw)  # relative to `root`: ls-files names paths from the folder it runs in
        if not name:
            continue
        if name in exact or any(name == path or name.startswith(path + "/") for path in under):
            found.add(name)
    return sorted(found)


class KeptOutputs:
    """Finished pages kept by a key that names everything they were made from: `<key>.html` in a store.

    The MkDocs plugin keeps each generated page's finished HTML here, so that a build in
    which nothing that goes into a page changed (CI with its cache restored) copies the
    page instead of rendering the theme around it again.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.used: set[str] = set()
        self.hits = 0

    def link_into(self, key: str, destination: Path) -> bool:
        """Put the finished page of `key` at `destination` (`Store.link_into`); whether it could."""
        self.used.add(key)
        if not _KEY.fullmatch(key) or not self.store.link_into(f"{key}.html", destination):
            return False
        self.hits += 1
        return True

    def get(self, key: str) -> str | None:
        self.used.add(key)
        text = self.store.read_text(f"{key}.html") if _KEY.fullmatch(key) else None
        if text is not None:
            self.hits += 1
        return text

    def has(self, key: str) -> bool:
        """Whether the manifest lists an entry for `key` (its bytes are checked when it is read)."""
        return bool(self.store.entries.get(f"{key}.html"))

    def put(self, key: str, text: str) -> None:
        if not _KEY.fullmatch(key):
            raise CacheError(f"refusing the key {key!r}")
        self.used.add(key)
        self.store.write(f"{key}.html", text)

    def keep_only_used(self) -> int:
        """Delete the entries of keys this build did not use; write the manifest; how many went."""
        gone = 0
        for relative in sorted(self.store.entries):
            key = relative.removesuffix(".html")
            if key not in self.used and self.store.delete(relative):
                gone += 1
        self.store.save()
        self.used = set()
        self.hits = 0
        return gone


#: A key of `KeptOutputs`: a SHA-256 in hexadecimal.
_KEY = re.compile(r"[0-9a-f]{64}")
