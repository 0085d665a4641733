//! Test helpers: a scratch directory and an `openssl` runner that fails loudly when absent.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;

/// OpenSSL checks the validity period against the real clock, so tests that hand files to
/// OpenSSL issue at the real time.
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub(crate) fn new_ca(name: &str) -> Ca {
    Ca::generate(name, now()).unwrap()
}

/// The result of one `openssl` run.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) ok: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// stdout and stderr together (OpenSSL versions differ on where they print "verify OK").
    pub(crate) fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A temporary directory to hand files to OpenSSL.
pub(crate) struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    pub(crate) fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Runs `openssl ARGS` in the work directory. Without OpenSSL on PATH the test fails: these
    /// outside checks are the point of the tests and are never skipped.
    pub(crate) fn openssl(&self, args: &[&str]) -> Run {
        let output = match Command::new("openssl")
            .args(args)
            .current_dir(self.dir.path())
            .output()
        {
            Ok(output) => output,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                panic!("`openssl` is not on PATH: install openssl (Debian package openssl)")
            }
            Err(e) => panic!("running openssl: {e}"),
        };
        Run {
            ok: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `openssl ARGS`, which must succeed; returns stdout and stderr together.
    pub(crate) fn openssl_ok(&self, args: &[&str]) -> String {
        let run = self.openssl(args);
        assert!(run.ok, "openssl {args:?} failed:\n{}", run.all());
        run.all()
    }

    /// `openssl ARGS`, which must fail; returns stdout and stderr together.
    pub(crate) fn openssl_fails(&self, args: &[&str]) -> String {
        let run = self.openssl(args);
        assert!(
            !run.ok,
            "openssl {args:?} succeeded but should fail:\n{}",
            run.all()
        );
        run.all()
    }
}

/// `openssl verify -x509_strict -CAfile ca.crt -purpose PURPOSE cert`.
pub(crate) fn verify_args<'a>(purpose: &'a str, cert: &'a str) -> Vec<&'a str> {
    vec![
        "verify",
        "-x509_strict",
        "-CAfile",
        "ca.crt",
        "-purpose",
        purpose,
        cert,
    ]
}
