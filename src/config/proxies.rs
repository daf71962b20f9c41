//! Who is asking: the client's address, for limits per address.
//!
//! Behind a council's reverse proxy or load balancer every request comes from the proxy, so one
//! address would stand for every resident and every member of staff, and one person's failures
//! would lock everyone out. Only when the peer is one of the `TRUSTED_PROXIES` is the address taken
//! from the header they write (`X-Forwarded-For`, or `Forwarded` of RFC 7239 when
//! `FORWARDED_HEADER=forwarded`): the right-most hop that is not itself a trusted proxy, because
//! everything to the left of it was written by the client and can be anything. Only that one
//! header is read: a proxy that writes `X-Forwarded-For` passes a client's own `Forwarded` through
//! untouched, so reading it would let anyone choose their address. Without the setting the peer
//! address is used and the headers are ignored.
//!
//! An IPv6 client is known by its /64: a home or a phone is given a whole /64 and can use any
//! address in it, so one per address would be no limit at all.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

/// Addresses and ranges of the proxies in front of the app, such as `10.0.0.0/8, 192.0.2.7`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                IpNet::from_str(part)
                    .or_else(|_| IpAddr::from_str(part).map(IpNet::from))
                    .map_err(|_| format!("{part:?} is not an address or a range such as 10.0.0.0/8"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

/// The header the trusted proxies write the client's address in (`FORWARDED_HEADER`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ProxyHeader {
    #[default]
    XForwardedFor,
    Forwarded,
}

/// The address limits count by: an IPv6 address's /64, any other address itself.
fn limited_as(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        v4 => v4,
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address as limits count it: the peer, or the right-most untrusted hop the
    /// trusted proxies recorded in `header`; an IPv6 address's /64.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap, header: ProxyHeader) -> IpAddr {
        limited_as(self.hop(peer, headers, header))
    }

    fn hop(&self, peer: IpAddr, headers: &HeaderMap, header: ProxyHeader) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        for hop in forwarded_for(headers, header).into_iter().rev() {
            // A hop that is not an address ("unknown", an obfuscated name) cannot be told apart
            // from other clients, so the last trusted proxy stands for it.
            let Some(hop) = hop else { break };
            client = hop.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// The hops the proxies recorded in `header`, oldest first. `None` for a hop that is not an
/// address.
fn forwarded_for(headers: &HeaderMap, header: ProxyHeader) -> Vec<Option<IpAddr>> {
    if header == ProxyHeader::Forwarded {
        return headers
            .get_all("forwarded")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| parse_node(value.trim().trim_matches('"')))
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| parse_node(hop.trim()))
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = IpAddr::from_str(node) {
        return Some(ip);
    }
    if let Ok(socket) = SocketAddr::from_str(node) {
        return Some(socket.ip());
    }
    node.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')).and_then(|v6| IpAddr::from_str(v6).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const X: ProxyHeader = ProxyHeader::XForwardedFor;
    const F: ProxyHeader = ProxyHeader::Forwarded;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9")]);
        assert_eq!(none.client(ip("198.51.100.1"), &spoofed, X), ip("198.51.100.1"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let proxies: TrustedProxies = "10.0.0.0/8, 192.0.2.7".parse().unwrap();
        // The client wrote a false first hop; the load balancer (10.0.0.2) and the proxy
        // (192.0.2.7) appended what they saw.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(proxies.client(ip("192.0.2.7"), &h, X), ip("203.0.113.9"));
        // Headers from a peer that is not a trusted proxy count for nothing.
        assert_eq!(proxies.client(ip("198.51.100.1"), &h, X), ip("198.51.100.1"));
        // Several header lines read as one list.
        let split = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(proxies.client(ip("10.1.1.1"), &split, X), ip("203.0.113.9"));
    }

    #[test]
    fn forwarded_is_read_with_ports_quotes_and_ipv6() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let h = headers(&[("forwarded", "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.5")]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &h, F), ip("2001:db8:cafe::"), "its /64");
        let h = headers(&[("forwarded", "for=203.0.113.9:8080;by=10.0.0.1")]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &h, F), ip("203.0.113.9"));
    }

    #[test]
    fn only_the_header_the_proxies_write_is_read() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        // The proxy appends to X-Forwarded-For and passes the client's own Forwarded through.
        let h = headers(&[("forwarded", "for=198.51.100.77"), ("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &h, X),
            ip("203.0.113.9"),
            "a spoofed Forwarded neither bypasses nor aims a limit"
        );
        // And the other way round.
        let h = headers(&[("forwarded", "for=203.0.113.9"), ("x-forwarded-for", "198.51.100.77")]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &h, F), ip("203.0.113.9"));
    }

    #[test]
    fn an_ipv6_client_is_limited_by_its_slash_64() {
        let none = TrustedProxies::default();
        let (a, b) = (ip("2001:db8:1:2:aaaa::1"), ip("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(none.client(a, &HeaderMap::new(), X), none.client(b, &HeaderMap::new(), X));
        assert_ne!(none.client(a, &HeaderMap::new(), X), none.client(ip("2001:db8:1:3::1"), &HeaderMap::new(), X));
        assert_eq!(none.client(ip("198.51.100.1"), &HeaderMap::new(), X), ip("198.51.100.1"), "IPv4 as it is");
    }

    #[test]
    fn unreadable_hops_and_all_trusted_chains_stop_at_a_proxy() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.9, unknown, 10.0.0.3")]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &h, X), ip("10.0.0.3"));
        let h = headers(&[("x-forwarded-for", "10.0.0.4, 10.0.0.3")]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &h, X), ip("10.0.0.4"));
        assert_eq!(proxies.client(ip("10.0.0.1"), &HeaderMap::new(), X), ip("10.0.0.1"));
        // IPv4 peers seen through an IPv6 socket match IPv4 ranges.
        assert_eq!(
            proxies.client(ip("::ffff:10.0.0.1"), &headers(&[("x-forwarded-for", "203.0.113.9")]), X),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn settings_are_checked() {
        assert!("10.0.0.0/8,  ::1 ,".parse::<TrustedProxies>().is_ok());
        assert_eq!("".parse::<TrustedProxies>().unwrap(), TrustedProxies::default());
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("proxy.council.local".parse::<TrustedProxies>().is_err());
    }
}
