# Drives a live lpm-server with nothing but the Python client generated from openapi/openapi.json
# (openapi-python-client) and the standard library: log in with password and TOTP, create an API
# token, and with that token alone list hosts, run an immediate job to success, then revoke the
# token and see it refused. scripts/check-client generates the client, starts `lpm-server demo`
# and runs this; by hand:
#
#   PYTHONPATH=target/generated-client python3 openapi/client-test/test_generated_client.py \
#       --url https://localhost:8443 --ca-file lpm-data/ca/ca.crt \
#       --credentials lpm-data/demo-credentials.json
"""Checks that a client generated from the OpenAPI document works against a live server."""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import struct
import sys
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

from lpm_manager_api_client import AuthenticatedClient, Client
from lpm_manager_api_client.api.api_tokens import (
    create_api_token,
    list_api_tokens,
    revoke_api_token,
)
from lpm_manager_api_client.api.auth import login, login_mfa_totp
from lpm_manager_api_client.api.certificates import get_root_certificate
from lpm_manager_api_client.api.hosts import list_hosts
from lpm_manager_api_client.api.jobs import create_job, get_job
from lpm_manager_api_client.models import (
    ApiTokenCreated,
    CreateApiToken,
    CreateJobRequest,
    ErrorBody,
    HostStatus,
    HostView,
    JobDetailView,
    JobKind,
    JobMode,
    JobState,
    LoginRequest,
    LoginView,
    MfaCodeRequest,
    MfaMethod,
    PagedApiTokenView,
    PagedHostView,
    Role,
    SessionView,
)
from lpm_manager_api_client.types import Response

T = TypeVar("T")

# Job states after which nothing changes any more.
FINISHED = {JobState.SUCCEEDED, JobState.FAILED, JobState.PARTIALLY_FAILED, JobState.CANCELLED}


class CheckFailed(Exception):
    """A step saw something other than what the API documents and promises."""


