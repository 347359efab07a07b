"""A real S3-compatible server on the loopback address (moto's standalone server, from
PyPI) for the storage tests, and settings that put the portal's files in a fresh private
bucket of it (or behind a closed port, for a store that is down)."""

import socket
import uuid

import boto3
import pytest
from botocore.config import Config
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from tests.experiences.conftest import draft, make_practice, themes  # noqa: F401 - fixtures

CREDENTIALS = {"aws_access_key_id": "storage-tests", "aws_secret_access_key": "storage-tests"}
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of moto's server, started once for the session on a free port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)


def storage_config(endpoint: str, bucket: str) -> dict:
    """The `default` entry of STORAGES that utds/settings.py builds from the environment,
    with a short timeout and one retry so an outage is seen at once."""
    return {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "access_key": CREDENTIALS["aws_access_key_id"],
            "secret_key": CREDENTIALS["aws_secret_access_key"],
            "max_memory_size": 1024,
            "client_config": Config(
                connect_timeout=1,
                read_timeout=2,
                retries={"mode": "standard", "max_attempts": 1},
                signature_version="s3v4",
                s3={"addressing_style": "path"},
            ),
        },
    }


@pytest.fixture
def bucket(s3_endpoint):
    """A new, empty bucket for the test."""
    name = f"utds-{uuid.uuid4().hex[:12]}"
    s3_client(s3_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3(settings, s3_endpoint, bucket):
    """The portal's files go to the test's bucket; returns a boto3 client of the server."""
    settings.STORAGES = {**settings.STORAGES, "default": storage_config(s3_endpoint, bucket)}
    return s3_client(s3_endpoint)


@pytest.fixture
def closed_endpoint():
    """An address on the loopback where nothing listens: a store that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def store_down(settings, s3, bucket, closed_endpoint):
    """Switch the portal to a store that does not answer; call it to bring it back."""
    working = settings.STORAGES

    def switch(*, up: bool):
        endpoint = working["default"]["OPTIONS"]["endpoint_url"] if up else closed_endpoint
        settings.STORAGES = {**working, "default": storage_config(endpoint, bucket)}

    switch(up=False)
    return switch
