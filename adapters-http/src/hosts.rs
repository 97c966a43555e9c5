//! The names this server answers to, where it is reached from outside, and what counts as its
//! own origin. Nothing here believes a client's `X-Forwarded-*` header.

use actix_web::HttpRequest;
use actix_web::http::header;

/// Where the server is reached and which `Host`s it answers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hosts {
    /// The public URL's scheme, host and port (`https://desk.example.com`), when configured: it
    /// builds every absolute URL and is this server's origin.
    pub public_origin: Option<String>,
    /// Host names (no port, lower case) this server answers to; `*` answers to any.
    pub allowed: Vec<String>,
}

impl Default for Hosts {
    fn default() -> Self {
        Self { public_origin: None, allowed: default_allowed_hosts(None) }
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

    /// Scheme, host and port of absolute URLs for this request: the public URL's, or this
    /// request's own `Host` (already checked against the allowed hosts).
    pub fn base_url(&self, request: &HttpRequest) -> String {
        match &self.public_origin {
            Some(origin) => origin.clone(),
            None => {
                let host =
                    request.headers().get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or("localhost");
                format!("{}://{}", self.scheme(), host.to_ascii_lowercase())
            }
        }
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
        self.allows(host)
            && host.is_some_and(|host| origin == format!("{}://{}", self.scheme(), host.to_ascii_lowercase()))
    }
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
