//! Distribution profiles of the simulator: OS facts, a package catalogue with version ladders,
//! and deterministic advisories, CVEs and severities, so that hosts look real and every run
//! with the same seed looks the same.

use std::sync::OnceLock;

use lpm_core::agent::Severity;
use lpm_core::model::PackageManager;

/// The distributions a simulated host can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Distro {
    /// Ubuntu 24.04 LTS (apt).
    Ubuntu2404,
    /// Debian 12 (apt).
    Debian12,
    /// Rocky Linux 9.4 (dnf).
    Rocky9,
    /// Red Hat Enterprise Linux 9.4 (dnf).
    Rhel9,
    /// SUSE Linux Enterprise Server 15 SP6 (zypper).
    Sles15,
    /// openSUSE Leap 15.6 (zypper).
    OpenSuseLeap15,
}

impl Distro {
    /// Every distribution, in a fixed order (a seed picks one of these).
    pub const ALL: [Distro; 6] = [
        Distro::Ubuntu2404,
        Distro::Debian12,
        Distro::Rocky9,
        Distro::Rhel9,
        Distro::Sles15,
        Distro::OpenSuseLeap15,
    ];

    /// Its package manager.
    pub fn package_manager(self) -> PackageManager {
        self.profile().package_manager
    }

    /// os-release `PRETTY_NAME`.
    pub fn pretty_name(self) -> &'static str {
        self.profile().pretty_name
    }

    pub(crate) fn profile(self) -> &'static Profile {
        let index = Distro::ALL.iter().position(|d| *d == self).unwrap_or(0);
        let profiles = profiles();
        &profiles[index.min(profiles.len() - 1)]
    }
}

/// One distribution's facts and catalogue.
#[derive(Debug)]
pub(crate) struct Profile {
    pub(crate) distro: Distro,
    pub(crate) os_id: &'static str,
    pub(crate) version_id: &'static str,
    pub(crate) pretty_name: &'static str,
    pub(crate) package_manager: PackageManager,
    pub(crate) arch: &'static str,
    pub(crate) noarch: &'static str,
    pub(crate) catalogue: Vec<CatalogPackage>,
    /// Catalogue index of the kernel package.
    pub(crate) kernel: usize,
}

/// A package the distribution's repositories hold, with its versions oldest first.
#[derive(Debug)]
pub(crate) struct CatalogPackage {
    pub(crate) name: &'static str,
    pub(crate) versions: Vec<String>,
    /// Installed on a fresh host.
    pub(crate) base: bool,
    /// Updating it needs a reboot.
    pub(crate) reboot: bool,
    /// Architecture-independent.
    pub(crate) noarch: bool,
}

/// Versions in every ladder.
pub(crate) const LADDER: u8 = 4;

impl Profile {
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.catalogue.iter().position(|p| p.name == name)
    }

    pub(crate) fn arch_of(&self, pkg: usize) -> &'static str {
        match self.catalogue.get(pkg) {
            Some(p) if p.noarch => self.noarch,
            _ => self.arch,
        }
    }

    pub(crate) fn version(&self, pkg: usize, idx: u8) -> &str {
        self.catalogue
            .get(pkg)
            .and_then(|p| p.versions.get(usize::from(idx)))
            .map_or("", String::as_str)
    }

    /// The running kernel string for kernel version `idx`.
    pub(crate) fn kernel_release(&self, idx: u8) -> String {
        let k = u32::from(idx);
        match self.distro {
            Distro::Ubuntu2404 => format!("6.8.0-{}-generic", 45 + k),
            Distro::Debian12 => format!("6.1.0-{}-amd64", 25 + k),
            Distro::Rocky9 | Distro::Rhel9 => {
                format!("5.14.0-427.{}.1.el9_4.x86_64", 13 + k * 5)
            }
            Distro::Sles15 | Distro::OpenSuseLeap15 => {
                format!("6.4.0-150600.23.{}-default", 7 + k * 3)
            }
        }
    }

    /// Security facts of the update to version `idx` of `pkg`: the same on every host of this
    /// distribution, as with real advisories.
    pub(crate) fn advisory(&self, pkg: usize, idx: u8) -> Advisory {
        let name = self.catalogue.get(pkg).map_or("", |p| p.name);
        let h = hash(&[self.os_id.as_bytes(), name.as_bytes(), &[idx]]);
        let security = h % 10 < 7;
        let severity = if !security {
            Severity::Unknown
        } else {
            match (h >> 8) % 10 {
                0 => Severity::Critical,
                1..=3 => Severity::Important,
                4..=7 => Severity::Moderate,
                _ => Severity::Low,
            }
        };
        let n = (h >> 16) % 9000 + 1000;
        let advisories = if security {
            vec![match self.package_manager {
                PackageManager::Apt if self.os_id == "ubuntu" => format!("USN-{}-1", n + 6000),
                PackageManager::Apt => format!("DSA-{}-1", n + 4000),
                PackageManager::Dnf if self.os_id == "rocky" => format!("RLSA-2026:{n}"),
                PackageManager::Dnf => format!("RHSA-2026:{n}"),
                PackageManager::Zypper => format!("SUSE-SU-2026:{}-1", n % 4000),
            }]
        } else {
            Vec::new()
        };
        let cve_count = if security { 1 + (h >> 32) % 3 } else { 0 };
        let cves = (0..cve_count)
            .map(|i| format!("CVE-2026-{}", (h >> (36 + i * 4)) % 49000 + 1000 + i))
            .collect();
        Advisory {
            security,
            severity,
            advisories,
            cves,
        }
    }
}

