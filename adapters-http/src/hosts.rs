//! The names this server answers to, where it is reached from outside, what counts as its own
//! origin, and who the client is. Forwarded headers (`Forwarded`, `X-Forwarded-For/-Proto/-Host`)
//! are believed only from the trusted proxies.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header;

/// Where the server is reached, which `Host`s it answers to, and which peers are its proxies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hosts {
    /// The public URL's scheme, host and port (`https://desk.example.com`), when configured: it
    /// builds every absolute URL and is this server's origin.
    pub public_origin: Option<String>,
    /// Host names (no port, lower case) this server answers to; `*` answers to any.
    pub allowed: Vec<String>,
    /// Peers whose forwarded headers are believed.
    pub trusted_proxies: Vec<Cidr>,
}

impl Default for Hosts {
    fn default() -> Self {
        Self { public_origin: None, allowed: default_allowed_hosts(None), trusted_proxies: Vec::new() }
    }
}

/// A network: an address and how many of its leading bits a member shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/8`, `2001:db8::/32`, or one address (`127.0.0.1`, `::1`).
    pub fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let network: IpAddr = address.parse().ok()?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        (prefix <= bits).then_some(Self { network, prefix })
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        let (network, address, bits) = match (self.network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => (u128::from(u32::from(n)), u128::from(u32::from(a)), 32),
            (IpAddr::V6(n), IpAddr::V6(a)) => (u128::from(n), u128::from(a), 128),
            _ => return false,
        };
        let shift = bits - u32::from(self.prefix);
        shift >= bits || (network >> shift) == (address >> shift)
    }
}

/// localhost under each of its names, and the public URL's host.
pub fn default_allowed_hosts(public_host: Option<&str>) -> Vec<String> {
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).to_vec();
    if let Some(host) = public_host {
        let host = host.to_ascii_lowercase();
        if !hosts.contains(&host) {
            hosts.insert(0, host);
        }
    }
    hosts
}

impl Hosts {
    /// Whether a request with this `Host` header is served. One without (HTTP/1.0) is, as
    /// addressed to this server's own name; one with a malformed `Host` is not.
    pub fn allows(&self, host_header: Option<&str>) -> bool {
        let Some(host) = host_header else { return true };
        let Some(name) = host_name(host) else { return false };
        self.allowed.iter().any(|allowed| allowed == "*" || *allowed == name)
    }

    /// `https` when the public URL says so, else `http`.
    pub fn scheme(&self) -> &str {
        match &self.public_origin {
            Some(origin) if origin.starts_with("https://") => "https",
            _ => "http",
        }
    }

    /// Whether the request came through a trusted proxy, whose forwarded headers count.
    pub(crate) fn via_trusted_proxy(&self, request: &HttpRequest) -> bool {
        request.peer_addr().is_some_and(|peer| self.trusted_proxies.iter().any(|proxy| proxy.contains(peer.ip())))
    }