def totp(secret: str) -> str:
    """The current RFC 6238 code (SHA-1, 6 digits, 30 s steps) of a base32 secret."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int(time.time()) // 30)
    mac = hmac.new(key, counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def expect(response: Response[Any], status: HTTPStatus, kind: type[T], what: str) -> T:
    """The parsed body of `response`, which must have `status` and a body of type `kind`."""
    parsed = response.parsed
    if response.status_code != status or not isinstance(parsed, kind):
        detail = parsed.error.message if isinstance(parsed, ErrorBody) else response.content[:300]
        got = f"{response.status_code.value}: {detail!r}"
        raise CheckFailed(f"{what}: want {status.value} {kind.__name__}, got {got}")
    return parsed


def poll(what: str, timeout_s: float, attempt: Callable[[], T | None], every_s: float = 1.0) -> T:
    """The first answer of `attempt` that is not None, asked every `every_s` until `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = attempt()
        if answer is not None:
            return answer
        if time.monotonic() > deadline:
            raise CheckFailed(f"{what}: not within {timeout_s:.0f} s")
        time.sleep(every_s)


class Run:
    """The steps against one server, sharing what earlier steps obtained."""

    def __init__(
        self, url: str, ca_file: str, credentials: dict[str, str], timeout_s: float
    ) -> None:
        self.url = url
        self.ca_file = ca_file
        self.credentials = credentials
        self.timeout_s = timeout_s
        # raise_on_unexpected_status: a status the document does not list is a failure too.
        self.anonymous = Client(base_url=url, verify_ssl=ca_file, raise_on_unexpected_status=True)
        self.session: AuthenticatedClient | None = None
        self.token: ApiTokenCreated | None = None
        self.token_client: AuthenticatedClient | None = None
        self.host: HostView | None = None

    def root_certificate_is_public_pem_text(self) -> str:
        response = get_root_certificate.sync_detailed(client=self.anonymous)
        pem = expect(response, HTTPStatus.OK, str, "GET /api/v1/ca/root.crt")
        with open(self.ca_file, encoding="ascii") as file:
            trusted = file.read()
        if pem.strip() != trusted.strip():
            raise CheckFailed("the root certificate served is not the CA the client trusts")
        return f"{len(pem)} characters, the CA this client trusts"

    def password_and_totp_give_an_access_token(self) -> str:
        body = LoginRequest(
            username=self.credentials["username"], password=self.credentials["password"]
        )
        step = expect(
            login.sync_detailed(client=self.anonymous, body=body), HTTPStatus.OK, LoginView, "login"
        )
        if step.mfa_required is not True or not isinstance(step.mfa_token, str):
            raise CheckFailed(f"login did not ask for a second factor: {step.to_dict()}")
        if MfaMethod.TOTP not in (step.methods or []):
            raise CheckFailed(f"TOTP is not among the second factors offered: {step.methods}")
        code = MfaCodeRequest(mfa_token=step.mfa_token, code=totp(self.credentials["totp_secret"]))
        response = login_mfa_totp.sync_detailed(client=self.anonymous, body=code)
        session = expect(response, HTTPStatus.OK, SessionView, "TOTP step")
        self.session = self.authenticated(session.access_token)
        return f"{session.token_type} token for {session.expires_in} s"

    def an_access_token_creates_an_api_token(self) -> str:
        assert self.session is not None
        body = CreateApiToken(name=f"generated-client-check-{int(time.time())}", role=Role.ADMIN)
        response = create_api_token.sync_detailed(client=self.session, body=body)
        created = expect(response, HTTPStatus.CREATED, ApiTokenCreated, "POST /api/v1/api-tokens")
        if not created.token.startswith("lpm_"):
            raise CheckFailed("the token does not start with lpm_")
        if created.role != Role.ADMIN or created.name != body.name:
            raise CheckFailed(
                f"the token is not the one asked for: {created.to_dict() | {'token': '...'}}"
            )
        self.token = created
        # A new client that knows nothing but the API token.
        self.token_client = self.authenticated(created.token)
        return f"token {created.id} {created.name!r}, role {created.role}"

    def the_api_token_lists_healthy_hosts(self) -> str:
        assert self.token_client is not None
        client = self.token_client

        def healthy() -> HostView | None:
            response = list_hosts.sync_detailed(
                client=client, status=HostStatus.HEALTHY, per_page=100
            )
            page = expect(response, HTTPStatus.OK, PagedHostView, "GET /api/v1/hosts")
            return page.items[0] if page.items else None

        self.host = poll("a healthy host", self.timeout_s, healthy)
        everything = list_hosts.sync_detailed(client=client, per_page=100)
        page = expect(everything, HTTPStatus.OK, PagedHostView, "GET /api/v1/hosts")
        name = self.host.fqdn or self.host.ip
        return f"{page.total} hosts; host {self.host.id} ({name}) is {self.host.status}"

    def the_api_token_runs_an_immediate_job_to_success(self) -> str:
        assert self.token_client is not None and self.host is not None
        client = self.token_client
        body = CreateJobRequest(
            kind=JobKind.APPLY_PATCHES, host_ids=[self.host.id], mode=JobMode.IMMEDIATE
        )
        job = expect(
            create_job.sync_detailed(client=client, body=body),
            HTTPStatus.CREATED,
            JobDetailView,
            "POST /api/v1/jobs",
        )
        started = time.monotonic()

        def finished() -> JobDetailView | None:
            detail = expect(
                get_job.sync_detailed(job.id, client=client),
                HTTPStatus.OK,
                JobDetailView,
                "GET /api/v1/jobs/{id}",
            )
            return detail if detail.state in FINISHED else None

        try:
            done = poll(f"job {job.id} finishing", self.timeout_s, finished)
        except CheckFailed as timed_out:
            last = get_job.sync(job.id, client=client)
            state = last.state if isinstance(last, JobDetailView) else last
            raise CheckFailed(f"{timed_out}; it is still {state}") from None
        if done.state != JobState.SUCCEEDED:
            rows = "; ".join(
                f"host {row.host_id}: {row.state} {row.error or ''}".strip() for row in done.hosts
            )
            raise CheckFailed(f"job {job.id} ended {done.state}, not succeeded: {rows}")
        took = time.monotonic() - started
        return f"job {job.id} ({done.kind}, {done.mode}) succeeded in {took:.1f} s"

    def the_owner_sees_and_revokes_the_token(self) -> str:
        assert self.session is not None and self.token is not None
        listed = list_api_tokens.sync_detailed(client=self.session)
        tokens = expect(listed, HTTPStatus.OK, PagedApiTokenView, "GET /api/v1/api-tokens")
        if self.token.id not in {token.id for token in tokens.items}:
            raise CheckFailed(f"token {self.token.id} is not in the owner's list")
        response = revoke_api_token.sync_detailed(self.token.id, client=self.session)
        if response.status_code != HTTPStatus.NO_CONTENT:
            got = response.status_code.value
            raise CheckFailed(f"DELETE /api/v1/api-tokens/{self.token.id}: want 204, got {got}")
        return f"{tokens.total} token(s) listed; token {self.token.id} revoked"

    def the_revoked_token_is_refused(self) -> str:
        assert self.token_client is not None
        response = list_hosts.sync_detailed(client=self.token_client)
        refused = expect(
            response, HTTPStatus.UNAUTHORIZED, ErrorBody, "GET /api/v1/hosts with a revoked token"
        )
        return f"401 {refused.error.code}"

    def authenticated(self, token: str) -> AuthenticatedClient:
        return AuthenticatedClient(
            base_url=self.url, token=token, verify_ssl=self.ca_file, raise_on_unexpected_status=True
        )

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("the root certificate is public PEM text", self.root_certificate_is_public_pem_text),
            ("password and TOTP give an access token", self.password_and_totp_give_an_access_token),
            ("the access token creates an API token", self.an_access_token_creates_an_api_token),
            ("the API token alone lists the hosts", self.the_api_token_lists_healthy_hosts),
            (
                "the API token runs an immediate job to success",
                self.the_api_token_runs_an_immediate_job_to_success,
            ),
            ("the owner lists and revokes the token", self.the_owner_sees_and_revokes_the_token),
            ("the revoked token is refused", self.the_revoked_token_is_refused),
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="the server, e.g. https://localhost:8443")
    parser.add_argument(
        "--ca-file", required=True, help="the CA certificate the server's is issued by"
    )
    parser.add_argument(
        "--credentials", required=True, help="demo-credentials.json of `lpm-server demo`"
    )
    parser.add_argument(
        "--timeout", type=float, default=180.0, help="seconds to wait for hosts and the job"
    )
    args = parser.parse_args()
    with open(args.credentials, encoding="utf-8") as file:
        credentials = json.load(file)

    run = Run(args.url, args.ca_file, credentials, args.timeout)
    steps = run.steps()
    passed = 0
    for number, (what, step) in enumerate(steps, start=1):
        try:
            detail = step()
        except Exception as error:  # every failure, expected or not, is reported the same way
            print(f"FAIL {number}. {what}: {type(error).__name__}: {error}", flush=True)
            print(f"{len(steps) - number} later step(s) not run")
            print(f"client: {passed} passed, 1 failed")
            return 1
        passed += 1
        print(f"ok   {number}. {what}: {detail}", flush=True)
    print(f"client: {passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