/// What [`Profile::advisory`] says about an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Advisory {
    pub(crate) security: bool,
    pub(crate) severity: Severity,
    pub(crate) advisories: Vec<String>,
    pub(crate) cves: Vec<String>,
}

/// FNV-1a over the parts, finished with SplitMix64: stable across runs and platforms.
pub(crate) fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    splitmix(h)
}

/// One SplitMix64 step: a good 64-bit mix of `x`.
pub(crate) fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// (key, apt name, rpm name, suse name, upstream version, base, reboot, noarch)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    bool,
    bool,
);

const PACKAGES: &[Row] = &[
    (
        "openssl",
        "openssl",
        "openssl",
        "openssl-3",
        "3.0.13",
        true,
        false,
        false,
    ),
    (
        "libssl",
        "libssl3t64",
        "openssl-libs",
        "libopenssl3",
        "3.0.13",
        true,
        false,
        false,
    ),
    (
        "sshd",
        "openssh-server",
        "openssh-server",
        "openssh-server",
        "9.6p1",
        true,
        false,
        false,
    ),
    (
        "ssh",
        "openssh-client",
        "openssh-clients",
        "openssh-clients",
        "9.6p1",
        true,
        false,
        false,
    ),
    ("curl", "curl", "curl", "curl", "8.5.0", true, false, false),
    (
        "libcurl",
        "libcurl4t64",
        "libcurl",
        "libcurl4",
        "8.5.0",
        true,
        false,
        false,
    ),
    ("libc", "libc6", "glibc", "glibc", "2.39", true, true, false),
    (
        "kernel",
        "linux-image-generic",
        "kernel",
        "kernel-default",
        "6.8.0",
        true,
        true,
        false,
    ),
    (
        "systemd", "systemd", "systemd", "systemd", "255.4", true, true, false,
    ),
    (
        "sudo", "sudo", "sudo", "sudo", "1.9.15p5", true, false, false,
    ),
    ("bash", "bash", "bash", "bash", "5.2.21", true, false, false),
    (
        "coreutils",
        "coreutils",
        "coreutils",
        "coreutils",
        "9.4",
        true,
        false,
        false,
    ),
    (
        "tzdata", "tzdata", "tzdata", "timezone", "2024a", true, false, true,
    ),
    (
        "vim",
        "vim",
        "vim-enhanced",
        "vim",
        "9.1.0016",
        true,
        false,
        false,
    ),
    (
        "python",
        "python3.12",
        "python3",
        "python311",
        "3.12.3",
        true,
        false,
        false,
    ),
    (
        "libxml2",
        "libxml2",
        "libxml2",
        "libxml2-2",
        "2.9.14",
        true,
        false,
        false,
    ),
    ("git", "git", "git", "git", "2.43.0", true, false, false),
    (
        "rsync", "rsync", "rsync", "rsync", "3.2.7", true, false, false,
    ),
    ("tar", "tar", "tar", "tar", "1.35", true, false, false),
    ("gzip", "gzip", "gzip", "gzip", "1.12", true, false, false),
    ("zlib", "zlib1g", "zlib", "libz1", "1.3", true, false, false),
    (
        "expat",
        "libexpat1",
        "expat",
        "libexpat1",
        "2.6.1",
        true,
        false,
        false,
    ),
    (
        "ca",
        "ca-certificates",
        "ca-certificates",
        "ca-certificates",
        "20240203",
        true,
        false,
        true,
    ),
    ("pm", "apt", "dnf", "zypper", "2.7.14", true, false, false),
    ("pkgdb", "dpkg", "rpm", "rpm", "1.22.6", true, false, false),
    (
        "gnupg", "gnupg", "gnupg2", "gpg2", "2.4.4", true, false, false,
    ),
    ("wget", "wget", "wget", "wget", "1.21.4", true, false, false),
    ("less", "less", "less", "less", "590", true, false, false),
    (
        "cron", "cron", "cronie", "cron", "3.0pl1", true, false, false,
    ),
    (
        "rsyslog", "rsyslog", "rsyslog", "rsyslog", "8.2312.0", true, false, false,
    ),
    (
        "gnutls",
        "libgnutls30t64",
        "gnutls",
        "libgnutls30",
        "3.8.3",
        true,
        false,
        false,
    ),
    (
        "sqlite",
        "libsqlite3-0",
        "sqlite-libs",
        "libsqlite3-0",
        "3.45.1",
        true,
        false,
        false,
    ),
    (
        "nginx", "nginx", "nginx", "nginx", "1.24.0", false, false, false,
    ),
    (
        "postgresql",
        "postgresql-16",
        "postgresql-server",
        "postgresql16-server",
        "16.4",
        false,
        false,
        false,
    ),
    ("htop", "htop", "htop", "htop", "3.3.0", false, false, false),
    ("jq", "jq", "jq", "jq", "1.7.1", false, false, false),
];

