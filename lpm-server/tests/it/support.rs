//! Helpers: run the built binary, run OpenSSL (failing loudly when it is missing), read files.

use std::io::ErrorKind;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_lpm-server");

/// The result of one run of the binary.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn lpm(args: &[&str]) -> Run {
    let output = Command::new(BIN).args(args).output().unwrap();
    run_of(output)
}

fn run_of(output: Output) -> Run {
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the binary and requires success.
pub(crate) fn lpm_ok(args: &[&str]) -> String {
    let run = lpm(args);
    assert_eq!(run.code, Some(0), "lpm-server {args:?} failed: {run:?}");
    run.stdout
}

/// Runs the binary and requires a one-line error and a non-zero exit code.
pub(crate) fn lpm_fails(args: &[&str]) -> String {
    let run = lpm(args);
    assert!(
        run.code.is_some_and(|c| c != 0),
        "lpm-server {args:?} should fail: {run:?}"
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "not one line: {:?}",
        run.stderr
    );
    assert!(
        run.stderr.starts_with("lpm-server: error: "),
        "{:?}",
        run.stderr
    );
    run.stderr
}

/// Runs `openssl ARGS` in `dir`. Without OpenSSL the test fails: these outside checks are the
/// point of the tests and are never skipped.
pub(crate) fn openssl(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = match Command::new("openssl").args(args).current_dir(dir).output() {
        Ok(output) => output,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            panic!("`openssl` is not on PATH: install openssl (Debian package openssl)")
        }
        Err(e) => panic!("running openssl: {e}"),
    };
    (
        output.status.success(),
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

pub(crate) fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

pub(crate) fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}
