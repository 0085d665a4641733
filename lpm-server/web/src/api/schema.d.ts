// Generated from openapi/openapi.json by `npm run gen:api` (scripts/gen-api.mjs): do not edit.

export interface paths {
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
        /** @description The compliance report. */
        ComplianceReportDoc: {
            /** @description Fleet-wide figures. */
            fleet: components["schemas"]["FleetComplianceDoc"];
            /** @description One entry per host, by name. */
            hosts: components["schemas"]["HostComplianceDoc"][];
            /** @description When, by whom, with which filters. */
            meta: components["schemas"]["ReportMetaDoc"];
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
        /**
         * @description What a job asks the agents to do.
         * @enum {string}
         */
        JobKind: "apply_patches" | "install" | "update" | "remove" | "reboot" | "rollback" | "refresh";
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
        /**
         * @description A second factor a user has set up.
         * @enum {string}
         */
        MfaMethod: "totp" | "webauthn";
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
        Role: "admin" | "operator";
        /** @description The calendar rule of a recurring window. */
        RuleSpec: {
            /** @description Every week on these weekdays. */
            weekly: {
                /** @description At least one weekday. */
                days: components["schemas"]["WeekdayName"][];
            };
        } | {
            /** @description Every month on this day; months without it are skipped. */
            monthly_by_day: {
                /**
                 * Format: int32
                 * @description Day of month.
                 */
                day: number;
            };
        } | {
            /** @description Every month on the `week`-th `weekday`. */
            monthly_by_weekday: {
                /** @description Which one. */
                week: components["schemas"]["WeekOfMonthName"];
                /** @description The weekday. */
                weekday: components["schemas"]["WeekdayName"];
            };
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
    get_crl: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CRL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-pem-file": string;
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
            /** @description The root certificate */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-pem-file": string;
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
                purpose?: "root" | "manager_client" | "agent_server" | "web_server";
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
            /** @description Only an admin may renew */
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
            /** @description Only an admin may revoke */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description The certificate */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-pem-file": string;
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
            /** @description The host is also in a group the operator does not hold */
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
    audit_report: {
        parameters: {
            query?: {
                /** @description `json` (default), `csv` or `pdf`. */
                format?: "json" | "csv" | "pdf";
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
            /** @description Only an admin may read the audit log */
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
                format?: "json" | "csv" | "pdf";
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
                format?: "json" | "csv" | "pdf";
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
                format?: "json" | "csv" | "pdf";
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
            /** @description Only an admin may read settings */
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
            /** @description Only an admin may read settings */
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
            /** @description Only an admin may read settings */
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
            /** @description Only an admin may change settings */
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
            /** @description Only an admin may read settings */
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
            /** @description Only an admin may change settings */
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
            /** @description Only an admin may read settings */
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
            /** @description Only an admin may change settings */
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
            /** @description Only an admin may read settings */
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
            /** @description Only an admin may change settings */
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
            /** @description Only an admin may read settings */
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
            /** @description Only an admin may change settings */
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
            /** @description Only an admin may read settings */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
            /** @description Not an admin */
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
        };
    };
}
