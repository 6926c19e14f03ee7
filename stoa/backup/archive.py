"""The backup file: a zip with ``manifest.json``, one JSON member per model and the stored files.

The manifest names the format and its version, the Stoa version, the applied migrations per app,
the scope, the creation time, the row count per model and the SHA-256 of every member; its own
``checksum`` is the SHA-256 of the manifest's canonical JSON without that key. The zip comment (the
file's last 64 bytes) is the SHA-256 of every byte before it, so even a flipped bit in a part of
the zip that readers skip (a header's timestamp, say) is noticed. ``read_archive``
checks all of it before anything is restored, so a damaged file is refused, not half loaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT_NAME = "stoa-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data/"
FILES_DIR = "files/"
FILE_CHECKSUM_LENGTH = 64


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode())


@dataclass
class ArchiveWriter:
    """Collects members, then writes the zip with its manifest in one go."""

    path: Path
    members: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes) -> None:
        if name in self.members or name == MANIFEST:
            raise BackupError(f"duplicate archive member {name}")
        self.members[name] = data

    def write(self, manifest: dict[str, Any]) -> dict[str, Any]:
        manifest = {**manifest, "format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                    "members": {name: {"sha256": sha256(data), "size": len(data)}
                                for name, data in sorted(self.members.items())}}
        manifest["checksum"] = manifest_checksum(manifest)
        partial = self.path.with_name(self.path.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.comment = b"0" * FILE_CHECKSUM_LENGTH
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            for name, data in sorted(self.members.items()):
                archive.writestr(name, data)
        seal(partial)
        partial.replace(self.path)  # a crash never leaves a half-written file under the real name
        return manifest


def seal(path: Path) -> None:
    """Replace the placeholder zip comment of the archive at PATH with the checksum of the rest."""
    body = path.read_bytes()[:-FILE_CHECKSUM_LENGTH]
    path.write_bytes(body + sha256(body).encode())


@dataclass
class VerifiedArchive:
    manifest: dict[str, Any]
    members: dict[str, bytes]

    def data(self, label: str) -> bytes:
        return self.members[f"{DATA_DIR}{label}.json"]

    def files(self) -> dict[str, bytes]:
        return {name[len(FILES_DIR):]: data for name, data in self.members.items() if name.startswith(FILES_DIR)}


def read_archive(path: Path) -> VerifiedArchive:
    """Open and check a backup file completely; raise BackupError naming the first problem."""
    try:
        raw = Path(path).read_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            body = raw[:-FILE_CHECKSUM_LENGTH]
            if archive.comment != sha256(body).encode():
                raise BackupError(f"{path} is damaged: the file's checksum does not match")
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise BackupError(f"{path} is not a Stoa backup (no {MANIFEST})")
            manifest = json.loads(archive.read(MANIFEST))
            _check_manifest(manifest)
            listed = set(manifest["members"])
            if names - {MANIFEST} != listed:
                raise BackupError(f"{path} is damaged: its members differ from the manifest's list")
            members = {name: archive.read(name) for name in sorted(listed)}
    except FileNotFoundError as exc:
        raise BackupError(f"cannot read {path}: no such file") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        # Truncation, a flipped byte (bad CRC, broken deflate stream) or not a zip at all.
        raise BackupError(f"{path} is damaged or not a Stoa backup ({exc})") from exc
    for name, data in members.items():
        if sha256(data) != manifest["members"][name]["sha256"]:
            raise BackupError(f"{path} is damaged: checksum mismatch for {name}")
    return VerifiedArchive(manifest=manifest, members=members)


def _check_manifest(manifest: Any) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BackupError("not a Stoa backup (the manifest does not name the stoa-backup format)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {manifest.get('format_version')!r} is not supported; "
                          f"this Stoa reads version {FORMAT_VERSION}")
    if manifest.get("checksum") != manifest_checksum(manifest):
        raise BackupError("the backup is damaged: the manifest's checksum does not match")
    if not isinstance(manifest.get("members"), dict):
        raise BackupError("the backup is damaged: the manifest lists no members")