    /// The first value of a forwarded header, from a trusted proxy only.
    fn forwarded<'r>(&self, request: &'r HttpRequest, name: &str) -> Option<&'r str> {
        if !self.via_trusted_proxy(request) {
            return None;
        }
        let value = request.headers().get(name)?.to_str().ok()?;
        value.split(',').next().map(str::trim).filter(|value| !value.is_empty())
    }

    /// The scheme the client used: the public URL's, else a trusted proxy's `X-Forwarded-Proto`.
    fn request_scheme(&self, request: &HttpRequest) -> String {
        if self.public_origin.is_some() {
            return self.scheme().to_owned();
        }
        match self.forwarded(request, "x-forwarded-proto").map(str::to_ascii_lowercase) {
            Some(proto) if proto == "https" || proto == "http" => proto,
            _ => "http".to_owned(),
        }
    }

    /// The host the client asked for: a trusted proxy's `X-Forwarded-Host` if allowed, else the
    /// request's `Host` (already checked against the allowed hosts).
    fn request_host(&self, request: &HttpRequest) -> Option<String> {
        let forwarded = self.forwarded(request, "x-forwarded-host").filter(|host| self.allows(Some(host)));
        let host = forwarded.or_else(|| request.headers().get(header::HOST).and_then(|host| host.to_str().ok()))?;
        Some(host.to_ascii_lowercase())
    }

    /// Scheme, host and port of absolute URLs for this request: the public URL's, or the host
    /// the client asked for.
    pub fn base_url(&self, request: &HttpRequest) -> String {
        match &self.public_origin {
            Some(origin) => origin.clone(),
            None => format!(
                "{}://{}",
                self.request_scheme(request),
                self.request_host(request).unwrap_or_else(|| "localhost".to_owned())
            ),
        }
    }

    /// The client's address: the peer, or behind trusted proxies the address they forward (the
    /// rightmost that is not itself a trusted proxy).
    pub fn client_address(&self, request: &HttpRequest) -> Option<IpAddr> {
        let peer = request.peer_addr()?.ip();
        if !self.via_trusted_proxy(request) {
            return Some(peer);
        }
        let chain = forwarded_for(request);
        let client =
            chain.iter().rev().find(|address| !self.trusted_proxies.iter().any(|proxy| proxy.contains(**address)));
        Some(client.or(chain.first()).copied().unwrap_or(peer))
    }

    /// Whether the request names this server as its origin: its `Origin` header, else the origin
    /// of its `Referer`, is the public URL's origin or this request's own allowed host.
    pub fn same_origin(&self, request: &HttpRequest) -> bool {
        let headers = request.headers();
        let origin = match headers.get(header::ORIGIN) {
            Some(origin) => origin.to_str().ok().map(str::to_owned),
            None => headers.get(header::REFERER).and_then(|referer| referer.to_str().ok()).and_then(origin_of),
        };
        let Some(origin) = origin.map(|origin| origin.to_ascii_lowercase()) else { return false };
        if self.public_origin.as_deref().is_some_and(|public| public.eq_ignore_ascii_case(&origin)) {
            return true;
        }
        let host = headers.get(header::HOST).and_then(|host| host.to_str().ok());
        if !host.is_some_and(|host| self.allows(Some(host))) {
            return false;
        }
        self.request_host(request).is_some_and(|host| origin == format!("{}://{host}", self.request_scheme(request)))
    }
}

/// The addresses of `Forwarded: for=…`, else of `X-Forwarded-For`, in the order the proxies
/// added them; a malformed entry ends the list.
fn forwarded_for(request: &HttpRequest) -> Vec<IpAddr> {
    let headers = request.headers();
    if let Some(forwarded) = headers.get(header::FORWARDED).and_then(|value| value.to_str().ok()) {
        return forwarded
            .split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"').to_owned())
                })
            })
            .map_while(|node| parse_node(&node))
            .collect();
    }
    let Some(list) = headers.get("x-forwarded-for").and_then(|value| value.to_str().ok()) else { return Vec::new() };
    list.split(',').map_while(|node| parse_node(node.trim())).collect()
}

/// An address as a forwarding header writes it: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:80`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    node.parse().ok().or_else(|| node.rsplit_once(':').and_then(|(address, _)| address.parse().ok()))
}

