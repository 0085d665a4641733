// Generated from openapi/openapi.json by `npm run gen:api` (scripts/gen-api.mjs): do not edit.

export interface paths {
    "/api/v1/api-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists API tokens: every token for admins and auditors, your own for everyone else. */
        get: operations["list_api_tokens"];
        put?: never;
        /** Creates an API token for yourself; the secret is in this response only. */
        post: operations["create_api_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revokes an API token at once: the next request with it answers 401. Admins revoke any
         *     token; everyone else their own; an API token only itself.
         */
        delete: operations["revoke_api_token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists audit rows. */
        get: operations["list_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verifies the hash chain (the whole log, or a range of it) and records that it was checked. */
        post: operations["verify_audit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Logs in with a password: the first of two steps. */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ends the session of a refresh token (its whole family). Answers 204 whatever the token, so
         *     it cannot be used to test tokens. Access tokens already issued run out within 15 minutes.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller: account, role, groups and second factors. */
        get: operations["get_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/recovery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Completes a login with a recovery code; each code is accepted once. */
        post: operations["login_mfa_recovery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Completes a login with a TOTP code; each code is accepted once. */
        post: operations["login_mfa_totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirms TOTP enrolment with the first code from the app.
         * @description Bearer: the same token as `/auth/mfa/totp/setup`. With an enrolment token the answer includes the session.
         */
        post: operations["totp_confirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/totp/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Starts TOTP enrolment: a new secret, shown once; it takes effect when a code confirms it.
         * @description Bearer: the `enrollment_token` from `/auth/login`, or an access token to add or replace the authenticator app. The secret waits 10 minutes for `/auth/mfa/totp/confirm`; until then the current app (if any) keeps working.
         */
        post: operations["totp_setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/webauthn/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Completes a WebAuthn login with the authenticator's answer. */
        post: operations["login_mfa_webauthn_finish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/webauthn/register/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Completes registering a WebAuthn credential.
         * @description Bearer: the same token as `/auth/mfa/webauthn/register/start`. With an enrolment token the answer includes the session.
         */
        post: operations["webauthn_register_finish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/webauthn/register/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Starts registering a WebAuthn credential (security key, platform authenticator).
         * @description Bearer: the `enrollment_token` from `/auth/login`, or an access token to add a key. The challenge waits 10 minutes for `/auth/mfa/webauthn/register/finish`.
         */
        post: operations["webauthn_register_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/webauthn/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts a WebAuthn login: the challenge for the account's registered credentials. */
        post: operations["login_mfa_webauthn_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Changes the caller's password. Every session of the account ends, this one included: log in
         *     again with the new password.
         */
        post: operations["change_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replaces the caller's recovery codes with 10 new ones, shown once. */
        post: operations["regenerate_recovery_codes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchanges a refresh token for a new access token and a new refresh token. The old refresh
         *     token is spent: presenting it again revokes the whole session (`refresh_token_reused`),
         *     so clients must not refresh twice in parallel.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ca/crl.pem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current certificate revocation list, PEM, signed by the CA. Public. */
        get: operations["get_crl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ca/root.crt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The root (CA) certificate, PEM: what agents and browsers install as trust anchor. Public. */
        get: operations["get_root_certificate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the certificates the caller can see: an admin every one, an operator those of the
         *     hosts they reach.
         */
        get: operations["list_certificates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/certificates/{serial}/renew": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Renews an agent certificate (admin): a new key and serial with the same names, answered as
         *     a bundle like a download. The old certificate stays valid until it expires or is revoked
         *     (revoke it with reason `superseded` once the new one is installed).
         */
        post: operations["renew_certificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/certificates/{serial}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revokes a certificate (admin) and publishes the new CRL (also written to
         *     `DATA/ca/crl.pem`). Audited.
         */
        post: operations["revoke_certificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists scans. */
        get: operations["list_discoveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One scan and its progress. */
        get: operations["get_discovery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancels a queued or running scan; what it found so far stays. */
        post: operations["cancel_discovery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/{id}/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Registers selected results as hosts, each as `POST /api/v1/hosts` would (audited, and a
         *     worker checks it at once). A result already registered, or whose address or name is
         *     already a host, is reported as such and not created again.
         */
        post: operations["register_discovery_results"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/{id}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The agents a scan found, in the order found. */
        get: operations["list_discovery_results"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/cidr": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts a scan of a CIDR range for agents. */
        post: operations["create_discovery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the groups the caller can see: all for an admin, their own for an operator. */
        get: operations["list_groups"];
        put?: never;
        /** Creates a group. */
        post: operations["create_group"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One group with its members; an operator sees only their own groups. */
        get: operations["get_group"];
        put?: never;
        post?: never;
        /**
         * Deletes a group. Its hosts and users stay; hosts left in no group become ungrouped, and so
         *     reachable by every operator.
         */
        delete: operations["delete_group"];
        options?: never;
        head?: never;
        /** Renames a group or changes its description. */
        patch: operations["update_group"];
        trace?: never;
    };
    "/api/v1/groups/{id}/hosts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replaces a group's hosts. */
        put: operations["set_group_hosts"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{id}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replaces a group's users. */
        put: operations["set_group_users"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the hosts the caller can reach. */
        get: operations["list_hosts"];
        put?: never;
        /**
         * Registers a host. A name given without an address must resolve; the worker then checks the
         *     agent (the host is `pending` until it answers).
         */
        post: operations["create_host"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One host the caller can reach, with what the last polls found. */
        get: operations["get_host"];
        put?: never;
        post?: never;
        /** Deletes a host with its snapshots, windows and job rows. */
        delete: operations["delete_host"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/certificate-bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issues a fresh agent certificate and key for a host (names from its FQDN and address) and
         *     answers the bundle the agent installs. The certificate is recorded and the issue audited
         *     (who, when, serial; never the key). Each call issues a new certificate.
         */
        post: operations["issue_certificate_bundle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/client.crt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The host's current agent certificate (the newest one not revoked), PEM. The download is
         *     audited (`certificate.downloaded`).
         */
        get: operations["get_host_certificate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replaces a host's groups. An operator may move a host only between their own groups (or
         *     make it ungrouped), and not out of a group they do not hold.
         */
        put: operations["set_host_groups"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The jobs that touched a host, newest first. */
        get: operations["list_host_jobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The packages installed on a host, as its last package poll found them (an empty page
         *     before the first poll).
         */
        get: operations["list_host_packages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/patches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The updates a host could apply, as its last patch poll found them (an empty page before
         *     the first poll).
         */
        get: operations["list_host_patches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Asks for a fresh poll of the host (health, system info, patches, packages) now: creates an
         *     immediate `refresh` job, which a worker runs.
         */
        post: operations["refresh_host"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/windows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A host's maintenance windows. */
        get: operations["list_host_windows"];
        put?: never;
        /** Adds a maintenance window to a host. */
        post: operations["create_window"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the jobs touching hosts in the caller's scope. */
        get: operations["list_jobs"];
        put?: never;
        /** Creates a job over hosts in the caller's scope. */
        post: operations["create_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job: its rows for hosts in the caller's scope and its latest events. */
        get: operations["get_job"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancels a job: rows not yet sent to an agent stop; rows already sent run to their end and
         *     are reported as usual (the agent API has no cancel). The caller must reach every host of
         *     the job.
         */
        post: operations["cancel_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's event log: the job's own events and those of its rows for hosts in scope. */
        get: operations["list_job_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rolls a finished job back (SDD §6.5): a new `rollback` job, run at once, over the hosts
         *     whose packages the job changed. The caller must reach every one of them.
         */
        post: operations["rollback_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit report (admins): who did what in `[since, until)`, with the result of verifying
         *     the whole hash chain (JSON and PDF; the CSV holds the rows only).
         */
        get: operations["audit_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/compliance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The compliance report: how many hosts are fully patched, pending updates by severity and
         *     group, one row per host.
         */
        get: operations["compliance_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/patch-history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The patch-history report: finished jobs, who started them, how they ended, their package
         *     changes and rollbacks, with a trend of changes over time.
         */
        get: operations["patch_history_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/vulnerability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The vulnerability report: open CVEs by severity, affected hosts, and time-to-patch
         *     percentiles per severity.
         */
        get: operations["vulnerability_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every section at once. */
        get: operations["get_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Password hashing parameters (read-only: set by `lpm-server admin calibrate`). */
        get: operations["get_auth_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/concurrency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The concurrency bound. */
        get: operations["get_concurrency_settings"];
        /** Replaces the concurrency bound (1 to 1,024 agent calls per worker). */
        put: operations["put_concurrency_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/polling": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The poll intervals. */
        get: operations["get_polling_settings"];
        /**
         * Replaces the poll intervals (60 s to one day each). The worker applies them at its next
         *     round.
         */
        put: operations["put_polling_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/security": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The IP allowlist. */
        get: operations["get_security_settings"];
        /**
         * Replaces the IP allowlist; it applies from the next request. A list that would exclude the
         *     caller's own address is refused (`lpm-server admin allowlist reset` on the host is the way
         *     back in should one ever lock everyone out).
         */
        put: operations["put_security_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/smtp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The mail relay. */
        get: operations["get_smtp_settings"];
        /** Replaces the mail relay settings. The password is named by file, never sent. */
        put: operations["put_smtp_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/sso": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Azure sign-in. */
        get: operations["get_sso_settings"];
        /** Replaces the Azure sign-in settings. The client secret is named by file, never sent. */
        put: operations["put_sso_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings/web_tls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The web certificate strategy and the certificate in use (read-only: set in `config.toml`). */
        get: operations["get_web_tls_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/status/fleet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The fleet summary over the caller's scope. */
        get: operations["fleet_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the accounts. */
        get: operations["list_users"];
        put?: never;
        /** Creates an account with a one-time password, shown once in the response. */
        post: operations["create_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One account. */
        get: operations["get_user"];
        put?: never;
        post?: never;
        /** Deletes an account. The audit log keeps its name. */
        delete: operations["delete_user"];
        options?: never;
        head?: never;
        /**
         * Changes an account's role, groups or disabled flag, all or nothing. Disabling ends the
         *     user's sessions at once.
         */
        patch: operations["update_user"];
        trace?: never;
    };
    "/api/v1/users/{id}/mfa/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Clears every second factor of a user and ends their sessions: they enrol again at their
         *     next login.
         */
        post: operations["reset_user_mfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replaces a user's password with a new one-time password (shown once), lifts a soft lock
         *     and ends their sessions.
         */
        post: operations["reset_user_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/sessions/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ends every session of a user at once: refresh tokens are revoked and access tokens already
         *     issued are refused.
         */
        post: operations["revoke_user_sessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/windows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every window on the hosts the caller can reach, with each one's next openings. */
        get: operations["list_windows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/windows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One maintenance window. */
        get: operations["get_window"];
        /** Replaces a window's name and schedule. */
        put: operations["update_window"];
        post?: never;
        /** Deletes a maintenance window. */
        delete: operations["delete_window"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ws/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Upgrades to the job stream: JSON `StreamMessage`s, one per text frame. */
        get: operations["stream_jobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ws/ticket": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issues a single-use ticket for the job stream, valid 60 s. */
        post: operations["create_ws_ticket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Jobs under way touching the caller's hosts. */
        ActiveJobsView: {
            /**
             * Format: int64
             * @description Waiting for their first host to start.
             */
            queued: number;
            /**
             * Format: int64
             * @description Started and not finished.
             */
            running: number;
        };
        /** @description A new token and its secret. */
        ApiTokenCreated: components["schemas"]["ApiTokenView"] & {
            /**
             * @description The secret, shown this once and stored only as a hash: send it as
             *     `Authorization: Bearer <token>`. It starts with `lpm_`, so secret scanners can find a
             *     leaked one.
             */
            token: string;
        };
        /** @description An API token as lists show it (never the secret). */
        ApiTokenView: {
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /** @description It has expired and no longer works. */
            expired: boolean;
            /**
             * Format: date-time
             * @description When it stops working; absent: never.
             */
            expires_at?: string | null;
            /**
             * @description The groups an operator token is limited to; absent (`null`): it follows its owner's
             *     groups.
             */
            group_ids?: number[] | null;
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /**
             * Format: date-time
             * @description When it was last used.
             */
            last_used_at?: string | null;
            /** @description The address it was last used from. */
            last_used_ip?: string | null;
            /** @description What it is for, unique per user. */
            name: string;
            /** @description The role it acts with. */
            role: components["schemas"]["Role"];
            /**
             * Format: int64
             * @description The user it acts for.
             */
            user_id: number;
            /** @description Their login name. */
            username: string;
        };
        /** @description Argon2id cost parameters. */
        Argon2View: {
            /**
             * Format: int32
             * @description Memory, KiB.
             */
            m_kib: number;
            /**
             * Format: int32
             * @description Lanes.
             */
            p: number;
            /**
             * Format: int32
             * @description Iterations.
             */
            t: number;
        };
        /** @description One audit row. */
        AuditRecordView: {
            /** @description What happened (`host.created`, `job.cancelled` ...). */
            action: string;
            /** @description The acting name (a username, or `system`). */
            actor: string;
            /**
             * Format: int64
             * @description The acting user (`null`: the system).
             */
            actor_id?: number | null;
            /**
             * Format: date-time
             * @description When it was recorded.
             */
            at: string;
            /** @description What else was recorded: any JSON value (`null` when nothing was). */
            details: unknown;
            /**
             * Format: int64
             * @description Its position in the chain.
             */
            id: number;
            /** @description The client address. */
            ip?: string | null;
            /** @description The previous row's hash. */
            prev_hash: string;
            /** @description This row's hash. */
            row_hash: string;
            /** @description Its id. */
            target_id?: string | null;
            /** @description The kind of thing acted on. */
            target_type: string;
        };
        /** @description The audit report. */
        AuditReportDoc: {
            /** @description The hash chain's verification. */
            chain: components["schemas"]["ChainStatusDoc"];
            /** @description When, by whom, with which filters. */
            meta: components["schemas"]["ReportMetaDoc"];
            /** @description The rows, oldest first. */
            rows: components["schemas"]["AuditRowDoc"][];
        };
        /** @description One audit row. */
        AuditRowDoc: {
            /** @description What happened. */
            action: string;
            /** @description Who. */
            actor: string;
            /**
             * Format: date-time
             * @description When.
             */
            at: string;
            /** @description Details, compact JSON. */
            details: string;
            /**
             * Format: int64
             * @description Position in the chain.
             */
            id: number;
            /** @description The client address. */
            ip?: string | null;
            /** @description What it was done to, `type:id`. */
            target?: string | null;
        };
        /** @description Password hashing as configured (read-only; `lpm-server admin calibrate` sets it). */
        AuthView: {
            /** @description Argon2id cost parameters for new hashes. */
            argon2: components["schemas"]["Argon2View"];
            /** @description Whether they were calibrated on this machine (else the SDD's starting point). */
            calibrated: boolean;
        };
        /**
         * @description What is wrong with a broken row.
         * @enum {string}
         */
        BreakKindView: "contents_changed" | "link_broken" | "rows_missing" | "truncated";
        /** @description The first row at which the chain fails. */
        BrokenRowView: {
            /**
             * Format: int64
             * @description The row's id (for truncation: the recorded head).
             */
            id: number;
            /** @description What is wrong. */
            kind: components["schemas"]["BreakKindView"];
        };
        /** @description What a cancel did. */
        CancelView: {
            /** @description The job after the cancel. */
            job: components["schemas"]["JobDetailView"];
            /**
             * Format: int64
             * @description Rows stopped before they were sent to an agent.
             */
            rows_cancelled: number;
            /**
             * Format: int64
             * @description Rows already sent: they run to their end and report as usual.
             */
            rows_still_running: number;
        };
        /**
         * @description What a server administrator installs on one managed host. Save the three PEM texts as the
         *     agent's `ca.crt` (`ca_pem`: the root, which also checks the manager's client
         *     certificate), `agent.crt` (`cert_pem`) and `agent.key` (`key_pem`, mode 0600). The key
         *     exists only in this answer: the manager keeps no copy.
         */
        CertificateBundleView: {
            /** @description The CA certificate, PEM (`ca.crt`). */
            ca_pem: string;
            /** @description The agent's server certificate, PEM (`agent.crt`). */
            cert_pem: string;
            /** @description The new certificate as recorded. */
            certificate: components["schemas"]["CertificateView"];
            /** @description The agent's private key, PKCS#8 PEM (`agent.key`, mode 0600). */
            key_pem: string;
        };
        /**
         * @description What a certificate is for.
         * @enum {string}
         */
        CertificatePurpose: "root" | "manager_client" | "agent_server" | "web_server";
        /** @description A certificate in the registry. */
        CertificateView: {
            /**
             * Format: int64
             * @description The host an agent certificate was issued for (`null` once the host is deleted).
             */
            host_id?: number | null;
            /**
             * Format: date-time
             * @description When it was issued.
             */
            issued_at: string;
            /**
             * Format: date-time
             * @description End of validity.
             */
            not_after: string;
            /**
             * Format: date-time
             * @description Start of validity.
             */
            not_before: string;
            /** @description What it is for. */
            purpose: components["schemas"]["CertificatePurpose"];
            revocation_reason?: components["schemas"]["RevocationReasonView"] | null;
            /**
             * Format: date-time
             * @description When it was revoked, if it was.
             */
            revoked_at?: string | null;
            /** @description Subject alternative names: DNS names and IP addresses. */
            sans: string[];
            /** @description Serial number: upper-case hex without separators. */
            serial: string;
            /** @description SHA-256 of the DER, 64 lower-case hex digits. */
            sha256_fingerprint: string;
            /** @description Subject common name. */
            subject: string;
        };
        /** @description The result of verifying the audit hash chain. */
        ChainStatusDoc: {
            /**
             * Format: int64
             * @description The first broken row (broken).
             */
            first_broken_id?: number | null;
            /**
             * @description What is wrong there (broken): `contents_changed`, `link_broken`, `rows_missing`,
             *     `truncated`.
             */
            kind?: string | null;
            /**
             * Format: int64
             * @description Rows verified (intact).
             */
            rows_checked?: number | null;
            /** @description `intact`, `broken` or `not_verified`. */
            status: string;
        };
        /**
         * @description What a package change did.
         * @enum {string}
         */
        ChangeAction: "upgrade" | "install" | "remove" | "downgrade";
        /** @description The current password and the new one. */
        ChangePasswordRequest: {
            /**
             * Format: password
             * @description The password now.
             */
            current_password: string;
            /**
             * Format: password
             * @description The new password: 12 to 1024 characters, not one repeated character, not the username.
             */
            new_password: string;
        };
        /** @description The compliance report. */
        ComplianceReportDoc: {
            /** @description Fleet-wide figures. */
            fleet: components["schemas"]["FleetComplianceDoc"];
            /** @description One entry per host, by name. */
            hosts: components["schemas"]["HostComplianceDoc"][];
            /** @description When, by whom, with which filters. */
            meta: components["schemas"]["ReportMetaDoc"];
        };
        /**
         * @description Security compliance: of the hosts that answer and whose patches were polled, those with no
         *     pending security update.
         */
        ComplianceView: {
            /**
             * Format: int64
             * @description Hosts with no pending security update.
             */
            compliant: number;
            /**
             * Format: double
             * @description `compliant / reachable` as a percentage; `null` while no host counts.
             */
            pct?: number | null;
            /**
             * Format: int64
             * @description Hosts that answer (`healthy` or `degraded`) and were polled for patches.
             */
            reachable: number;
        };
        /** @description How many agents a worker calls at once (SDD §5.2's semaphore). */
        ConcurrencySettings: {
            /**
             * Format: int32
             * @description Concurrent agent calls per worker (1 to 1,024; default 64).
             * @default 64
             */
            max_agents: number;
        };
        /** @description A token to create. */
        CreateApiToken: {
            /**
             * Format: date-time
             * @description When it stops working (in the future); absent: never.
             */
            expires_at?: string | null;
            /**
             * @description Operator tokens only: limit it to these groups, each of which must be yours (an
             *     admin may name any). Absent: it follows your groups as they change.
             */
            group_ids?: number[] | null;
            /** @description What it is for (a pipeline, a script); unique among your tokens. */
            name: string;
            /**
             * @description The role it acts with: at most your own (an admin may pick any; others only their
             *     own role).
             */
            role: components["schemas"]["Role"];
        };
        /** @description A scan to start. */
        CreateDiscoveryRequest: {
            /** @description The range, e.g. `10.20.0.0/22`; at most a /16 (65,536 addresses). */
            cidr: string;
            /**
             * Format: int32
             * @description The agent port to probe (default 12443).
             */
            port?: number | null;
        };
        /** @description A new account and its one-time password. */
        CreatedUserView: {
            /**
             * @description The one-time password: shown this once, stored only as a hash. Hand it to the user,
             *     who sets up a second factor at their first login.
             */
            password: string;
            /** @description The account. */
            user: components["schemas"]["UserView"];
        };
        /** @description A new group. */
        CreateGroup: {
            /** @description Free text, at most 1000 characters. */
            description?: string;
            /** @description A unique name, 1 to 100 characters. */
            name: string;
        };
        /** @description A host to register: a name, an address, or both. */
        CreateHost: {
            /**
             * @description Its DNS name; without `ip` it must resolve.
             * @example web-01.example.com
             */
            fqdn?: string | null;
            /** @description Ids of its groups; an operator may name only their own (or none: ungrouped). */
            groups?: number[];
            /**
             * @description Its address (IPv4 or IPv6); the manager connects here when given.
             * @example 192.0.2.10
             */
            ip?: string | null;
            /**
             * Format: int32
             * @description The agent's port (default 12443).
             * @default 12443
             */
            port: number | null;
        };
        /** @description A job to create. */
        CreateJobRequest: {
            /** @description Ask the agents what they would do, change nothing (not for `reboot`). */
            dry_run?: boolean;
            /** @description The hosts (duplicates are ignored), at most 10,000. */
            host_ids: number[];
            /**
             * @description What to do. `rollback` is created with `POST /api/v1/jobs/{id}/rollback`; `refresh` is
             *     not a job people create here.
             */
            kind: components["schemas"]["JobKind"];
            /** @description Now, or at each host's next maintenance window. */
            mode: components["schemas"]["JobMode"];
            /**
             * @description Packages: required for `install`, `update` and `remove`; for `apply_patches` a subset
             *     of the available updates (absent: all); not allowed for `reboot`. A `{name, version}`
             *     pins a version, for `install` only.
             */
            packages?: components["schemas"]["PackageArg"][];
            reboot?: components["schemas"]["RebootPolicy"] | null;
            /** @description Security updates only (`apply_patches` only). */
            security_only?: boolean;
        };
        /** @description A new account. */
        CreateUser: {
            /** @description Ids of the groups they join. */
            groups?: number[];
            /** @description What the user may do. */
            role: components["schemas"]["Role"];
            /** @description Login name: letters, digits, `.`, `_`, `-` and `@`; stored in lower case. */
            username: string;
        };
        /** @description One host's finding of one CVE. */
        CveFindingDoc: {
            /** @description Advisories. */
            advisories: string[];
            /** @description The CVE id. */
            cve: string;
            /**
             * Format: date-time
             * @description First seen on the host.
             */
            first_seen: string;
            /**
             * Format: date-time
             * @description Seen fixed.
             */
            fixed_at?: string | null;
            /** @description The host's name. */
            host: string;
            /** @description Its severity. */
            severity: components["schemas"]["Severity"];
        };
        /** @description One CVE across hosts. */
        CveSummaryDoc: {
            /** @description Advisories. */
            advisories: string[];
            /** @description Hosts where it is open. */
            affected_hosts: string[];
            /**
             * Format: int64
             * @description Days its oldest open finding has been open; `null` when fixed everywhere.
             */
            age_days?: number | null;
            /** @description The CVE id. */
            cve: string;
            /**
             * Format: date-time
             * @description When it was first seen anywhere.
             */
            first_seen: string;
            /**
             * Format: int32
             * @description Hosts where it was fixed.
             */
            fixed_hosts: number;
            /** @description Its most severe rating. */
            severity: components["schemas"]["Severity"];
        };
        /** @description An agent a scan found. */
        DiscoveryResultView: {
            /** @description Its agent version. */
            agent_version?: string | null;
            /** @description The name it reported, if any. */
            fqdn?: string | null;
            /**
             * Format: int64
             * @description Its id (what registration names).
             */
            id: number;
            /** @description Its address. */
            ip: string;
            /**
             * Format: int64
             * @description Its port.
             */
            port: number;
            /**
             * Format: int64
             * @description The host it already is: the one it was registered as from a scan, else the host at
             *     its address and port or under its name (registered by hand or from another scan);
             *     null while it is no host.
             */
            registered_host_id?: number | null;
        };
        /**
         * @description Where a scan stands.
         * @enum {string}
         */
        DiscoveryState: "queued" | "running" | "succeeded" | "failed" | "cancelled";
        /** @description A scan and its progress. */
        DiscoveryView: {
            /** @description The range scanned. */
            cidr: string;
            /**
             * Format: date-time
             * @description When it was requested.
             */
            created_at: string;
            /** @description Why it failed. */
            error?: string | null;
            /**
             * Format: date-time
             * @description When it finished.
             */
            finished_at?: string | null;
            /**
             * Format: int64
             * @description Agents found so far.
             */
            found: number;
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /**
             * Format: int64
             * @description The agent port probed.
             */
            port: number;
            /**
             * Format: int64
             * @description Addresses probed so far.
             */
            probed: number;
            /** @description Where it stands. */
            state: components["schemas"]["DiscoveryState"];
            /**
             * Format: int64
             * @description Addresses to probe.
             */
            total: number;
        };
        /** @description A second factor was enrolled. */
        EnrolledView: {
            /** @description The access token, when enrolment was done with an enrolment token (first login). */
            access_token?: string;
            /**
             * Format: int64
             * @description Seconds until the access token expires, with `access_token`.
             */
            expires_in?: number;
            /** @description What was enrolled. */
            method: components["schemas"]["MfaMethod"];
            /**
             * @description New recovery codes, shown once, when this was the account's first second factor
             *     (empty when a factor is added later: `POST /auth/recovery-codes` makes new ones).
             */
            recovery_codes: string[];
            /** @description The refresh token, with `access_token`. */
            refresh_token?: string;
            /** @description `Bearer`, with `access_token`. */
            token_type?: components["schemas"]["TokenType"];
        };
        /** @description The error envelope as the OpenAPI document describes it. */
        ErrorBody: {
            /** @description The error. */
            error: components["schemas"]["ErrorDetail"];
        };
        /** @description The inside of the error envelope. */
        ErrorDetail: {
            /** @description A stable snake_case code clients can branch on. */
            code: string;
            /** @description Structured detail: `fields` for a 422, `retry_after_s` for a 429 or 503, else empty. */
            details: Record<string, never>;
            /** @description A human-readable explanation, safe to show. */
            message: string;
            /** @description The ULID of the request, as in the `X-Request-Id` header and the server's log. */
            request_id: string;
        };
        /**
         * @description Whether an event concerns the whole job or one host's row.
         * @enum {string}
         */
        EventLevel: "job" | "host";
        /** @description Fleet-wide compliance figures. */
        FleetComplianceDoc: {
            /** @description Per group (a host in several groups counts in each; `(ungrouped)` for none). */
            by_group: components["schemas"]["GroupComplianceDoc"][];
            /**
             * Format: int32
             * @description Reachable, polled, nothing pending.
             */
            fully_patched: number;
            /**
             * Format: int32
             * @description Hosts covered.
             */
            hosts: number;
            /** @description Hosts by their most severe pending update. */
            hosts_by_worst_severity: components["schemas"]["SeverityCountsDoc"];
            /**
             * Format: int32
             * @description Hosts never polled successfully.
             */
            not_polled: number;
            /** @description Pending updates by severity. */
            pending: components["schemas"]["SeverityCountsDoc"];
            /**
             * Format: double
             * @description `fully_patched / hosts` in percent; `null` without hosts.
             */
            percent_fully_patched?: number | null;
            /**
             * Format: int32
             * @description Hosts that need a reboot.
             */
            reboot_required: number;
            /**
             * Format: int64
             * @description Pending security updates.
             */
            security_patches: number;
            /**
             * Format: int32
             * @description Hosts whose retries are exhausted.
             */
            unreachable: number;
        };
        /** @description The fleet at a glance, over the caller's scope. */
        FleetStatusView: {
            /** @description Unreachable then unhealthy hosts, each by when it was last seen (at most `limit`). */
            attention: components["schemas"]["HostView"][];
            /** @description Hosts per status. */
            by_status: components["schemas"]["StatusCounts"];
            /** @description Security compliance. */
            compliance: components["schemas"]["ComplianceView"];
            /**
             * Format: int64
             * @description Polled hosts with no pending update at all.
             */
            fully_patched: number;
            /**
             * Format: date-time
             * @description When this was computed.
             */
            generated_at: string;
            /**
             * Format: int64
             * @description Hosts in scope.
             */
            hosts: number;
            /** @description Jobs under way. */
            jobs: components["schemas"]["ActiveJobsView"];
            /** @description Pending updates per severity. */
            pending_patches: components["schemas"]["PendingBySeverityView"];
            /**
             * Format: int64
             * @description Hosts polled for patches at least once.
             */
            polled: number;
            /**
             * Format: int64
             * @description Hosts that need a reboot.
             */
            reboot_required: number;
            /** @description The next window openings (windows open now first), at most `limit`. */
            upcoming_windows: components["schemas"]["UpcomingWindowView"][];
            /**
             * Format: int64
             * @description Hosts with pending critical updates.
             */
            with_critical_updates: number;
            /**
             * Format: int64
             * @description Hosts with pending security updates.
             */
            with_security_updates: number;
            /** @description The workers' heartbeat. */
            worker: components["schemas"]["WorkerView"];
        };
        /** @description One group's compliance figures. */
        GroupComplianceDoc: {
            /**
             * Format: int32
             * @description Fully patched hosts.
             */
            fully_patched: number;
            /** @description The group's name. */
            group: string;
            /**
             * Format: int32
             * @description Hosts.
             */
            hosts: number;
            /** @description Pending updates by severity. */
            pending: components["schemas"]["SeverityCountsDoc"];
            /**
             * Format: double
             * @description In percent.
             */
            percent_fully_patched?: number | null;
            /**
             * Format: int32
             * @description Unreachable hosts.
             */
            unreachable: number;
        };
        /** @description A group with its members. */
        GroupDetailView: {
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /** @description Free text. */
            description: string;
            /**
             * Format: int64
             * @description Member hosts.
             */
            host_count: number;
            /** @description Ids of its hosts. */
            host_ids: number[];
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /** @description Its unique name. */
            name: string;
            /**
             * Format: int64
             * @description Member users.
             */
            user_count: number;
            /** @description Ids of its users. */
            user_ids: number[];
        };
        /** @description The complete list of a group's hosts. */
        GroupHosts: {
            /** @description Host ids; hosts not named leave the group. */
            host_ids: number[];
        };
        /** @description The complete list of a group's users. */
        GroupUsers: {
            /** @description User ids; users not named leave the group. */
            user_ids: number[];
        };
        /** @description A group as lists show it. */
        GroupView: {
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /** @description Free text. */
            description: string;
            /**
             * Format: int64
             * @description Member hosts.
             */
            host_count: number;
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /** @description Its unique name. */
            name: string;
            /**
             * Format: int64
             * @description Member users.
             */
            user_count: number;
        };
        /** @description The chain's head. */
        HeadView: {
            /** @description Its hash. */
            hash: string;
            /**
             * Format: int64
             * @description The newest row's id (0: none yet).
             */
            id: number;
        };
        /** @description The last health poll of a host. */
        HealthView: {
            /**
             * Format: date-time
             * @description When it ran.
             */
            collected_at: string;
            /** @description What the agent reported (version, uptime, checks). */
            details: Record<string, never>;
            /** @description Why not, when not. */
            error?: string | null;
            /** @description The agent answered and said ok. */
            ok: boolean;
        };
        /** @description Figures over all jobs of a patch-history report. */
        HistorySummaryDoc: {
            /** @description Changes by action word. */
            by_action: {
                [key: string]: number;
            };
            /** @description Jobs by state word. */
            by_state: {
                [key: string]: number;
            };
            /**
             * Format: int64
             * @description Package changes.
             */
            changes: number;
            /**
             * Format: int64
             * @description Distinct hosts touched.
             */
            hosts: number;
            /**
             * Format: int64
             * @description Jobs.
             */
            jobs: number;
            /**
             * Format: int64
             * @description Rollback jobs.
             */
            rollbacks: number;
            /** @description Changes and jobs per period. */
            trend: components["schemas"]["TrendPointDoc"][];
            /** @description `day` or `week`. */
            trend_period: string;
        };
        /** @description One host's compliance. */
        HostComplianceDoc: {
            /** @description Its groups' names. */
            groups: string[];
            /**
             * Format: date-time
             * @description Last successful patch poll.
             */
            last_successful_poll?: string | null;
            /** @description Its name. */
            name: string;
            /** @description Operating system. */
            os?: string | null;
            /** @description Pending updates by severity. */
            pending: components["schemas"]["SeverityCountsDoc"];
            /** @description A reboot is pending. */
            reboot_required: boolean;
            /**
             * Format: int32
             * @description Pending security updates.
             */
            security_patches: number;
            /** @description Retries exhausted. */
            unreachable: boolean;
        };
        /** @description A host with what the last polls found: the host detail page. */
        HostDetailView: components["schemas"]["HostView"] & {
            /** @description Agent version. */
            agent_version?: string | null;
            /** @description CPU architecture. */
            arch?: string | null;
            health?: components["schemas"]["HealthView"] | null;
            /** @description Short host name reported by the agent. */
            hostname?: string | null;
            /** @description Running kernel. */
            kernel?: string | null;
            /**
             * Format: date-time
             * @description Last boot.
             */
            last_boot_at?: string | null;
            /**
             * Format: date-time
             * @description Last successful health poll.
             */
            last_health_at?: string | null;
            /**
             * Format: date-time
             * @description Last successful patch poll.
             */
            last_patch_poll_at?: string | null;
            /** @description os-release `ID`. */
            os_id?: string | null;
            /** @description os-release `VERSION_ID`. */
            os_version?: string | null;
            /** @description Updates available at the last patch poll. */
            pending: components["schemas"]["PendingView"];
            /** @description A reboot is pending. */
            reboot_required: boolean;
        };
        /** @description The complete list of a host's groups. */
        HostGroups: {
            /** @description Group ids (empty: ungrouped); an operator may name only their own. */
            group_ids: number[];
        };
        /** @description A job as it touched one host. */
        HostJobView: {
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /**
             * Format: int64
             * @description Who created it (absent for the system, or a deleted user).
             */
            created_by?: number | null;
            /**
             * Format: date-time
             * @description When this host's part becomes due (absent while waiting for a window).
             */
            due_at?: string | null;
            /** @description The last error. */
            error?: string | null;
            /**
             * Format: date-time
             * @description When it finished.
             */
            finished_at?: string | null;
            /**
             * Format: int64
             * @description How many hosts the job covers.
             */
            job_host_count: number;
            /**
             * Format: int64
             * @description The job's id.
             */
            job_id: number;
            /** @description The state of the whole job. */
            job_state: components["schemas"]["JobState"];
            /** @description What the job does. */
            kind: components["schemas"]["JobKind"];
            /**
             * Format: int64
             * @description Percent done.
             */
            progress: number;
            /** @description The host needs a reboot afterwards. */
            reboot_required: boolean;
            /** @description When it runs. */
            schedule: components["schemas"]["Schedule"];
            /**
             * Format: date-time
             * @description When it started on the agent.
             */
            started_at?: string | null;
            /** @description The state of this host's part. */
            state: components["schemas"]["JobHostState"];
            /** @description Why it waits. */
            waiting_reason?: string | null;
        };
        /**
         * @description A host's health as the manager last saw it.
         *
         *     `pending`: registered, never reached. `healthy`: the agent answers and says ok.
         *     `degraded`: the agent answers and reports a degraded check. `unhealthy`: calls fail and are
         *     being retried. `unreachable`: retries exhausted; flagged in reports.
         * @enum {string}
         */
        HostStatus: "pending" | "healthy" | "degraded" | "unhealthy" | "unreachable";
        /** @description A host as lists and details show it. */
        HostView: {
            /**
             * Format: date-time
             * @description When it was registered.
             */
            created_at: string;
            /** @description Its DNS name, if registered by name. */
            fqdn?: string | null;
            /** @description Ids of its groups (empty: ungrouped). */
            groups: number[];
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /** @description Its address, if registered by address. */
            ip?: string | null;
            /**
             * Format: date-time
             * @description When the agent last answered.
             */
            last_seen_at?: string | null;
            /** @description Operating system, once polled. */
            os_name?: string | null;
            package_manager?: components["schemas"]["PackageManager"] | null;
            /**
             * Format: int32
             * @description The agent's port.
             */
            port: number;
            /** @description Health as last seen. */
            status: components["schemas"]["HostStatus"];
        };
        /** @description A job with its host rows (those in the caller's scope) and its latest events. */
        JobDetailView: components["schemas"]["JobView"] & {
            /** @description Its rows for hosts in the caller's scope. */
            hosts: components["schemas"]["JobHostView"][];
            /** @description The newest events (at most 20), newest first; the whole log is at `/events`. */
            recent_events: components["schemas"]["JobEventView"][];
        };
        /** @description One entry of a job's event log. */
        JobEventView: {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /**
             * Format: int64
             * @description The row's attempt number at the time.
             */
            attempt: number;
            /**
             * Format: int64
             * @description The host, for a host-level event.
             */
            host_id?: number | null;
            /**
             * Format: int64
             * @description Its id (the log's order).
             */
            id: number;
            /**
             * Format: int64
             * @description The host row, for a host-level event.
             */
            job_host_id?: number | null;
            /** @description Job or host level. */
            level: components["schemas"]["EventLevel"];
            /** @description Why a row waits, what went wrong, or who acted. */
            message?: string | null;
            /** @description The new state: a job state for job-level events, a host-row state otherwise. */
            state: string;
        };
        /** @description One host's part in a job. */
        JobHostRecordDoc: {
            /** @description Package changes. */
            changes: components["schemas"]["PackageChangeDoc"][];
            /** @description The error, when it failed. */
            error?: string | null;
            /** @description The host's name. */
            host: string;
            /** @description How it ended. */
            state: components["schemas"]["JobHostState"];
        };
        /**
         * @description The state of one host's row within a job (see the module docs for the diagram).
         * @enum {string}
         */
        JobHostState: "queued" | "dispatched" | "running" | "retry_waiting" | "succeeded" | "failed" | "cancelled";
        /** @description One host's row of a job. */
        JobHostView: {
            /** @description The agent's job id, once it accepted the work. */
            agent_job_id?: string | null;
            /**
             * Format: int64
             * @description Attempts so far (each claim by a worker is one).
             */
            attempts: number;
            /** @description Package changes made. */
            changes: components["schemas"]["PackageChangeView"][];
            /** @description The last error. */
            error?: string | null;
            /**
             * Format: date-time
             * @description When it finished.
             */
            finished_at?: string | null;
            /**
             * Format: int64
             * @description The host.
             */
            host_id: number;
            /** @description The host's name (FQDN, else address). */
            host_name?: string | null;
            /**
             * Format: int64
             * @description The row's id.
             */
            id: number;
            /** @description The agent's last output lines. */
            log_tail: string[];
            /**
             * Format: date-time
             * @description When the row becomes due: for a queued job, its host's next window opening.
             */
            next_window_at?: string | null;
            /**
             * Format: int64
             * @description In-window retries of a failed patch.
             */
            patch_retries: number;
            /**
             * Format: int64
             * @description Percent done.
             */
            progress: number;
            /** @description The host needs a reboot. */
            reboot_required: boolean;
            /**
             * Format: int64
             * @description Retries after transient agent errors.
             */
            retries: number;
            /**
             * Format: date-time
             * @description When it was first sent to the agent.
             */
            started_at?: string | null;
            /**
             * @description The row's state. `dispatched` and `running` rows were sent to the agent: cancelling
             *     the job does not stop them.
             */
            state: components["schemas"]["JobHostState"];
            /** @description Why the row waits (e.g. the host has no maintenance window). */
            waiting_reason?: string | null;
        };
        /**
         * @description What a job asks the agents to do.
         * @enum {string}
         */
        JobKind: "apply_patches" | "install" | "update" | "remove" | "reboot" | "rollback" | "refresh";
        /**
         * @description When a job may start on each host.
         * @enum {string}
         */
        JobMode: "immediate" | "queued";
        /** @description What the agents are asked to do. */
        JobOptionsView: {
            /** @description Nothing is changed. */
            dry_run: boolean;
            /** @description Packages named (empty: all available updates, for `apply_patches`). */
            packages: components["schemas"]["PackageView"][];
            /** @description Reboot behaviour. */
            reboot: components["schemas"]["RebootPolicy"];
            /** @description Security updates only. */
            security_only: boolean;
        };
        /** @description One finished job. */
        JobRecordDoc: {
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When it finished.
             */
            finished_at?: string | null;
            /** @description Its hosts the caller may see. */
            hosts: components["schemas"]["JobHostRecordDoc"][];
            /**
             * Format: int64
             * @description The job id.
             */
            id: number;
            /** @description What it did. */
            kind: components["schemas"]["JobKind"];
            /**
             * Format: int64
             * @description The job it rolled back.
             */
            rollback_of?: number | null;
            /** @description Who started it. */
            started_by: string;
            /** @description How it ended. */
            state: components["schemas"]["JobState"];
        };
        /**
         * @description The state of a whole job.
         * @enum {string}
         */
        JobState: "queued" | "running" | "succeeded" | "partially_failed" | "failed" | "cancelled";
        /** @description A job as lists show it. */
        JobView: {
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /**
             * Format: int64
             * @description Who created it (`null`: the system, or a deleted user).
             */
            created_by?: number | null;
            /** @description Their username. */
            created_by_name?: string | null;
            /**
             * Format: date-time
             * @description When its last host finished.
             */
            finished_at?: string | null;
            /**
             * Format: int64
             * @description How many hosts it covers (the caller may see fewer rows).
             */
            host_count: number;
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /** @description What it does. */
            kind: components["schemas"]["JobKind"];
            /** @description Now, or at each host's window. */
            mode: components["schemas"]["JobMode"];
            /** @description What the agents are asked to do. */
            options: components["schemas"]["JobOptionsView"];
            /**
             * Format: int64
             * @description For a rollback, the job it undoes.
             */
            parent_id?: number | null;
            /**
             * Format: date-time
             * @description When its first host started.
             */
            started_at?: string | null;
            /** @description Its state. */
            state: components["schemas"]["JobState"];
        };
        /** @description A username and password. */
        LoginRequest: {
            /**
             * Format: password
             * @description The password.
             */
            password: string;
            /** @description The login name (case does not matter). */
            username: string;
        };
        /**
         * @description What the password step answers: never a session directly (MFA is mandatory), but either the
         *     second step (`mfa_required`, `mfa_token`, `methods`) or, for an account without a second
         *     factor, enrolment (`mfa_enrollment_required`, `enrollment_token`). The session fields are
         *     reserved for sign-ins whose second factor is already proven elsewhere (single sign-on).
         */
        LoginView: {
            /** @description The access token, when the login is complete. */
            access_token?: string;
            /** @description The bearer token of the enrolment endpoints only (5 minutes). */
            enrollment_token?: string;
            /**
             * Format: int64
             * @description Seconds until the access token expires, when the login is complete.
             */
            expires_in?: number;
            /** @description The second factors this account can use. */
            methods?: components["schemas"]["MfaMethod"][];
            /** @description `true`: the account has no second factor yet; enrol one with `enrollment_token`. */
            mfa_enrollment_required?: boolean;
            /** @description `true`: send a second factor with `mfa_token`. */
            mfa_required?: boolean;
            /** @description The token for the second step (5 minutes, at most 5 wrong codes). */
            mfa_token?: string;
            /** @description The refresh token, when the login is complete. */
            refresh_token?: string;
            /** @description `Bearer`, when the login is complete. */
            token_type?: components["schemas"]["TokenType"];
        };
        /** @description The caller and how they log in. */
        MeView: {
            /** @description Ids of the groups they belong to. */
            groups: number[];
            /**
             * Format: int64
             * @description User id.
             */
            id: number;
            /** @description The second factors they can log in with. */
            methods: components["schemas"]["MfaMethod"][];
            /**
             * Format: date-time
             * @description When their first second factor was enrolled.
             */
            mfa_enrolled_at?: string | null;
            /**
             * Format: int64
             * @description Unused recovery codes left.
             */
            recovery_codes_left: number;
            /** @description The role this request acts with: the account's, or an API token's, which may be less. */
            role: components["schemas"]["Role"];
            /** @description Login name. */
            username: string;
            /** @description Their WebAuthn credentials. */
            webauthn_credentials: components["schemas"]["WebauthnCredentialView"][];
        };
        /** @description A code for the second step. */
        MfaCodeRequest: {
            /**
             * @description The code: 6 digits (TOTP) or `xxxx-xxxx-xxxx` (recovery; case, spaces and dashes do
             *     not matter).
             */
            code: string;
            /** @description The `mfa_token` from `/auth/login`. */
            mfa_token: string;
        };
        /**
         * @description A second factor.
         * @enum {string}
         */
        MfaMethod: "totp" | "webauthn" | "recovery";
        /** @description The MFA token alone. */
        MfaTokenRequest: {
            /** @description The `mfa_token` from `/auth/login`. */
            mfa_token: string;
        };
        /** @description The state of a user's second factors (never the factors themselves). */
        MfaView: {
            /** @description A second factor is confirmed; `false`: the user must enrol at their next login. */
            enrolled: boolean;
            /**
             * Format: date-time
             * @description When it was confirmed.
             */
            enrolled_at?: string | null;
            /** @description The methods set up. */
            methods: components["schemas"]["MfaMethod"][];
            /**
             * Format: int64
             * @description Unused recovery codes.
             */
            recovery_codes_left: number;
            /**
             * Format: int64
             * @description Registered WebAuthn credentials.
             */
            webauthn_credentials: number;
        };
        /** @description Every month on this day; months without it are skipped. */
        MonthlyByDayRule: {
            /**
             * Format: int32
             * @description Day of month.
             */
            day: number;
        };
        /** @description Every month on the `week`-th `weekday`. */
        MonthlyByWeekdayRule: {
            /** @description Which one. */
            week: components["schemas"]["WeekOfMonthName"];
            /** @description The weekday. */
            weekday: components["schemas"]["WeekdayName"];
        };
        /** @description A one-time password from an admin's reset. */
        OneTimePasswordView: {
            /** @description The new password: shown this once, stored only as a hash. */
            password: string;
            /**
             * Format: int64
             * @description The user.
             */
            user_id: number;
        };
        /** @description One period in which a window is open: `[opens_at, closes_at)`. */
        OpeningView: {
            /**
             * Format: date-time
             * @description When it closes.
             */
            closes_at: string;
            /**
             * Format: date-time
             * @description When it opens.
             */
            opens_at: string;
        };
        /** @description A package as a job names it: a name, or a name and an exact version (install only). */
        PackageArg: string | components["schemas"]["PinnedPackage"];
        /** @description One package change. */
        PackageChangeDoc: {
            /** @description What happened. */
            action: components["schemas"]["ChangeAction"];
            /** @description Version before. */
            from?: string | null;
            /** @description Package name. */
            package: string;
            /** @description Version after. */
            to?: string | null;
        };
        /** @description A package change a job made on a host. */
        PackageChangeView: {
            /** @description What happened. */
            action: components["schemas"]["ChangeAction"];
            /** @description Version before (none for an install). */
            from?: string | null;
            /** @description Package name. */
            package: string;
            /** @description Version after (none for a removal). */
            to?: string | null;
        };
        /**
         * @description The package manager a host's agent drives.
         * @enum {string}
         */
        PackageManager: "apt" | "dnf" | "zypper";
        /** @description An installed package, from the last package poll. */
        PackageView: {
            /** @description Architecture. */
            arch: string;
            /** @description Name. */
            name: string;
            /** @description Installed version. */
            version: string;
        };
        /** @description One page of a list. */
        Paged_ApiTokenView: {
            /** @description The rows of this page. */
            items: components["schemas"]["ApiTokenView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_AuditRecordView: {
            /** @description The rows of this page. */
            items: components["schemas"]["AuditRecordView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_CertificateView: {
            /** @description The rows of this page. */
            items: components["schemas"]["CertificateView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_DiscoveryResultView: {
            /** @description The rows of this page. */
            items: components["schemas"]["DiscoveryResultView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_DiscoveryView: {
            /** @description The rows of this page. */
            items: components["schemas"]["DiscoveryView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_GroupView: {
            /** @description The rows of this page. */
            items: components["schemas"]["GroupView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_HostJobView: {
            /** @description The rows of this page. */
            items: components["schemas"]["HostJobView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_HostView: {
            /** @description The rows of this page. */
            items: components["schemas"]["HostView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_JobEventView: {
            /** @description The rows of this page. */
            items: components["schemas"]["JobEventView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_JobView: {
            /** @description The rows of this page. */
            items: components["schemas"]["JobView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_PackageView: {
            /** @description The rows of this page. */
            items: components["schemas"]["PackageView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_PatchView: {
            /** @description The rows of this page. */
            items: components["schemas"]["PatchView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_UserView: {
            /** @description The rows of this page. */
            items: components["schemas"]["UserView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description One page of a list. */
        Paged_WindowView: {
            /** @description The rows of this page. */
            items: components["schemas"]["WindowView"][];
            /**
             * Format: int32
             * @description This page's number.
             */
            page: number;
            /**
             * Format: int32
             * @description Rows per page.
             */
            per_page: number;
            /**
             * Format: int64
             * @description Rows matching the filters across all pages.
             */
            total: number;
        };
        /** @description The patch-history report. */
        PatchHistoryReportDoc: {
            /** @description The jobs, newest first. */
            jobs: components["schemas"]["JobRecordDoc"][];
            /** @description When, by whom, with which filters. */
            meta: components["schemas"]["ReportMetaDoc"];
            /** @description For each rolled-back job id, the rollback jobs that undid it. */
            rolled_back_by: {
                [key: string]: number[];
            };
            /** @description Figures over all jobs. */
            summary: components["schemas"]["HistorySummaryDoc"];
        };
        /** @description An update a host could apply, from the last patch poll. */
        PatchView: {
            /** @description Advisory ids (USN, RHSA, SUSE-SU ...). */
            advisories: string[];
            /** @description Architecture. */
            arch: string;
            /** @description Version the update brings. */
            available_version: string;
            /** @description Installed version. */
            current_version: string;
            /** @description CVE ids. */
            cves: string[];
            /** @description Package name. */
            package: string;
            /** @description Applying it needs a reboot. */
            reboot_required: boolean;
            /** @description A security update. */
            security: boolean;
            /** @description Severity. */
            severity: components["schemas"]["Severity"];
        };
        /**
         * Format: binary
         * @description A PDF file.
         */
        PdfDocument: string;
        /** @description Pending updates summed over the hosts, per severity. */
        PendingBySeverityView: {
            /**
             * Format: int64
             * @description Critical.
             */
            critical: number;
            /**
             * Format: int64
             * @description Important.
             */
            important: number;
            /**
             * Format: int64
             * @description Low.
             */
            low: number;
            /**
             * Format: int64
             * @description Moderate.
             */
            moderate: number;
            /**
             * Format: int64
             * @description Not rated.
             */
            unknown: number;
        };
        /** @description Updates available at the last patch poll. */
        PendingView: {
            /**
             * Format: int64
             * @description Of which critical.
             */
            critical: number;
            /**
             * Format: int64
             * @description All available updates.
             */
            patches: number;
            /**
             * Format: int64
             * @description Of which security updates.
             */
            security: number;
        };
        /** @description A package with an optional exact version. */
        PinnedPackage: {
            /** @description Package name. */
            name: string;
            /** @description Exact version to install; absent: the newest. */
            version?: string | null;
        };
        /** @description How often the worker polls agents. */
        PollingSettings: {
            /**
             * Format: int32
             * @description Seconds between health checks of a host (60 to 86,400; default 300).
             * @default 300
             */
            health_interval_s: number;
            /**
             * Format: int32
             * @description Seconds between patch-availability queries of a host (60 to 86,400; default 1,800).
             * @default 1800
             */
            patch_interval_s: number;
        };
        /**
         * @description Whether the agent reboots after applying.
         * @enum {string}
         */
        RebootPolicy: "never" | "if_required" | "always";
        /** @description New recovery codes, shown once. */
        RecoveryCodesView: {
            /**
             * @description The codes (`xxxx-xxxx-xxxx`); each logs in once in place of the second factor. Every
             *     earlier code no longer works.
             */
            recovery_codes: string[];
        };
        /** @description A refresh token. */
        RefreshRequest: {
            /** @description The refresh token from the login or the last refresh. */
            refresh_token: string;
        };
        /** @description Results to register as hosts. */
        RegisterRequest: {
            /** @description Groups to put the new hosts in (default: none). */
            groups?: number[];
            /** @description Result ids of this scan (duplicates are ignored), at most 1,000. */
            result_ids: number[];
        };
        /** @description What a registration did, result by result. */
        RegisterView: {
            /** @description One entry per result named, in id order. */
            results: components["schemas"]["RegistrationView"][];
        };
        /**
         * @description What registering one result did.
         * @enum {string}
         */
        RegistrationOutcome: "registered" | "already_registered";
        /** @description One registered result. */
        RegistrationView: {
            /**
             * Format: int64
             * @description The host it is registered as.
             */
            host_id: number;
            /** @description Whether it was created now. */
            outcome: components["schemas"]["RegistrationOutcome"];
            /**
             * Format: int64
             * @description The result.
             */
            result_id: number;
        };
        /** @description The filters a report was produced with (names, not ids). */
        ReportFiltersDoc: {
            /**
             * Format: date-time
             * @description From (inclusive).
             */
            from?: string | null;
            /** @description Group names (empty: all). */
            groups: string[];
            /** @description Host names (empty: all). */
            hosts: string[];
            /** @description Severities (empty: all). */
            severities: components["schemas"]["Severity"][];
            /**
             * Format: date-time
             * @description Until (exclusive).
             */
            until?: string | null;
        };
        /**
         * @description How a report is delivered.
         * @enum {string}
         */
        ReportFormat: "json" | "csv" | "pdf";
        /** @description Who asked for a report, when, and with which filters. */
        ReportMetaDoc: {
            /** @description The filters it was produced with. */
            filters: components["schemas"]["ReportFiltersDoc"];
            /**
             * Format: date-time
             * @description When it was generated.
             */
            generated_at: string;
            /** @description Who asked for it. */
            generated_by?: string | null;
        };
        /**
         * @description Why a certificate was revoked (RFC 5280 reason codes).
         * @enum {string}
         */
        RevocationReasonView: "unspecified" | "key_compromise" | "ca_compromise" | "affiliation_changed" | "superseded" | "cessation_of_operation" | "certificate_hold" | "privilege_withdrawn";
        /** @description A revocation. */
        RevokeRequest: {
            reason?: components["schemas"]["RevocationReasonView"] | null;
        };
        /**
         * @description What a user may do (SDD §7.2).
         * @enum {string}
         */
        Role: "admin" | "operator" | "auditor";
        /**
         * @description The calendar rule of a recurring window: `weekly`, `monthly_by_day` or
         *     `monthly_by_weekday`, holding that rule's fields.
         */
        RuleSpec: {
            /** @description Every week on these weekdays. */
            weekly: components["schemas"]["WeeklyRule"];
        } | {
            /** @description Every month on this day; months without it are skipped. */
            monthly_by_day: components["schemas"]["MonthlyByDayRule"];
        } | {
            /** @description Every month on the `week`-th `weekday`. */
            monthly_by_weekday: components["schemas"]["MonthlyByWeekdayRule"];
        };
        /**
         * @description When a job may start on each host.
         * @enum {string}
         */
        Schedule: "next_window" | "immediate";
        /** @description Who may reach the web listener. */
        SecuritySettings: {
            /**
             * @description Networks allowed to connect, as CIDRs (`10.0.0.0/8`, `fd00::/8`); empty: every address
             *     (TLS and sign-in still apply). Host bits are cleared when saved.
             * @default []
             * @example [
             *       "10.0.0.0/8",
             *       "192.168.10.0/24"
             *     ]
             */
            ip_allowlist: string[];
        };
        /** @description A new session: an access token for the API and the refresh token that renews it. */
        SessionView: {
            /** @description The access token (a JWT), for `Authorization: Bearer`. */
            access_token: string;
            /**
             * Format: int64
             * @description Seconds until the access token expires.
             */
            expires_in: number;
            /** @description The refresh token for `POST /auth/refresh`; single-use, kept only as a hash. */
            refresh_token: string;
            /** @description Always `Bearer`. */
            token_type: components["schemas"]["TokenType"];
        };
        /** @description Every settings section. */
        SettingsView: {
            /** @description Password hashing (read-only). */
            auth: components["schemas"]["AuthView"];
            /** @description Concurrent agent calls. */
            concurrency: components["schemas"]["ConcurrencySettings"];
            /** @description Poll intervals. */
            polling: components["schemas"]["PollingSettings"];
            /** @description The IP allowlist. */
            security: components["schemas"]["SecuritySettings"];
            /** @description The mail relay. */
            smtp: components["schemas"]["SmtpSettings"];
            /** @description Azure sign-in. */
            sso: components["schemas"]["SsoSettings"];
            /** @description The web certificate (read-only). */
            web_tls: components["schemas"]["WebTlsView"];
        };
        /**
         * @description Severity of an available patch, as the agent reports it.
         * @enum {string}
         */
        Severity: "critical" | "important" | "moderate" | "low" | "unknown";
        /** @description Counts by severity. */
        SeverityCountsDoc: {
            /**
             * Format: int32
             * @description Critical.
             */
            critical: number;
            /**
             * Format: int32
             * @description Important.
             */
            important: number;
            /**
             * Format: int32
             * @description Low.
             */
            low: number;
            /**
             * Format: int32
             * @description Moderate.
             */
            moderate: number;
            /**
             * Format: int32
             * @description Not rated.
             */
            unknown: number;
        };
        /** @description The mail relay for notifications. The password lives in a file (mode 0600), named here. */
        SmtpSettings: {
            /**
             * @description The sender address.
             * @default null
             */
            from: string | null;
            /**
             * @description The relay's host name or address; unset: no mail is sent.
             * @default null
             */
            host: string | null;
            /**
             * @description The file holding the password (absolute path).
             * @default null
             */
            password_file: string | null;
            /**
             * Format: int32
             * @description Its port (default 587, submission).
             * @default 587
             */
            port: number;
            /**
             * @description Upgrade the connection with STARTTLS (default true).
             * @default true
             */
            starttls: boolean;
            /**
             * @description The account to sign in with, if the relay wants one.
             * @default null
             */
            username: string | null;
        };
        /** @description Azure AD (Entra ID) sign-in. The client secret lives in a file (mode 0600), named here. */
        SsoSettings: {
            /**
             * @description The application (client) id, a GUID.
             * @default null
             */
            client_id: string | null;
            /**
             * @description The file holding the client secret (absolute path).
             * @default null
             */
            client_secret_file: string | null;
            /**
             * @description Offer Azure sign-in (requires every other field).
             * @default false
             */
            enabled: boolean;
            /**
             * @description Where Azure sends users back: `https://…/api/v1/auth/oidc/callback` on this server.
             * @default null
             */
            redirect_uri: string | null;
            /**
             * @description The directory (tenant) id: a GUID or a domain such as `contoso.onmicrosoft.com`.
             * @default null
             */
            tenant_id: string | null;
        };
        /** @description Hosts per status. */
        StatusCounts: {
            /**
             * Format: int64
             * @description Answering, the agent reports a problem.
             */
            degraded: number;
            /**
             * Format: int64
             * @description Answering, all well.
             */
            healthy: number;
            /**
             * Format: int64
             * @description Registered, never reached.
             */
            pending: number;
            /**
             * Format: int64
             * @description Errors, being retried.
             */
            unhealthy: number;
            /**
             * Format: int64
             * @description Retries exhausted.
             */
            unreachable: number;
        };
        /** @description A message on the job stream. */
        StreamMessage: {
            /**
             * Format: int64
             * @description The host, for host-level events.
             */
            host_id?: number | null;
            /**
             * Format: int64
             * @description The job-host row, for host-level events.
             */
            job_host_id?: number | null;
            /**
             * Format: int64
             * @description The job.
             */
            job_id: number;
            /** @description The new state. */
            state: string;
            /** @enum {string} */
            type: "job";
        } | {
            /** @enum {string} */
            type: "resync";
        };
        /** @description Time from first seen to fixed, for one severity (nearest-rank percentiles). */
        TimeToPatchDoc: {
            /**
             * Format: int32
             * @description Fixed findings measured.
             */
            fixed: number;
            /**
             * Format: double
             * @description Median, days.
             */
            median_days?: number | null;
            /**
             * Format: int32
             * @description Findings still open.
             */
            open: number;
            /**
             * Format: double
             * @description 90th percentile, days.
             */
            p90_days?: number | null;
            /** @description The severity. */
            severity: components["schemas"]["Severity"];
        };
        /**
         * @description The kind of an access token: always `Bearer`.
         * @enum {string}
         */
        TokenType: "Bearer";
        /** @description The first code from the authenticator app. */
        TotpConfirmRequest: {
            /** @description The 6-digit code now shown by the app. */
            code: string;
        };
        /** @description A TOTP secret to add to an authenticator app, shown once. */
        TotpSetupView: {
            /** @description The same as an `otpauth://totp/...` URI, for a QR code. */
            otpauth_uri: string;
            /** @description The secret, base32 without padding (for typing in). */
            secret: string;
        };
        /** @description One period of the trend. */
        TrendPointDoc: {
            /**
             * Format: int64
             * @description Package changes.
             */
            changes: number;
            /**
             * Format: int64
             * @description Jobs.
             */
            jobs: number;
            /**
             * Format: date
             * @description First day of the period.
             */
            start: string;
        };
        /** @description A maintenance window opening. */
        UpcomingWindowView: {
            /**
             * Format: date-time
             * @description When it closes.
             */
            closes_at: string;
            /**
             * Format: int64
             * @description Its host.
             */
            host_id: number;
            /** @description The host's name (FQDN, else address). */
            host_name: string;
            /** @description Whether it is open now. */
            open_now: boolean;
            /**
             * Format: date-time
             * @description When it opens (in the past for a window open now).
             */
            opens_at: string;
            /**
             * Format: int64
             * @description The window.
             */
            window_id: number;
            /** @description Its name. */
            window_name: string;
        };
        /** @description A change to a group; absent fields stay as they are. */
        UpdateGroup: {
            /** @description A new description, at most 1000 characters. */
            description?: string | null;
            /** @description A new unique name, 1 to 100 characters. */
            name?: string | null;
        };
        /** @description A change to an account; absent fields stay as they are. */
        UpdateUser: {
            /** @description Disable (ending every session at once) or re-enable the account. */
            disabled?: boolean | null;
            /** @description The new groups, replacing the old ones. */
            groups?: number[] | null;
            role?: components["schemas"]["Role"] | null;
        };
        /** @description A user account as admins see it. */
        UserView: {
            /**
             * Format: date-time
             * @description When the account was created.
             */
            created_at: string;
            /** @description A disabled account can do nothing. */
            disabled: boolean;
            /** @description Ids of their groups (an operator acts on these groups' hosts and on ungrouped ones). */
            groups: number[];
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /**
             * Format: date-time
             * @description The last complete login.
             */
            last_login_at?: string | null;
            /**
             * Format: date-time
             * @description Password logins are refused until then after repeated failures (absent when not
             *     locked).
             */
            locked_until?: string | null;
            /** @description Second factors. */
            mfa: components["schemas"]["MfaView"];
            /** @description A password is set. */
            password_set: boolean;
            /** @description What the user may do. */
            role: components["schemas"]["Role"];
            /** @description Login name. */
            username: string;
        };
        /** @description Which rows to verify; both bounds are optional (the oldest kept row, the newest row). */
        VerifyRequest: {
            /**
             * Format: int64
             * @description The first row to check.
             */
            from_id?: number | null;
            /**
             * Format: int64
             * @description The last row to check.
             */
            to_id?: number | null;
        };
        /** @description The outcome of a verification. */
        VerifyView: {
            first_broken?: components["schemas"]["BrokenRowView"] | null;
            /** @description The head the rows were verified against. */
            head: components["schemas"]["HeadView"];
            /** @description Whether every row checked holds. */
            ok: boolean;
            /**
             * Format: int64
             * @description Rows up to this id were removed by retention (0: none); they are not checked.
             */
            pruned_through: number;
            /**
             * Format: int64
             * @description Rows read.
             */
            rows_checked: number;
        };
        /** @description The vulnerability report. */
        VulnerabilityReportDoc: {
            /**
             * Format: int64
             * @description Hosts with an open finding.
             */
            affected_hosts: number;
            /** @description One entry per CVE. */
            cves: components["schemas"]["CveSummaryDoc"][];
            /** @description Every finding. */
            findings: components["schemas"]["CveFindingDoc"][];
            /** @description When, by whom, with which filters. */
            meta: components["schemas"]["ReportMetaDoc"];
            /** @description Open CVEs by severity. */
            open_cves_by_severity: components["schemas"]["SeverityCountsDoc"];
            /**
             * Format: int64
             * @description Open (host, CVE) findings.
             */
            open_findings: number;
            /** @description Time to patch per severity. */
            time_to_patch: components["schemas"]["TimeToPatchDoc"][];
        };
        /** @description A WebAuthn challenge for `navigator.credentials.create` or `.get`. */
        WebauthnChallengeView: {
            /**
             * @description The options, `{"publicKey": {...}}` with binary fields in base64url: decode them and
             *     pass the result to the browser's WebAuthn API.
             */
            options: Record<string, never>;
        };
        /** @description A registered WebAuthn credential. */
        WebauthnCredentialView: {
            /**
             * Format: date-time
             * @description When it was registered.
             */
            created_at: string;
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /**
             * Format: date-time
             * @description When it last completed a login.
             */
            last_used_at?: string | null;
            /** @description The name given at registration. */
            name: string;
        };
        /** @description The authenticator's answer to a WebAuthn login challenge. */
        WebauthnLoginFinishRequest: {
            /** @description The `PublicKeyCredential` from `navigator.credentials.get`, binary fields in base64url. */
            credential: Record<string, never>;
            /** @description The `mfa_token` from `/auth/login`. */
            mfa_token: string;
        };
        /** @description The authenticator's answer to a WebAuthn registration challenge. */
        WebauthnRegisterFinishRequest: {
            /**
             * @description The `PublicKeyCredential` from `navigator.credentials.create`, binary fields in
             *     base64url.
             */
            credential: Record<string, never>;
            /**
             * @description A name for the key, to tell it apart later ("YubiKey 5", "laptop"); default
             *     `Security key`.
             */
            name?: string | null;
        };
        /** @description What the web certificate says. */
        WebCertificateView: {
            /**
             * Format: date-time
             * @description End of validity.
             */
            not_after: string;
            /**
             * Format: date-time
             * @description Start of validity.
             */
            not_before: string;
            /** @description DNS names and IP addresses it is valid for. */
            sans: string[];
            /** @description SHA-256 of the DER, lower-case hex. */
            sha256_fingerprint: string;
            /** @description Subject common name. */
            subject: string;
        };
        /**
         * @description Where the web certificate comes from.
         * @enum {string}
         */
        WebTlsStrategy: "internal_ca" | "files";
        /** @description The web certificate strategy from `config.toml` and the certificate in use (read-only). */
        WebTlsView: {
            /** @description The certificate file, for the `files` strategy. */
            cert_file?: string | null;
            certificate?: components["schemas"]["WebCertificateView"] | null;
            /** @description The key file, for the `files` strategy. */
            key_file?: string | null;
            /** @description The strategy. */
            strategy: components["schemas"]["WebTlsStrategy"];
        };
        /**
         * @description A weekday. English names in any case are accepted too ("Monday", "MON").
         * @enum {string}
         */
        WeekdayName: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
        /** @description Every week on these weekdays. */
        WeeklyRule: {
            /** @description At least one weekday. */
            days: components["schemas"]["WeekdayName"][];
        };
        /**
         * @description Which occurrence of a weekday in a month.
         * @enum {string}
         */
        WeekOfMonthName: "first" | "second" | "third" | "fourth" | "last";
        /** @description A window, named, with its schedule. */
        WindowInput: {
            /** @description A name people recognise ("Sunday night"), 1 to 100 characters. */
            name: string;
            /** @description The schedule. */
            window: components["schemas"]["WindowSpec"];
        };
        /** @description A window's schedule (the JSON form of `lpm_core::window::MaintenanceWindow`). */
        WindowSpec: {
            /**
             * Format: date-time
             * @description When it closes; after `start`.
             */
            end: string;
            /** @enum {string} */
            kind: "one_time";
            /**
             * Format: date-time
             * @description When it opens.
             */
            start: string;
        } | {
            /**
             * Format: int64
             * @description How long each opening lasts: 1 minute to 7 days.
             */
            duration_minutes: number;
            /** @enum {string} */
            kind: "recurring";
            /**
             * @description Wall-clock opening time, `HH:MM`.
             * @example 02:30
             */
            local_start: string;
            /** @description Which local days. */
            rule: components["schemas"]["RuleSpec"];
            /**
             * @description An IANA time-zone name.
             * @example Europe/Berlin
             */
            time_zone: string;
        };
        /** @description A maintenance window with its host and next openings. */
        WindowView: {
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /**
             * Format: int64
             * @description The host it belongs to.
             */
            host_id: number;
            /** @description The host's FQDN, else its address. */
            host_name: string;
            /**
             * Format: int64
             * @description Its id.
             */
            id: number;
            /** @description Its name. */
            name: string;
            /** @description The next openings from now (at most three; none for a one-time window that has passed). */
            next_openings: components["schemas"]["OpeningView"][];
            /** @description Open at this moment. */
            open_now: boolean;
            /** @description The schedule. */
            window: components["schemas"]["WindowSpec"];
        };
        /**
         * @description Whether a worker is alive.
         * @enum {string}
         */
        WorkerState: "fresh" | "stale" | "absent";
        /** @description The workers' heartbeat. */
        WorkerView: {
            /**
             * Format: int64
             * @description Workers that beat within the limit.
             */
            fresh_workers: number;
            /**
             * Format: date-time
             * @description The newest beat of any worker.
             */
            last_beat_at?: string | null;
            /**
             * Format: int64
             * @description A beat older than this many seconds is stale.
             */
            stale_after_s: number;
            /** @description Fresh, stale or absent. */
            state: components["schemas"]["WorkerState"];
        };
        /** @description A ticket for one WebSocket connection. */
        WsTicket: {
            /**
             * Format: int64
             * @description Seconds until it expires.
             */
            expires_in: number;
            /** @description The ticket: pass it as `?ticket=` to `/api/v1/ws/jobs`, once. */
            ticket: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_api_tokens: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only tokens whose name contains this text. */
                search?: string;
                /**
                 * @description `name`, `created`, `last_used` or `expires`; a leading `-` sorts descending.
                 *     Default: `created`.
                 */
                sort?: string;
                /** @description Only this user's tokens (admins and auditors; everyone else sees only their own). */
                user_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_ApiTokenView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_api_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiToken"];
            };
        };
        responses: {
            /** @description The token and its secret, shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenCreated"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The role or groups exceed yours; or called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description You already have a token with this name */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (name, group_ids, expires_at) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_api_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The token's id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token other than this one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such token among those you may revoke */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_audit: {
        parameters: {
            query?: {
                /** @description Only actions starting with this (`auth.` for every sign-in event). */
                action?: string;
                /** @description Only this actor name (`system` for the worker and the command line). */
                actor?: string;
                /** @description Only this acting user id. */
                actor_id?: number;
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only rows recorded at or after this time (RFC 3339). */
                since?: string;
                /** @description `id` or `time`, a leading `-` sorts descending; default newest first. */
                sort?: string;
                /** @description Only this target id. */
                target_id?: string;
                /** @description Only this kind of target (`host`, `job`, `user` ...). */
                target_type?: string;
                /** @description Only rows recorded before this time (RFC 3339). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit rows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_AuditRecordView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    verify_audit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyRequest"];
            };
        };
        responses: {
            /** @description The outcome; `ok: false` names the first broken row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bound below 1, or `from_id` after `to_id` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description The password is right: the second step (`mfa_required`) or enrolment (`mfa_enrollment_required`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_credentials`: wrong username or password, or a disabled account */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is missing or too long */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `too_many_attempts`: throttled or the account is locked for a while */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description The session is over */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is missing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login_mfa_recovery: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaCodeRequest"];
            };
        };
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_code` (with `details.attempts_left`), `invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is missing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login_mfa_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaCodeRequest"];
            };
        };
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_code` (with `details.attempts_left`), `code_already_used`, `invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `totp_not_enrolled`: this account has no TOTP */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is missing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    totp_confirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpConfirmRequest"];
            };
        };
        responses: {
            /** @description Enrolled: recovery codes (first factor) and, after an enrolment token, the session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrolledView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid enrolment or access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `no_totp_setup`: call `/auth/mfa/totp/setup` first (or again: 5 wrong codes or 10 minutes end it); `already_enrolled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_code` (with `details.attempts_left`), or a field is missing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    totp_setup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret and its `otpauth://` URI */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TotpSetupView"];
                };
            };
            /** @description No valid enrolment or access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `already_enrolled`: an enrolment token for an account that has a factor */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login_mfa_webauthn_finish: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebauthnLoginFinishRequest"];
            };
        };
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `webauthn_failed` (with `details.attempts_left`), `invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `no_webauthn_challenge`: call `/auth/mfa/webauthn/start` first (a challenge answers once) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is missing, or `credential` is not a WebAuthn assertion */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    webauthn_register_finish: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebauthnRegisterFinishRequest"];
            };
        };
        responses: {
            /** @description Registered: recovery codes (first factor) and, after an enrolment token, the session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrolledView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No valid enrolment or access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `no_webauthn_registration`: call `/auth/mfa/webauthn/register/start` first (a challenge answers once); `already_enrolled`; `conflict`: the key is already registered */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `webauthn_failed`: the answer does not match the challenge; or a field is invalid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    webauthn_register_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The challenge for `navigator.credentials.create` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebauthnChallengeView"];
                };
            };
            /** @description No valid enrolment or access token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `already_enrolled`: an enrolment token for an account that has a factor */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login_mfa_webauthn_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaTokenRequest"];
            };
        };
        responses: {
            /** @description The challenge for `navigator.credentials.get` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebauthnChallengeView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `webauthn_not_registered`: this account has no security key */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is missing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordRequest"];
            };
        };
        responses: {
            /** @description Changed; every session ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `new_password` breaks the policy, or `current_password` is wrong */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `too_many_attempts`: too many wrong current passwords */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    regenerate_recovery_codes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new codes; the old ones no longer work */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodesView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description The renewed session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_refresh_token`, `refresh_token_expired` (an hour idle, or 12 hours old), `refresh_token_revoked` (logged out, revoked, account disabled) or `refresh_token_reused` (an already used token: the session is revoked) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A field is missing */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_crl: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CRL (`text/plain` when `Accept` names it and not `application/x-pem-file`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-pem-file": string;
                    "text/plain": string;
                };
            };
            /** @description The client address is outside the IP allowlist */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description This server holds no CA */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_root_certificate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The root certificate (`text/plain` when `Accept` names it and not `application/x-pem-file`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-pem-file": string;
                    "text/plain": string;
                };
            };
            /** @description The client address is outside the IP allowlist */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description This server holds no CA */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_certificates: {
        parameters: {
            query?: {
                /** @description Only certificates that expire within this many days (expired ones included). */
                expiring_within_days?: number;
                /** @description Only certificates of this host. */
                host?: number;
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only certificates for this purpose. */
                purpose?: components["schemas"]["CertificatePurpose"];
                /** @description `true`: only revoked certificates; `false`: only those not revoked; absent: both. */
                revoked?: boolean;
                /** @description `not_after` (default) or `issued`; a leading `-` sorts descending. */
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of certificates */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_CertificateView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    renew_certificate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Serial in hex, with or without colons, any case */
                serial: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new certificate, its key and the CA certificate */
            201: {
                headers: {
                    /** @description `no-store`: the key must not be cached */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CertificateBundleView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Only an admin may renew; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such certificate */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Revoked, not an agent certificate, or not issued by this CA */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description This server holds no CA */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_certificate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Serial in hex, with or without colons, any case */
                serial: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RevokeRequest"];
            };
        };
        responses: {
            /** @description The revoked certificate */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CertificateView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Only an admin may revoke; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such certificate */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Already revoked */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An unknown reason */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_discoveries: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description `created` (oldest first) or `-created` (newest first, the default). */
                sort?: string;
                /** @description Only scans in this state. */
                state?: components["schemas"]["DiscoveryState"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of scans */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_DiscoveryView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_discovery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Scan id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The scan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such scan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cancel_discovery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Scan id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled scan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such scan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The scan has finished (`discovery_finished`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    register_discovery_results: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Scan id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description What happened to each result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterView"];
                };
            };
            /** @description The body is not JSON, or the id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such scan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No result named, too many, one that is not this scan's, or a group that does not exist; nothing was registered */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_discovery_results: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /**
                 * @description Only results that are a host already (`true`, see `registered_host_id`) or not yet
                 *     (`false`).
                 */
                registered?: boolean;
            };
            header?: never;
            path: {
                /** @description Scan id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_DiscoveryResultView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such scan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_discovery: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDiscoveryRequest"];
            };
        };
        responses: {
            /** @description The scan, queued for a worker */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not a CIDR range, larger than a /16, or port 0 */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_groups: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only groups whose name contains this text. */
                search?: string;
                /** @description `name`, `hosts`, `users` or `created`; a leading `-` sorts descending. */
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of groups */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_GroupView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_group: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGroup"];
            };
        };
        responses: {
            /** @description The new group */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The name is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (name, description) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Group id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The group and its members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupDetailView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such group among the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Group id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Group id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateGroup"];
            };
        };
        responses: {
            /** @description The changed group */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupView"];
                };
            };
            /** @description The body is not JSON, or the id not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The name is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (name, description) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    set_group_hosts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Group id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupHosts"];
            };
        };
        responses: {
            /** @description The group and its members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupDetailView"];
                };
            };
            /** @description The body is not JSON, or the id not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An unknown host id */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    set_group_users: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Group id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupUsers"];
            };
        };
        responses: {
            /** @description The group and its members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupDetailView"];
                };
            };
            /** @description The body is not JSON, or the id not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An unknown user id */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_hosts: {
        parameters: {
            query?: {
                /** @description Only members of this group. */
                group?: number;
                /** @description Only hosts whose OS name contains this text. */
                os?: string;
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only hosts whose name or address contains this text. */
                search?: string;
                /** @description `name`, `status`, `last_seen` or `created`; a leading `-` sorts descending. */
                sort?: string;
                /** @description Only hosts with this status. */
                status?: components["schemas"]["HostStatus"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of hosts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_HostView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_host: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateHost"];
            };
        };
        responses: {
            /** @description The registered host */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A host with this name, or address and port, exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (fqdn, ip, port, groups), or `unresolvable_host` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_host: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The host */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostDetailView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_host: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    issue_certificate_bundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new certificate, its key and the CA certificate */
            201: {
                headers: {
                    /** @description `no-store`: the key must not be cached */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CertificateBundleView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The host's name cannot go into a certificate */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description This server holds no CA */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_host_certificate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificate (`text/plain` when `Accept` names it and not `application/x-pem-file`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-pem-file": string;
                    "text/plain": string;
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope, or it has no certificate yet */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    set_host_groups: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HostGroups"];
            };
        };
        responses: {
            /** @description The host with its new groups */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostView"];
                };
            };
            /** @description The body is not JSON, or the id not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The host is also in a group the operator does not hold; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A group that does not exist or is not the caller's */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_host_jobs: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
            };
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the host's jobs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_HostJobView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_host_packages: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only packages whose name contains this text. */
                search?: string;
                /** @description `name`; a leading `-` sorts descending. */
                sort?: string;
            };
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of installed packages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_PackageView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_host_patches: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only packages whose name contains this text. */
                search?: string;
                /** @description Only security (`true`) or other (`false`) updates. */
                security?: boolean;
                /** @description Only patches of this severity. */
                severity?: components["schemas"]["Severity"];
                /** @description `package` or `severity` (most severe first); a leading `-` sorts descending. */
                sort?: string;
            };
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of available updates */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_PatchView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refresh_host: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The refresh job, queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostJobView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_host_windows: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description `name` or `created`; a leading `-` sorts descending. */
                sort?: string;
            };
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the host's windows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_WindowView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad sort or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_window: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Host id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WindowInput"];
            };
        };
        responses: {
            /** @description The new window */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WindowView"];
                };
            };
            /** @description The body is not JSON, or the id not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (name, window.*) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_jobs: {
        parameters: {
            query?: {
                /** @description Only jobs created by this user id. */
                created_by?: number;
                /** @description Only jobs with a row for this host. */
                host?: number;
                /** @description Only jobs of this kind. */
                kind?: components["schemas"]["JobKind"];
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only jobs created at or after this time (RFC 3339). */
                since?: string;
                /** @description `created` or `state`, a leading `-` sorts descending; default newest first. */
                sort?: string;
                /** @description Only jobs in this state. */
                state?: components["schemas"]["JobState"];
                /** @description Only jobs created before this time (RFC 3339). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_JobView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_job: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateJobRequest"];
            };
        };
        responses: {
            /** @description The job, with one row per host */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetailView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A host does not exist or is not in the caller's scope (`host_not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (`details.fields` names it) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetailView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such job touching the caller's hosts */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cancel_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What was cancelled, and the job after it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The job also covers hosts outside the caller's groups (`out_of_scope`); or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such job touching the caller's hosts */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The job has finished or was cancelled before (`job_finished`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_job_events: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description `id` (oldest first, the default) or `-id` (newest first). */
                sort?: string;
            };
            header?: never;
            path: {
                /** @description Job id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_JobEventView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such job touching the caller's hosts */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad page or sort */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    rollback_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job to roll back */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rollback job */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetailView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A host the job changed is outside the caller's groups (`out_of_scope`); or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such job touching the caller's hosts */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The job has not finished (`job_not_finished`) or changed no package (`nothing_to_roll_back`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    audit_report: {
        parameters: {
            query?: {
                /** @description `json` (default), `csv` or `pdf`. */
                format?: components["schemas"]["ReportFormat"];
                /** @description Only hosts in one of these groups (ids, at most 500). */
                group?: number[];
                /** @description Only these hosts (ids, at most 500). */
                host?: number[];
                /** @description Only these severities (compliance and vulnerability). */
                severity?: components["schemas"]["Severity"][];
                /** @description From this instant (RFC 3339), inclusive (not for compliance, a picture of now). */
                since?: string;
                /** @description Until this instant (RFC 3339), exclusive (not for compliance). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report; CSV and PDF as attachments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditReportDoc"];
                    "application/pdf": components["schemas"]["PdfDocument"];
                    "text/csv": string;
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter (group, host or severity; a reversed range), or too many rows for JSON or PDF (`report_too_large`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    compliance_report: {
        parameters: {
            query?: {
                /** @description `json` (default), `csv` or `pdf`. */
                format?: components["schemas"]["ReportFormat"];
                /** @description Only hosts in one of these groups (ids, at most 500). */
                group?: number[];
                /** @description Only these hosts (ids, at most 500). */
                host?: number[];
                /** @description Only these severities (compliance and vulnerability). */
                severity?: components["schemas"]["Severity"][];
                /** @description From this instant (RFC 3339), inclusive (not for compliance, a picture of now). */
                since?: string;
                /** @description Until this instant (RFC 3339), exclusive (not for compliance). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report; CSV and PDF as attachments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComplianceReportDoc"];
                    "application/pdf": components["schemas"]["PdfDocument"];
                    "text/csv": string;
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter (an unknown group or host, since/until) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_history_report: {
        parameters: {
            query?: {
                /** @description `json` (default), `csv` or `pdf`. */
                format?: components["schemas"]["ReportFormat"];
                /** @description Only hosts in one of these groups (ids, at most 500). */
                group?: number[];
                /** @description Only these hosts (ids, at most 500). */
                host?: number[];
                /** @description Only these severities (compliance and vulnerability). */
                severity?: components["schemas"]["Severity"][];
                /** @description From this instant (RFC 3339), inclusive (not for compliance, a picture of now). */
                since?: string;
                /** @description Until this instant (RFC 3339), exclusive (not for compliance). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report; CSV and PDF as attachments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PatchHistoryReportDoc"];
                    "application/pdf": components["schemas"]["PdfDocument"];
                    "text/csv": string;
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter (an unknown group or host, severity, a reversed range) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    vulnerability_report: {
        parameters: {
            query?: {
                /** @description `json` (default), `csv` or `pdf`. */
                format?: components["schemas"]["ReportFormat"];
                /** @description Only hosts in one of these groups (ids, at most 500). */
                group?: number[];
                /** @description Only these hosts (ids, at most 500). */
                host?: number[];
                /** @description Only these severities (compliance and vulnerability). */
                severity?: components["schemas"]["Severity"][];
                /** @description From this instant (RFC 3339), inclusive (not for compliance, a picture of now). */
                since?: string;
                /** @description Until this instant (RFC 3339), exclusive (not for compliance). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report; CSV and PDF as attachments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VulnerabilityReportDoc"];
                    "application/pdf": components["schemas"]["PdfDocument"];
                    "text/csv": string;
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter (an unknown group or host, a reversed range) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SettingsView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_auth_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_concurrency_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConcurrencySettings"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_concurrency_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConcurrencySettings"];
            };
        };
        responses: {
            /** @description The section as saved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConcurrencySettings"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Only an admin may change settings; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Fields out of bounds, named in `details.fields` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_polling_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PollingSettings"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_polling_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PollingSettings"];
            };
        };
        responses: {
            /** @description The section as saved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PollingSettings"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Only an admin may change settings; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Fields out of bounds, named in `details.fields` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_security_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecuritySettings"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_security_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecuritySettings"];
            };
        };
        responses: {
            /** @description The section as saved (host bits cleared, duplicates dropped) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecuritySettings"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Only an admin may change settings; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The list would exclude the caller's address (`allowlist_excludes_caller`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A malformed CIDR or too many networks */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_smtp_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SmtpSettings"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_smtp_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SmtpSettings"];
            };
        };
        responses: {
            /** @description The section as saved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SmtpSettings"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Only an admin may change settings; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Bad fields, named in `details.fields` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_sso_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SsoSettings"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_sso_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SsoSettings"];
            };
        };
        responses: {
            /** @description The section as saved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SsoSettings"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Only an admin may change settings; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Bad fields, named in `details.fields` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_web_tls_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The section */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebTlsView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    fleet_status: {
        parameters: {
            query?: {
                /** @description Entries in `attention` and `upcoming_windows`, 1 to 50. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FleetStatusView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad limit */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_users: {
        parameters: {
            query?: {
                /** @description Only disabled (`true`) or enabled (`false`) accounts. */
                disabled?: boolean;
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only users with this role. */
                role?: components["schemas"]["Role"];
                /** @description Only users whose login name contains this text. */
                search?: string;
                /** @description `username`, `role`, `created` or `last_login`; a leading `-` sorts descending. */
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_UserView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_user: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUser"];
            };
        };
        responses: {
            /** @description The account and its one-time password */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedUserView"];
                };
            };
            /** @description The body is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`); or called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The username is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (username, groups) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The last enabled admin */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUser"];
            };
        };
        responses: {
            /** @description The changed user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description The body is not JSON, or the id not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description It would leave no enabled admin */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (groups) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reset_user_mfa: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Second factors cleared, sessions ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`); or called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reset_user_password: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new one-time password */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OneTimePasswordView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`); or called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_user_sessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Sessions ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not an admin; or the caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_windows: {
        parameters: {
            query?: {
                /** @description Only this host's windows. */
                host?: number;
                /** @description Page number, from 1. */
                page?: number;
                /** @description Rows per page, 1 to 500. */
                per_page?: number;
                /** @description Only windows whose name, or whose host's name or address, contains this text. */
                search?: string;
                /** @description `host`, `name` or `created`; a leading `-` sorts descending. */
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of windows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Paged_WindowView"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A bad filter or page */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_window: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Window id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The window */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WindowView"];
                };
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such window on a host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_window: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Window id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WindowInput"];
            };
        };
        responses: {
            /** @description The changed window */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WindowView"];
                };
            };
            /** @description The body is not JSON, or the id not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such window on a host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is not sent as JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description An invalid field (name, window.*) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_window: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Window id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The caller is an auditor, who may change nothing (`read_only`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such window on a host in the caller's scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    stream_jobs: {
        parameters: {
            query: {
                /** @description A ticket from `POST /api/v1/ws/ticket`. */
                ticket: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching to a WebSocket carrying StreamMessage frames */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamMessage"];
                };
            };
            /** @description Not a WebSocket upgrade */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Unknown, used or expired ticket */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No ticket */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_ws_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ticket */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WsTicket"];
                };
            };
            /** @description Not logged in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Called with an API token: only an interactive login may do this (`interactive_session_required`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
