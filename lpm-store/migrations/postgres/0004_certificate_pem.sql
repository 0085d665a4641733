-- The certificate itself (public; its private key is never stored), so the API can hand out a
-- host's current certificate and renew it. NULL for rows recorded before this column existed.
-- Keep in step with ../sqlite/0004_certificate_pem.sql.

ALTER TABLE certificates ADD COLUMN cert_pem TEXT;
