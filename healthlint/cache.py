"""A small on-disk cache of JSON values, keyed by a hash of everything that decides them.

Writes are atomic (a temporary file renamed into place), so concurrent runs never see a
half-written entry; an unreadable entry is ignored and rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

CACHE_ENV = "HEALTHLINT_CACHE_DIR"
NO_CACHE_ENV = "HEALTHLINT_NO_CACHE"
_folder: Path | None = None   # set for a run by configure(): --cache-dir, $HEALTHLINT_CACHE_DIR or cache-dir
_use: bool | None = None


def configure(folder: Path | None = None, use: bool | None = None) -> None:
    """Settings for this run: a cache folder (None: $HEALTHLINT_CACHE_DIR or the user cache), and
    whether to use the cache at all (None: unless $HEALTHLINT_NO_CACHE is set)."""
    global _folder, _use
    _folder, _use = folder, use


def cache_dir() -> Path:
    if _folder is not None:
        return _folder
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "healthlint"


def enabled() -> bool:
    if _use is not None:
        return _use
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def key(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()   # a name may not be UTF-8


def get(namespace: str, digest: str):
    if not enabled():
        return None
    try:   # (os.path, not pathlib: a warm run reads thousands of entries)
        # opened without blocking and read only if it is a regular file: a FIFO put in the cache never hangs the run
        fd = os.open(os.path.join(cache_dir(), namespace, digest[:2], digest + ".json"), os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        with os.fdopen(fd, encoding="utf-8") as fh:
            return json.load(fh) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (OSError, ValueError, RecursionError):   # unreadable, not JSON, or nested too deep: lint again
        return None


def put(namespace: str, digest: str, value) -> None:
    if not enabled():
        return
    folder = cache_dir() / namespace / digest[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return  # a cache that cannot be written only costs time
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False)
        os.replace(tmp, folder / f"{digest}.json")
    except (OSError, ValueError):   # ValueError: text that cannot be written as UTF-8
        try:
            os.unlink(tmp)
        except OSError:
            pass
