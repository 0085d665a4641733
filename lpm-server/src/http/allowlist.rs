//! AD-18 on the incoming side: when an IP allowlist is set, a request from an address outside
//! it is refused before anything else runs (no authentication, no handler, no database).
//!
//! The list lives in `system_config` under [`ALLOWLIST_KEY`] (a JSON array of CIDRs; empty or
//! absent: everyone may connect, TLS and authentication still apply). The server keeps a copy
//! in memory, reloaded when settings change.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

use super::{ApiError, AppState};

/// The `system_config` key holding the allowlist.
pub const ALLOWLIST_KEY: &str = "security.ip_allowlist";

/// The allowlist in memory, shared by every connection.
#[derive(Debug, Clone, Default)]
pub struct IpAllowlist {
    networks: Arc<RwLock<Vec<IpNet>>>,
}

impl IpAllowlist {
    /// Replaces the networks (empty: allow every address).
    pub fn set(&self, networks: Vec<IpNet>) {
        *self
            .networks
            .write()
            .unwrap_or_else(PoisonError::into_inner) = networks;
    }

    /// The networks now in force.
    pub fn networks(&self) -> Vec<IpNet> {
        self.networks
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether `ip` may connect. IPv4-mapped IPv6 addresses are checked as IPv4.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        let networks = self.networks.read().unwrap_or_else(PoisonError::into_inner);
        networks.is_empty() || networks.iter().any(|n| n.contains(&ip))
    }

    /// Reloads the list from the store.
    pub async fn reload(&self, store: &lpm_store::Store) -> Result<(), lpm_store::StoreError> {
        let networks: Option<Vec<IpNet>> = store.config_get(ALLOWLIST_KEY).await?;
        self.set(networks.unwrap_or_default());
        Ok(())
    }
}

/// The TCP peer's address from a request's extensions, or 127.0.0.1 for a test calling the
/// router directly (no socket, so no peer).
pub fn peer_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |ConnectInfo(addr)| addr.ip())
}

/// Middleware: refuses (403 `ip_not_allowed`) a peer outside the allowlist. A request without
/// a peer address (a test calling the router directly) is judged as 127.0.0.1.
pub async fn enforce_allowlist(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let peer = peer_ip(request.extensions());
    if state.allowlist.allows(peer) {
        next.run(request).await
    } else {
        tracing::warn!(%peer, "refused: address not in the IP allowlist");
        ApiError::new(
            StatusCode::FORBIDDEN,
            "ip_not_allowed",
            "Your address may not use this service.",
        )
        .into_response()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_empty_list_allows_everyone_and_a_set_one_only_its_networks() {
        let list = IpAllowlist::default();
        assert!(list.allows("203.0.113.9".parse().unwrap()));
        list.set(vec![
            "10.0.0.0/8".parse().unwrap(),
            "fd00::/8".parse().unwrap(),
        ]);
        assert!(list.allows("10.1.2.3".parse().unwrap()));
        assert!(
            list.allows("::ffff:10.1.2.3".parse().unwrap()),
            "IPv4-mapped addresses count as IPv4"
        );
        assert!(list.allows("fd00::1".parse().unwrap()));
        assert!(!list.allows("192.0.2.1".parse().unwrap()));
        assert!(!list.allows("::1".parse().unwrap()));
    }
}
