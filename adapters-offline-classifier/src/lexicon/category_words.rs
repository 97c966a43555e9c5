//! Words that say what a ticket is about.

use super::Family;
use crate::signal::Signal::{Account, Billing, Blocked, Fault, General, HowTo, Request, Technical, Wish};

#[rustfmt::skip]
pub const FAMILIES: &[Family] = &[
    // Billing: charges, invoices, refunds, plans, payment methods, taxes.
    Family {
        signals: &[(Billing, 3.0)],
        phrases: &[
            "invoice*", "refund*", "receipt*", "billing", "billed", "bill", "bills", "charge", "charged", "charges",
            "charging", "overcharg*", "payment*", "pay", "paid", "paying", "subscription*", "prorat*", "vat", "tax",
            "taxes", "w 9", "coupon*", "discount*", "promo code", "checkout", "sepa", "direct debit", "debit",
            "debited", "bank transfer", "wire transfer", "credit card", "card on file", "visa", "amex", "mastercard",
            "paypal", "renewal", "renew", "renews", "pricing", "price", "prices", "chargeback", "currency",
            "purchase order", "po number", "annual billing", "monthly billing", "money", "cost", "costs",
            "remittance", "accounts payable", "expense*", "free trial",
            // French, Spanish, German, Portuguese, Italian.
            "factur*", "fattur*", "fatura*", "nota fiscal", "rechnung*", "rembours*", "reembols*", "rimbors*",
            "erstatt*", "ruckerstatt*", "preleve*", "prelevement*", "cobrado", "cobrar", "cobro", "cobros",
            "cobraron", "cobrou", "cobranca", "abbuchung*", "abgebucht", "addebit*", "pagamento*", "paiement*",
            "pago", "pagos", "pagar", "pagare", "zahlung*", "abonnement*", "suscripcion*", "assinatura*",
            "abbonament*", "iva", "tva", "mwst", "tarif*", "preis*", "precio*", "preco*", "prezzo", "devolv*",
            "tarjeta", "kreditkarte", "cartao", "carta di credito",
        ],
    },
    Family {
        signals: &[(Billing, 2.0)],
        phrases: &[
            "plan", "upgrade", "upgrading", "upgraded", "downgrad*", "annual", "monthly", "card", "cards", "credit",
            "bank", "accountant", "accounting", "finance", "trial", "add on", "cancel", "cancelled", "canceled",
            "cancellation", "buchhaltung", "comptabilit*", "contador", "contabil*", "piano", "plano", "betrag",
            "montant", "importe",
        ],
    },
    // Account: sign-in, passwords, two-factor, profile and e-mail changes, permissions, seats.
    Family {
        signals: &[(Account, 3.0)],
        phrases: &[
            "log in", "login*", "logged", "logging", "log out", "logout", "log back", "sign in", "signin",
            "sign into", "signed", "signing", "sso", "saml", "okta", "azure ad", "password*", "2fa", "two factor",
            "mfa", "authenticator", "otp", "verification code", "sms code", "security code", "backup codes",
            "recovery", "lock out", "locked", "profile", "display name", "username*", "user name", "last name",
            "first name", "job title", "role", "roles", "permission*", "admin rights", "admin right", "access rights",
            "invite*", "invitation*", "deactivat*", "reactivat*", "ownership", "owner", "session*", "authent*",
            "phone number", "seat", "seats", "my account", "close my account", "delete my account",
            "suspicious activity", "hacked", "new hire*",
            // French, Spanish, German, Portuguese, Italian.
            "mot de passe", "connexion", "connecter", "identifiant*", "contrasena*", "iniciar sesion",
            "inicio de sesion", "passwort*", "kennwort*", "anmeld*", "einlogg*", "senha*", "profil", "profilo",
            "perfil", "compte", "cuenta", "konto", "usuario*", "utilisateur*", "benutzer*", "utente", "accesso",
            "acesso", "acces", "zugang*", "close my", "close our", "closing my", "former employee", "ex employee",
            "ancien employe",
        ],
    },
    Family {
        signals: &[(Account, 1.5)],
        phrases: &[
            "account", "access", "admin", "administrator", "user", "users", "workspace", "email", "e mail", "correo",
            "courriel", "name", "rename", "accounts", "email address", "e mail address", "merge them", "entrar",
            "conta", "acceder", "accedere", "acessar", "espace", "workspace owner", "transfer", "group", "groups",
            "membership",
        ],
    },
    // Technical: errors, bugs, crashes, slowness, outages, integrations, API, data sync.
    Family {
        signals: &[(Technical, 3.0), (Fault, 1.0)],
        phrases: &[
            "bug", "bugs", "buggy", "glitch*", "exception", "timed out", "timeout", "time out", "duplicat*",
            "twice into", "blank", "white screen", "spins", "spinning", "freez*", "frozen", "hangs",
            "ne fonctionne pas", "ne marche pas", "no funciona", "funktioniert nicht", "nao funciona", "non funziona",
            "#status", "went wrong", "not showing", "not showing up", "doesnt show", "dont show", "not appearing",
            "isnt loading", "not loading", "doesnt load", "wont load",
        ],
    },
    // Words for something going wrong anywhere: a payment can fail as well as a sync.
    Family {
        signals: &[(Technical, 1.5), (Fault, 1.0)],
        phrases: &[
            "error*", "erreur*", "fehler*", "erro", "errore*", "broken", "broke", "breaks", "not working",
            "doesnt work", "dont work", "isnt working", "stopped working", "failed", "fails", "failing", "failure*",
        ],
    },
    // A number of things is not an HTTP status: "500 tickets".
    Family {
        signals: &[(Technical, -3.0), (Fault, -1.0)],
        phrases: &[
            "#status tickets", "#status users", "#status agents", "#status records", "#status contacts",
            "#status rows", "#status customers", "#status people", "#status emails", "#status orders",
            "#status items", "#status seats", "#status employees", "#status members", "#status files",
            "#status messages",
        ],
    },
    // A problem that is over is no longer a fault.
    Family { signals: &[(Fault, -1.0)], phrases: &["for fixing", "fixed the", "fixing the", "got fixed", "was fixed"] },
    Family {
        signals: &[(Technical, 3.0), (Blocked, 1.0)],
        phrases: &[
            "unreachable", "offline", "inaccessible", "not responding", "unresponsive", "unavailable", "fora do ar",
            "ne fonctionne plus", "ne marche plus", "ya no funciona", "funktioniert nicht mehr", "nao funciona mais",
            "non funziona piu", "crash*", "absturz*", "sturzt", "abgesturzt", "plante", "se bloquea", "trava",
            "travou", "si blocca",
        ],
    },
    Family {
        signals: &[(Technical, 3.0)],
        phrases: &[
            "api", "endpoint*", "webhook*", "integration*", "integracion", "integrazione", "integracao", "sync*",
            "synchroni*", "sincroni*", "import*", "connector*", "plugin*", "zapier", "slack", "salesforce", "shopify",
            "outlook", "google drive", "hubspot", "jira", "app", "apps", "ios", "android", "iphone", "ipad", "tablet",
            "mobile", "desktop", "browser", "chrome", "firefox", "safari", "server*", "dashboard", "page", "pages",
            "screen", "button", "spinner", "search", "notifica*", "benachrichtigung*", "attachment*", "upload*",
            "pdf", "csv", "editor", "widget", "ui", "layout", "font*", "dark mode", "tooltip*", "icon*", "sidebar",
            "release", "redesign", "backup*", "restore", "snapshot", "timestamps", "performance", "latency", "slow*",
            "sluggish", "typo", "misaligned", "overlap*", "blurry", "oauth*", "token", "rate limit*", "pagination",
            "cursor", "payload", "json", "http*", "url", "print*", "barcode", "scanner", "printer", "pos",
            "autocomplete", "auto assign", "bulk edit", "filter*", "update", "version", "outage", "down", "5xx",
            "lag*", "battery", "data", "records", "rows", "spreadsheet", "calendar", "emoji", "displayed",
            "rendering", "encoding", "load*",
            // French, Spanish, German, Portuguese, Italian.
            "informe", "rapport", "bericht", "aplicacion", "anwendung", "applicazione", "aplicativo", "logiciel",
            "pagina", "seite", "bouton", "boton", "lent", "lente", "langsam*", "lento", "lenta", "angezeigt",
            "synchronisation",
        ],
    },
    Family {
        signals: &[(Technical, 1.5)],
        phrases: &[
            "export*", "report*", "feature", "field", "form", "link", "links", "emails", "preview", "column*",
            "table", "cuts off", "cut off", "shows up", "displays", "tickets", "contacts", "orders", "template",
            "setting", "settings", "exportar", "thread", "messages", "replies", "missing", "timer", "macro*",
            "automation*", "system", "spam", "bounce*", "bouncing", "deliverability", "systeme", "sistema",
            "chamados", "delay*", "delayed",
        ],
    },
    // Asking for someone to get access is about permissions, whatever the area.
    Family {
        signals: &[(Account, 3.0)],
        phrases: &[
            "give .. access", "grant* .. access", "get .. access", "access to billing", "viewer", "read only",
            "hacker*", "taken over", "takeover", "hijack*", "add .. as .. admin", "make .. admin", "remove .. access",
            "revoke* .. access",
        ],
    },
    // Fraud on a card is a billing matter.
    Family {
        signals: &[(Billing, 3.0)],
        phrases: &["fraud*", "scam", "someone .. my card", "someone .. our card", "stolen card"],
    },
    // General: compliance, documentation, onboarding, talking to the vendor.
    Family {
        signals: &[(General, 3.0)],
        phrases: &[
            "documentation", "docs", "changelog", "release notes", "roadmap", "training", "webinar", "tutorial",
            "soc 2", "soc2", "gdpr", "dpa", "compliance", "questionnaire", "security review", "vendor review",
            "legal", "auditor*", "contract", "interview", "thesis", "student", "partnership", "demo", "onboarding",
            "is this you", "reach someone", "nobody answers", "no one answers", "no response", "support person",
            "your support team", "your team", "your support", "translation*", "portugues", "espanol", "francais",
            "deutsch", "italiano", "keyboard shortcut", "shortcut", "data processing", "retention", "certification",
            "iso 27001", "hipaa", "privacy policy",
        ],
    },
    Family { signals: &[(General, 5.0)], phrases: &["phishing", "spam campaign", "impersonat*"] },
    Family {
        signals: &[(General, 3.0)],
        phrases: &[
            "rude", "unprofessional", "on your side", "your agent", "your staff", "customer service",
            "complaint about", "newsletter", "your website", "heads up",
        ],
    },
    // Questions about how to do something: general whatever their topic.
    Family {
        signals: &[(HowTo, 1.0), (General, 1.0)],
        phrases: &[
            "how do i", "how do we", "how can i", "how can we", "how to", "how does", "where is", "where are",
            "where do i", "where can i", "where do we", "where can we", "where s", "wheres", "is there a way",
            "is there any", "is it possible", "do you have", "does your", "do you support", "do you offer",
            "is there a", "is there an", "are there", "any way around", "can you tell me", "could you tell me",
            "when will", "what is the difference", "whats the difference", "what s the difference", "is it true",
            ". what happens", "what happens to", ". is the", ". is your", ". are your", ". are the", ". does the",
            ". do i need", ". do we need", ". how long", ". how many", ". how much", ". what are", ". what is",
            ". what s", ". whats", ". which", ". when", ". who", ". can we use", "quick question", "cant find",
            "comment faire", "comment puis je", "comment peut on", "est il possible", "como puedo", "como hago",
            "como se", "es posible", "hay alguna forma", "como faco", "como posso", "e possivel", "wie kann",
            "wie konnen", "gibt es", "come posso", "come si", "e possibile", "c e un modo",
        ],
    },
    Family { signals: &[(Blocked, -1.0)], phrases: &["cant find"] },
    // Asking for something to be done, rather than how to do it.
    Family {
        signals: &[(Request, 1.0)],
        phrases: &[
            "please", "pls", "can you", "could you", "would you", "we want to", "i want to", "we would like to",
            "we d like to", "i d like to", "id like to", "i would like to", "merci de", "pourriez vous",
            "pouvez vous", "podrian", "pueden", "konnen sie", "konnten sie", "potete", "potreste", "podem",
            "poderiam", "bitte",
        ],
    },
    // ... except for asking to be told something, which is a question.
    Family {
        signals: &[(Request, -1.0)],
        phrases: &[
            "can you tell me", "could you tell me", "can you explain", "could you explain", "can you confirm",
            "could you confirm", "can you clarify", "could you clarify",
        ],
    },
    Family {
        signals: &[(Request, 1.0)],
        phrases: &["would it be possible", "is it possible to get", "can we get", "can i get"],
    },
    // Feature requests, feedback, thanks: general, and low unless something else says more.
    Family {
        signals: &[(Wish, 1.0), (General, 2.0)],
        phrases: &[
            "feature request", "would be .. nice", "would be .. great", "would love", "it would help",
            "please consider", "add an option", "an option to", "add a way", "any plans", "do you plan",
            "are there plans", "plans to", "planos de", "planes de", "suggestion*", "sugerencia", "suggerimento",
            "sugestao", "vorschlag", "erganzung", "ware .. schon", "ce serait bien", "seria genial", "seria otimo",
            "sarebbe bello", "feedback", "2 cents", "just wanted to say", "fantastic", "kudos", "great job",
            "well done", "love the", "worse than", "honestly", "just curious", "curious", "totally fine if not",
            "wish list", "wishlist", "love to see", "would like to see", "would be .. cool", "would be .. handy",
            "would be .. useful", "would be .. helpful", "i wish", "we wish", "thank you for", "thanks for",
        ],
    },
    Family {
        signals: &[(Wish, 1.0), (General, 2.0)],
        phrases: &[
            "feature idea", "an idea", "idea for", "planned", "on the roadmap", "pass .. on to", "product team",
            "worth adding", "worth updating", "might be worth", "would be worth", "would make sense",
            "it would be good", "add a|an .. mode|option|feature|view|button|setting|toggle|filter|way|integration|version",
            "add support for", "support for .. please", "ajouter un|une", "agregar un|una", "anadir un|una",
            "hinzufugen", "adicionar um|uma", "aggiungere un|una",
        ],
    },
    // A sentence that starts with "when I click" describes what happens; it asks nothing.
    Family {
        signals: &[(HowTo, -1.0), (General, -1.0)],
        phrases: &[". when i|we|my|our|two|someone|you|the|a|an|customers|users|agents"],
    },
    // Asking for money back or a credit is billing, whatever caused it.
    Family {
        signals: &[(Billing, 4.0)],
        phrases: &[
            "refund request", "request .. refund", "credit for", "a credit", "service credit", "sla credit",
            "compensat*", "goodwill",
        ],
    },
    Family { signals: &[(General, 0.5)], phrases: &["thanks", "thank you", "great", "love", "nice", "idea"] },
    // "Would be nice if you could ..." asks to do something, which is not a feature request.
    Family { signals: &[(Wish, -1.0), (General, -2.0)], phrases: &["if you could", "if you can"] },
];