/// The host name of a `Host` header, lower case, without its port; IPv6 literals keep brackets.
fn host_name(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    let name = if host.starts_with('[') {
        host.split_inclusive(']').next()?.to_owned()
    } else {
        host.split(':').next()?.to_owned()
    };
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'));
    valid.then_some(name)
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// The origin of a configured public URL (`https://desk.example.com/` → `https://desk.example.com`),
/// and its host name; `None` unless it is an absolute http(s) URL.
pub fn parse_public_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let scheme = url.split_once("://")?.0.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let origin = origin_of(url)?.to_ascii_lowercase();
    let authority = origin.split_once("://")?.1;
    if authority.contains('@') {
        return None;
    }
    let host = host_name(authority)?;
    Some((origin, host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn hosts(public: Option<&str>) -> Hosts {
        let parsed = public.and_then(parse_public_url);
        Hosts {
            allowed: default_allowed_hosts(parsed.as_ref().map(|(_, host)| host.as_str())),
            public_origin: parsed.map(|(origin, _)| origin),
            trusted_proxies: Vec::new(),
        }
    }

    #[test]
    fn only_allowed_hosts_are_served_whatever_the_port() {
        let hosts = hosts(Some("https://Desk.Example.com/helpdesk/"));
        assert!(hosts.allows(Some("desk.example.com")));
        assert!(hosts.allows(Some("DESK.example.com:8443")));
        assert!(hosts.allows(Some("127.0.0.1:8000")));
        assert!(hosts.allows(Some("[::1]:8000")));
        assert!(!hosts.allows(Some("attacker.example")));
        assert!(!hosts.allows(Some("desk.example.com.attacker.example")));
        assert!(!hosts.allows(Some("")));
        assert!(!hosts.allows(Some("bad host/")));
        assert!(hosts.allows(None), "HTTP/1.0 without a Host");
        assert!(Hosts { allowed: vec!["*".into()], ..Hosts::default() }.allows(Some("anything.example")));
    }

    #[test]
    fn networks_contain_their_addresses() {
        let net = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(Cidr::parse("127.0.0.1").unwrap().contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(Cidr::parse("2001:db8::/32").unwrap().contains("2001:db8:ff::1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains("203.0.113.9".parse().unwrap()));
        for bad in ["10.0.0.0/33", "nope", "10.0.0.0/x", ""] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_proxy() {
        let peer: std::net::SocketAddr = "10.0.0.2:5555".parse().unwrap();
        let request = |headers: &[(&str, &str)]| {
            let mut request = TestRequest::get().peer_addr(peer);
            for header in headers {
                request = request.insert_header(*header);
            }
            request.to_http_request()
        };
        let untrusting = Hosts::default();
        let spoofed = request(&[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(untrusting.client_address(&spoofed), Some(peer.ip()), "a client cannot choose its address");
        let trusting = Hosts { trusted_proxies: vec![Cidr::parse("10.0.0.0/8").unwrap()], ..Hosts::default() };
        let chain = request(&[("x-forwarded-for", "198.51.100.1, 203.0.113.7, 10.0.0.9")]);
        assert_eq!(trusting.client_address(&chain), Some("203.0.113.7".parse().unwrap()), "the rightmost untrusted");
        let forwarded = request(&[("forwarded", "for=\"[2001:db8::7]:443\";proto=https")]);
        assert_eq!(trusting.client_address(&forwarded), Some("2001:db8::7".parse().unwrap()));
        let host =
            request(&[("host", "127.0.0.1:8000"), ("x-forwarded-host", "localhost"), ("x-forwarded-proto", "https")]);
        assert_eq!(trusting.base_url(&host), "https://localhost");
        assert_eq!(untrusting.base_url(&host), "http://127.0.0.1:8000");
        let evil = request(&[("host", "localhost"), ("x-forwarded-host", "attacker.example")]);
        assert_eq!(trusting.base_url(&evil), "http://localhost", "a forwarded host must be allowed too");
    }

    #[test]
    fn a_public_url_names_the_origin_and_the_scheme() {
        assert_eq!(
            parse_public_url("https://Desk.Example.com:8443/x"),
            Some(("https://desk.example.com:8443".into(), "desk.example.com".into()))
        );
        assert_eq!(parse_public_url("ftp://desk.example.com"), None);
        assert_eq!(parse_public_url("https://user:pw@desk.example.com"), None);
        assert_eq!(hosts(Some("https://desk.example.com")).scheme(), "https");
        assert_eq!(hosts(None).scheme(), "http");
    }

    #[test]
    fn the_same_origin_is_the_public_one_or_the_requests_own_allowed_host() {
        let hosts = hosts(Some("https://desk.example.com"));
        let request = |origin: Option<&str>, referer: Option<&str>, host: &str| {
            let mut request = TestRequest::post().insert_header((header::HOST, host));
            if let Some(origin) = origin {
                request = request.insert_header((header::ORIGIN, origin));
            }
            if let Some(referer) = referer {
                request = request.insert_header((header::REFERER, referer));
            }
            request.to_http_request()
        };
        assert!(hosts.same_origin(&request(Some("https://desk.example.com"), None, "desk.example.com")));
        assert!(hosts.same_origin(&request(None, Some("https://desk.example.com/tickets/4"), "x")));
        assert!(!hosts.same_origin(&request(Some("https://evil.example"), None, "desk.example.com")));
        assert!(!hosts.same_origin(&request(Some("null"), None, "desk.example.com")));
        assert!(!hosts.same_origin(&request(None, None, "desk.example.com")));
        let local = super::Hosts::default();
        assert!(local.same_origin(&request(Some("http://127.0.0.1:8000"), None, "127.0.0.1:8000")));
        assert!(!local.same_origin(&request(Some("http://127.0.0.1:9"), None, "127.0.0.1:8000")));
        assert!(!local.same_origin(&request(Some("http://evil.example:8000"), None, "evil.example:8000")));
    }
}
