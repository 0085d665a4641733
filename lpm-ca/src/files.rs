//! The CA directory on disk: `ca.crt` (0644) and `ca.key` (0600), written without ever being
//! readable by others and refused when they are.

use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::CaError;

/// File name of the CA certificate inside a CA directory.
pub const CA_CERT_FILE: &str = "ca.crt";
/// File name of the CA private key inside a CA directory.
pub const CA_KEY_FILE: &str = "ca.key";

/// Writes a CA directory: creates `dir` (mode 0700) if needed, then the key with 0600 and the
/// certificate with 0644, each created exclusively (`O_EXCL`, so an existing file or symlink is
/// never followed or overwritten). On a failure after the key was written the key is removed
/// again, so a failed save leaves nothing behind.
pub(crate) fn save_ca(dir: &Path, cert_pem: &str, key_pem: &str) -> Result<(), CaError> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(CaError::io(dir))?;
    let key_path = dir.join(CA_KEY_FILE);
    let cert_path = dir.join(CA_CERT_FILE);
    if fs::symlink_metadata(&cert_path).is_ok() {
        return Err(CaError::AlreadyExists { path: cert_path });
    }
    write_new(&key_path, key_pem.as_bytes(), 0o600)?;
    if let Err(e) = write_new(&cert_path, cert_pem.as_bytes(), 0o644) {
        // Best effort: the key we just created is useless without its certificate.
        let _ = fs::remove_file(&key_path);
        return Err(e);
    }
    Ok(())
}

/// Reads a CA directory, refusing a key file that group or others may access.
pub(crate) fn load_ca(dir: &Path) -> Result<(String, String), CaError> {
    let key_path = dir.join(CA_KEY_FILE);
    let cert_path = dir.join(CA_CERT_FILE);
    let key_pem = read_private(&key_path)?;
    let cert_pem = fs::read_to_string(&cert_path).map_err(CaError::io(&cert_path))?;
    Ok((cert_pem, key_pem))
}

/// Creates `path` exclusively with `mode` from the start (the umask can only narrow it), sets
/// exactly `mode`, writes `contents` and syncs.
fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), CaError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| match e.kind() {
            ErrorKind::AlreadyExists => CaError::AlreadyExists {
                path: path.to_path_buf(),
            },
            _ => CaError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
    file.set_permissions(Permissions::from_mode(mode))
        .and_then(|()| file.write_all(contents))
        .and_then(|()| file.sync_all())
        .map_err(CaError::io(path))
}

/// Opens `path`, checks the mode on the open handle (no window between check and read), and
/// reads it.
fn read_private(path: &Path) -> Result<String, CaError> {
    let mut file = File::open(path).map_err(CaError::io(path))?;
    let mode = file
        .metadata()
        .map_err(CaError::io(path))?
        .permissions()
        .mode()
        & 0o7777;
    if mode & 0o077 != 0 {
        return Err(CaError::InsecureKeyFile {
            path: PathBuf::from(path),
            mode,
        });
    }
    let mut pem = String::new();
    file.read_to_string(&mut pem).map_err(CaError::io(path))?;
    Ok(pem)
}