fn ladder(distro: Distro, upstream: &str, key: &str) -> Vec<String> {
    let h = hash(&[key.as_bytes()]);
    let base = 1 + u32::try_from(h % 20).unwrap_or(0);
    (0..LADDER)
        .map(|k| {
            let k = u32::from(k);
            match distro {
                Distro::Ubuntu2404 => {
                    format!("{upstream}-{}ubuntu{}.{}", h % 3, base % 9 + 1, k + 1)
                }
                Distro::Debian12 => format!("{upstream}-{}+deb12u{}", base % 5 + 1, k + 1),
                Distro::Rocky9 | Distro::Rhel9 => format!("{upstream}-{}.el9_4", base + k * 2),
                Distro::Sles15 | Distro::OpenSuseLeap15 => {
                    format!("{upstream}-150600.{}.{}.1", base + 2, k * 3 + 1)
                }
            }
        })
        .collect()
}

/// Debian 12 predates Ubuntu 24.04's 64-bit time_t package renames.
fn debian_name(ubuntu: &'static str) -> &'static str {
    match ubuntu {
        "libssl3t64" => "libssl3",
        "libcurl4t64" => "libcurl4",
        "libgnutls30t64" => "libgnutls30",
        "linux-image-generic" => "linux-image-amd64",
        "python3.12" => "python3.11",
        other => other,
    }
}

fn build(
    distro: Distro,
    os_id: &'static str,
    version_id: &'static str,
    pretty_name: &'static str,
) -> Profile {
    let (package_manager, arch, noarch) = match distro {
        Distro::Ubuntu2404 | Distro::Debian12 => (PackageManager::Apt, "amd64", "all"),
        Distro::Rocky9 | Distro::Rhel9 => (PackageManager::Dnf, "x86_64", "noarch"),
        Distro::Sles15 | Distro::OpenSuseLeap15 => (PackageManager::Zypper, "x86_64", "noarch"),
    };
    let catalogue: Vec<CatalogPackage> = PACKAGES
        .iter()
        .map(
            |&(key, apt, rpm, suse, upstream, base, reboot, noarch)| CatalogPackage {
                name: match package_manager {
                    PackageManager::Apt if distro == Distro::Debian12 => debian_name(apt),
                    PackageManager::Apt => apt,
                    PackageManager::Dnf => rpm,
                    PackageManager::Zypper => suse,
                },
                versions: ladder(distro, upstream, key),
                base,
                reboot,
                noarch,
            },
        )
        .collect();
    let kernel = PACKAGES
        .iter()
        .position(|row| row.0 == "kernel")
        .unwrap_or(0);
    Profile {
        distro,
        os_id,
        version_id,
        pretty_name,
        package_manager,
        arch,
        noarch,
        catalogue,
        kernel,
    }
}

fn profiles() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        vec![
            build(Distro::Ubuntu2404, "ubuntu", "24.04", "Ubuntu 24.04.1 LTS"),
            build(
                Distro::Debian12,
                "debian",
                "12",
                "Debian GNU/Linux 12 (bookworm)",
            ),
            build(
                Distro::Rocky9,
                "rocky",
                "9.4",
                "Rocky Linux 9.4 (Blue Onyx)",
            ),
            build(
                Distro::Rhel9,
                "rhel",
                "9.4",
                "Red Hat Enterprise Linux 9.4 (Plow)",
            ),
            build(
                Distro::Sles15,
                "sles",
                "15.6",
                "SUSE Linux Enterprise Server 15 SP6",
            ),
            build(
                Distro::OpenSuseLeap15,
                "opensuse-leap",
                "15.6",
                "openSUSE Leap 15.6",
            ),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_complete_and_stable() {
        for d in Distro::ALL {
            let p = d.profile();
            assert_eq!(p.distro, d);
            assert_eq!(p.catalogue.len(), PACKAGES.len());
            assert!(
                p.catalogue
                    .iter()
                    .all(|c| c.versions.len() == usize::from(LADDER))
            );
            assert!(p.catalogue[p.kernel].reboot);
        }
        let a = Distro::Ubuntu2404.profile().advisory(0, 3);
        assert_eq!(a, Distro::Ubuntu2404.profile().advisory(0, 3));
        assert!(
            Distro::Rocky9
                .profile()
                .version(0, 0)
                .starts_with("3.0.13-")
        );
        assert!(Distro::Rocky9.profile().version(0, 3).ends_with(".el9_4"));
    }
}
