//! Who is asking: the client's address as limits count it ([`crate::config::TrustedProxies`] says
//! how it is read behind a proxy), as an extractor for handlers and a key for per-address limits.

use crate::config::{ProxyHeader, TrustedProxies};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client's address (see the module's comment). `None` only when the server was started
/// without connection info.
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let config = &state.config;
        Ok(ClientAddress(peer.map(|peer| config.trusted_proxies.client(peer, &parts.headers, config.forwarded_header))))
    }
}

/// The client's address as the key for per-address limits in front of handlers.
#[derive(Debug, Clone)]
pub struct ClientKey(pub TrustedProxies, pub ProxyHeader);

impl tower_governor::key_extractor::KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<IpAddr, tower_governor::GovernorError> {
        // Served without connection info (some benchmarks): one key for everyone.
        let peer =
            request.extensions().get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(self.0.client(peer, request.headers(), self.1))
    }
}

impl ClientAddress {
    /// The limit key for this address's attempts at `what`, if the address is known.
    pub fn key(&self, what: super::Guarded) -> Option<super::Key> {
        self.0.map(|ip| super::Key::Address(what, ip))
    }
}
