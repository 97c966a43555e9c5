//! Who is at the other end of a request, for rate limits and logs.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::web::Data;

use crate::State;

/// The client's address: the peer's, or behind trusted proxies the one they forward.
pub fn client_address(request: &HttpRequest) -> Option<IpAddr> {
    match request.app_data::<Data<State>>() {
        Some(state) => state.settings.hosts.client_address(request),
        None => request.peer_addr().map(|peer| peer.ip()),
    }
}

/// The key a client is counted under: its IPv4 address, or the /64 network of its IPv6 address
/// (one subscriber gets a whole /64 and can rotate addresses in it at will).
pub fn client_key(address: Option<IpAddr>) -> String {
    match address.map(canonical) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let segments = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", segments[0], segments[1], segments[2], segments[3])
        }
        None => "unknown".to_owned(),
    }
}

/// IPv4 clients reached over an IPv6 socket count as themselves.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(Some(a)), client_key(Some(b)));
        assert_ne!(client_key(Some(a)), client_key(Some(other)));
        assert_eq!(client_key(Some("::ffff:192.0.2.7".parse().unwrap())), "192.0.2.7");
        assert_eq!(client_key(Some("192.0.2.7".parse().unwrap())), "192.0.2.7");
    }
}
