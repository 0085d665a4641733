//! How long each kind of certificate lives ([`Lifetimes`]), with the defaults and their reasons.

use time::Duration;

use crate::CaError;

/// Validity periods per certificate kind, and the clock-skew backdate.
///
/// The defaults (see the crate README for the reasoning):
///
/// | kind | default |
/// |---|---|
/// | root | 3652 days (10 years) |
/// | manager client | 30 days, renewed automatically at two thirds ([`renewal_due`](crate::renewal_due)) |
/// | agent server | 90 days, distributed by hand; warn 30 days ahead |
/// | web server | 90 days, renewed automatically |
/// | backdate | 5 minutes |
///
/// Every certificate's `not_before` is `now - backdate`, so a peer whose clock is a few
/// minutes behind accepts a certificate issued a moment ago; `not_after` is `now + lifetime`,
/// cut to the CA's own `not_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    /// Lifetime of the CA certificate (used only when a CA is generated).
    pub root: Duration,
    /// Lifetime of the manager's client certificate.
    pub manager_client: Duration,
    /// Lifetime of agent server certificates.
    pub agent_server: Duration,
    /// Lifetime of the web UI server certificate.
    pub web_server: Duration,
    /// How far `not_before` is set before `now`, for clock skew.
    pub backdate: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            root: Duration::days(3652),
            manager_client: Duration::days(30),
            agent_server: Duration::days(90),
            web_server: Duration::days(90),
            backdate: Duration::minutes(5),
        }
    }
}

impl Lifetimes {
    /// Checks that every lifetime is positive and the backdate is not negative.
    pub fn validate(&self) -> Result<(), CaError> {
        let positive = [
            ("root lifetime", self.root),
            ("manager client lifetime", self.manager_client),
            ("agent server lifetime", self.agent_server),
            ("web server lifetime", self.web_server),
        ];
        for (what, d) in positive {
            if d <= Duration::ZERO {
                return Err(CaError::InvalidDuration {
                    what,
                    reason: "must be positive",
                });
            }
        }
        if self.backdate < Duration::ZERO {
            return Err(CaError::InvalidDuration {
                what: "backdate",
                reason: "must not be negative",
            });
        }
        Ok(())
    }
}
