//! Words that say how urgent a ticket is.

use super::Family;
use crate::signal::Signal::{
    Account, Billing, Blocked, Calm, Charge, Cosmetic, Deadline, Degraded, Fault, MoneyWrong, Repeated, Scale, Severe,
    Technical, Urgent, Workaround,
};

#[rustfmt::skip]
pub const FAMILIES: &[Family] = &[
    // Critical: production down, data loss, a security breach.
    Family {
        signals: &[(Severe, 1.0)],
        phrases: &[
            "production down", "production is down", "prod down", "prod is down", "platform down", "platform is down",
            "site is down", "site down", "everything is down", "completely down", "total outage", "down for everyone",
            "data loss", "lost .. data", "data .. lost", "have lost", "we lost", "are gone", "is gone",
            "were deleted", "got deleted", "deleting the", "wiped", "overwrote", "overwritten", "no undo",
            "cant undo", "unrecoverable", "corrupted", "corruption", "breach*", "data leak", "leaked", "leaking",
            "exposed", "hacked", "compromised", "phishing", "without logging in", "anyone with the",
            "another company s", "someone else s", "still has access", "security incident", "vulnerabilit*",
            "malware", "ransomware", "every request", "all requests", "all api calls", "every page",
            "every single page", "all pages", "hacker*", "taken over", "takeover", "hijack*", "nothing loads",
            "nothing works", "completely stuck", "still missing", "deleted all", "all .. deleted", "lost all",
            "all .. lost", "all .. disappeared", "data .. disappeared", "records .. disappeared",
            "contacts .. disappeared", "tickets .. disappeared", "data .. missing", "missing data",
            "backup* .. empty", "backup* .. fail*", "someone .. logged", "someone .. changed my",
            "someone .. accessed", "someone else .. account", "another country", "wasnt me", "not me", "unrecogni*",
            "suspicious login*", "unauthorized access", "unauthorised access", "privacy issue", "privacy breach",
            "another customer s", "other customers", "other customer s", "other users data", "someone else s data",
            "security issue", "security hole", "security alert", "under attack", "customer list", "customer data",
            "someone has access", "someone .. into my account", "i never wrote", "i never sent", "someone .. charged",
            "someone .. using our card", "didnt buy", "did not buy", "wasnt us", "public repo*", "public github",
            "publicly",
            "data|tickets|records|contacts|entries|messages|files|history|conversations .. disappeared|vanished|gone|wiped|lost|deleted",
            "nothing in the trash", "trash is empty", "attack*", "brute force", "didnt request",
            "nobody .. requested", "not requested", "accidentally deleted", "deleted .. whole", "deleted .. entire",
            "deleted by mistake", "former employee", "ex employee", "ancien employe", "entries .. gone",
            "all .. gone", "fuite de donnees", "perte de donnees", "datenverlust", "perdida de datos",
            "perda de dados", "perdita di dati",
        ],
    },
    // Many users or the whole organisation.
    Family {
        signals: &[(Scale, 1.0)],
        phrases: &[
            "everyone", "everybody", "nobody", "no one", "none of", "all of us", "any of us", "all our agents",
            "all our users", "all our staff", "all our employees", "all our customers", "all our people",
            "all our colleagues", "all of our agents", "all of our users", "all of our staff", "all users",
            "all agents", "all the agents", "entire org*|company|team|office|staff|department|workforce",
            "whole .. team", "whole company", "whole office", "whole org*",
            "all #num", "thousands", "hundreds of", "#many agents", "#many users", "#many people", "#many employees",
            "#many staff", "tout le monde", "tous nos", "personne ne", "todos", "nadie", "alle", "allen", "niemand",
            "tutti", "nessuno", "ninguem", "#num platzen", "#num platze", "callcenter", "call center",
        ],
    },
    Family {
        signals: &[(Scale, -1.0)],
        phrases: &["nobody answers", "no one answers", "nobody replies", "no one replies"],
    },
    Family {
        signals: &[(Scale, 0.5)],
        phrases: &["our customers", "our users", "our office", "customers can", "nossa equipe"],
    },
    Family {
        signals: &[(Scale, 1.0)],
        phrases: &[
            "our team|agents|users|staff|employees .. cant|locked|blocked|unable|stuck",
            "our team|agents|users|staff|employees .. cannot",
        ],
    },
    // High: one customer blocked, a key feature broken.
    Family {
        signals: &[(Blocked, 1.0)],
        phrases: &[
            "cant", "cannot", "can not", "unable", "not able", "no way to", "blocked", "blocking", "stuck", "wont",
            "does nothing", "nothing happens", "nothing merges", "no longer", "at all", "forever", "zero results",
            "no results", "not a single", "whole job", "working blind", "sitting idle", "lose access", "missed",
            "invalid password", "not found", "expired", "greyed out", "endless", "endlessly", "infinite", "idle",
            "none of .. load", "suspended", "nao consegue", "ninguem consegue", "nessuno riesce", "nadie puede",
            "personne ne peut", "niemand kann", "no recib*", "nao receb*", "ne recoi*", "ne recev*", "non ricev*",
            "bekomme keine", "erhalte keine", "n arrive plus", "n arrivons plus", "ne peux plus", "ne pouvons plus",
            "keine .. mehr", "kein .. mehr", "dreht sich", "losing .. customers", "losing .. clients", "losing money",
            "losing business", "losing sales", "losing orders", "losing revenue", "perdiendo clientes",
            "perdendo clientes", "perdons des clients", "never arrive*", "never come*", "never came", "never get",
            "never receive*", "not receiving", "dont receive", "doesnt arrive", "didnt arrive", "not arriving",
            "blank page*", "blank screen", "will not accept", "wont accept", "grayed out", "doesnt register",
            "stopped", "broken", "keeps failing", "kann nicht", "kann ich nicht", "nicht mehr", "komme .. nicht",
            "no puedo", "no me deja", "no podemos", "nao consigo", "nao posso", "non riesco", "non posso",
            "non possiamo", "impossible", "impossibile", "imposible", "niente da fare", "fermo", "bloque", "bloquee",
            "bloccat*", "bloquead*", "gesperrt", "ne peux pas", "ne pouvons pas", "n arrive pas", "n arrivons pas",
            "ne fait rien", "overwhelmed", "locked out", "is locked", "got locked", "been locked", "account locked",
            "none of .. can", "nobody .. can", "no one .. can", "nobody is able", "didnt go through",
            "did not go through",
        ],
    },
    Family {
        signals: &[(Blocked, -1.0)],
        phrases: &["cant make sense", "cant figure out", "cant tell", "gibt es .. nicht mehr"],
    },
    Family {
        signals: &[(Blocked, 0.5)],
        phrases: &[
            "anymore", "every time", "every run", "each time", "#status", "internal error", "j en ai besoin",
            "i need it",
        ],
    },
    // High: money wrongly taken or a payment failing.
    Family {
        signals: &[(MoneyWrong, 1.0), (Billing, 1.0)],
        phrases: &[
            "charged twice", "charged me", "charged us", "double charge*", "double debit", "double billed",
            "billed twice", "two payments", "charged .. again", "hit again", "still charging", "still charged",
            "after i cancel*", "after i deleted", "even though i cancel*", "took currency", "didnt authori*",
            "not authori*", "unauthori*", "no autorice", "money back", "reverse", "please refund", "refund .. please",
            "want .. refund*", "like .. refund*", "refund the", "refund one", "refund us", "refund me",
            "never signed up", "didnt sign up", "never ordered", "didnt order", "charged for .. never",
            "difference refunded", "en trop", "trois fois", "dos veces", "zweimal", "duas vezes", "due volte",
            "declined", "refuse", "refusee", "rechazad*", "abgelehnt", "recusad*", "rifiutat*", "higher than usual",
            "more than usual", "much higher", "payment .. failed", "payment .. failing", "payment .. fails",
            "mandate invalid", "payment overdue", "why have i been billed", "wasnt any of us", "devolvais",
            "devolver", "devolucion", "rembourser",
        ],
    },
    // Money words that already vote for billing as topic words.
    Family {
        signals: &[(MoneyWrong, 1.0)],
        phrases: &["overcharg*", "rimbors*", "reembols*", "erstatt*", "fraud*", "someone .. my card"],
    },
    Family { signals: &[(MoneyWrong, 0.5)], phrases: &["refund*"] },
    // The customer says it is urgent.
    Family {
        signals: &[(Urgent, 1.0)],
        phrases: &[
            "urgent", "urgently", "asap", "immediately", "right away", "right now", "emergency", "dringend", "sofort",
            "urgente", "urgence", "au plus vite", "des que possible", "cuanto antes", "lo antes posible",
            "o mais rapido", "il prima possibile", "subito", "schnelle hilfe", "schnellstmoglich",
            "so schnell wie moglich", "in an hour", "in #num hours", "within the hour", "opens in",
        ],
    },
    Family { signals: &[(Urgent, 0.5)], phrases: &["today", "now", "this morning"] },
    // Medium: the customer has a way around it.
    Family {
        signals: &[(Workaround, 1.0)],
        phrases: &[
            "workaround", "work around", "working around", "worked around", "for now", "stopgap", "by hand",
            "manually", "still works", "still work", "works fine", "work fine", "works .", "works if", "works when",
            "works but", "works in", "works on", "use .. instead", "using .. instead", "can still", "works with",
            "funziona .", "funciona .", "fonctionne .", "funktioniert .", "kann .. noch", "puedo .. todavia",
            "peux encore", "posso ancora", "ainda consigo", "we can recreate", "still get in", "still finishes",
            "workable", "in the meantime", "en attendant", "a la main", "mientras tanto", "de momento", "por ahora",
            "vorerst", "per ora", "per il momento", "por enquanto", "it s fine", "is fine", "are fine", "fine once",
            "not blocking", "i can wait", "refreshing", "refresh fixes", "eventually", "usually works",
            "usually gets", "we can wait", "can live with",
        ],
    },
    Family { signals: &[(Workaround, 1.0)], phrases: &["usable", "still functional"] },
    Family { signals: &[(Workaround, 0.5)], phrases: &["still"] },
    Family {
        signals: &[(Workaround, -1.0), (Blocked, 1.0)],
        phrases: &["works everywhere", "fonctionne ailleurs", "funciona en otr*"],
    },
    Family {
        signals: &[(Workaround, -1.0)],
        phrases: &["still missing", "still isnt", "still not", "still cant", "still doesnt"],
    },
    // Medium: slow, intermittent, annoying.
    Family {
        signals: &[(Degraded, 1.0)],
        phrases: &[
            "slow*", "sluggish", "takes ages", "takes forever", "#num seconds", "intermittent*", "sometimes",
            "occasionally", "randomly", "from time to time", "flaky", "annoying", "getting worse", "lent", "lente",
            "langsam*", "lento", "lenta", "parfois", "a veces", "manchmal", "as vezes", "a volte",
            "every #num minutes", "hours instead", "minutes before", "an hour off", "wrong", "incorrect",
            "doesnt match", "drains", "went up", "gone up", "go up", "increased", "lag*", "behind", "stale",
            "access denied", "denied", "disabled", "should be able", "supposed to", "promised", "instead of",
            "invece di", "en lugar de", "au lieu de", "em vez de", "statt", "sbagliat*", "errado", "errada",
            "falsch*", "incorrecto", "incorrect*", "doesnt find", "even though", "only got", "only received",
            "only shows", "confus*", "double", "worried", "concerned", "rejects", "rejected",
        ],
    },
    // Medium: a date or event the answer is needed by.
    Family {
        signals: &[(Deadline, 1.0)],
        phrases: &[
            "by #weekday", "before #weekday", "until #weekday", "due #weekday", "next #weekday", "on #weekday",
            "by tomorrow", "due tomorrow", "next week", "this week", "end of the month", "end of month",
            "end of week", "end of the week", "end of the quarter", "quarter close", "year end", "quarter end",
            "month end", "trimestre", "cierre", "cloture", "fechamento", "by the #ord", "before the #ord",
            "on the #ord", "by end of", "due", "deadline", "goes live", "go live", "launch", "presenting",
            "present these", "before our", "by then", "starts next", "starting #weekday", "avant #weekday", "d ici",
            "bis #weekday", "bis wann", "bis zum", "hasta el", "antes del", "antes de", "ate #weekday", "entro",
            "prima di", "del #weekday", "jahresabschluss", "fin de mois", "fin de mes", "fim do mes", "need it by",
            "needs it by", "need them by", "before the", "expires on",
        ],
    },
    Family { signals: &[(Deadline, 0.5)], phrases: &["tomorrow", "next month"] },
    // A day or date is usually when something is needed; "since Tuesday" or "last Tuesday" is not.
    Family {
        signals: &[(Deadline, 1.0)],
        phrases: &["#weekday", "#month #num", "#num #month", "#month #ord", "#ord #month"],
    },
    Family {
        signals: &[(Deadline, -1.0)],
        phrases: &[
            "since #weekday", "last #weekday", "since #month", "since the #ord", "desde el", "depuis #weekday",
            "seit #weekday", "da #weekday", "desde #weekday",
        ],
    },
    Family {
        signals: &[(Blocked, 1.0)],
        phrases: &[
            "disappeared", "vanished", "getting nothing", "nothing comes through", "nothing is coming",
            "nothing arrives", "nothing gets through",
        ],
    },
    Family {
        signals: &[(Fault, 1.0)],
        phrases: &[
            "two invoices", "different amount*", "wrong amount", "amount is wrong", "a problem", "problem with",
            "problems with", "having problems", "having issues", "issue with", "issues with", "never seen before",
        ],
    },
    Family { signals: &[(Deadline, 0.5)], phrases: &["demain", "manana", "amanha", "domani"] },
    // Low: the customer says there is no hurry.
    Family {
        signals: &[(Calm, 1.0)],
        phrases: &[
            "not urgent", "nothing urgent", "no rush", "no hurry", "whenever convenient", "whenever you can",
            "whenever you have", "at your convenience", "when you get a chance", "when you have time", "no urgency",
            "low priority", "not a priority", "not important", "nessuna urgenza", "non c e fretta", "non e urgente",
            "no hay prisa", "sin prisa", "no es urgente", "pas urgent", "rien d urgent", "pas presse", "sans urgence",
            "keine eile", "nicht dringend", "hat zeit", "sem pressa", "nao e urgente", "sem urgencia",
            "totally fine if not", "nothing else needed", "nothing wrong", "just want to look", "no big deal",
            "not a big deal", "lol", "purely visual", "just looks", "just want", "not serious", "nothing serious",
            "not a big problem", "no big problem", "non e grave", "pas grave", "no es grave", "nicht schlimm",
            "nao e grave",
        ],
    },
    Family { signals: &[(Cosmetic, 0.5)], phrases: &["looks", "look"] },
    // Low: a purely visual flaw.
    Family {
        signals: &[(Cosmetic, 1.0)],
        phrases: &[
            "typo", "misspel*", "misaligned", "alignment", "off center", "overlap*", "blurry", "pixel*", "cosmetic",
            "purely visual", "visual*", "sloppy", "ugly", "font*", "colour*", "color*", "icon*", "tooltip*",
            "placeholder", "dark mode", "aesthetic*", "emoji", "schonheitsfehler", "small thing", "minor",
            "formatted like", "invisible", "cosmetique", "estetico",
        ],
    },
    // Data seen by the wrong people, or lost in transit: a breach or data loss.
    Family {
        signals: &[(Severe, 1.0)],
        phrases: &[
            "different company", "another company", "other company", "other companies", "public link",
            "public .. link", "publicly accessible", "anyone can see", "anyone can access", "anyone can open",
            "is lost", "are lost", "being lost", "get lost", "gets lost", "getting lost", "autre entreprise",
            "otra empresa", "outra empresa", "anderen firma", "altra azienda",
        ],
    },
    // Only one person is affected, whatever "everyone" says elsewhere in the text.
    Family {
        signals: &[(Scale, -1.0), (Workaround, -1.0)],
        phrases: &[
            "everyone else", "everybody else", "everywhere else", "only me", "just me", "only for me", "nur bei mir",
            "uberall sonst", "partout ailleurs", "que moi", "solo a mi", "so comigo", "solo a me",
        ],
    },
    Family { signals: &[(Scale, -1.0)], phrases: &["nobody .. changed|touched|asked|did", "no one .. changed|touched|asked|did"] },
    // Someone cut off: access taken away, locked out by retries, nothing arriving any more.
    Family {
        signals: &[(Blocked, 1.0)],
        phrases: &[
            "revoked", "lost access", "been removed", "kicked out",
            "nothing has come|arrived|synced|loaded|worked", "nothing .. come|comes|came|coming through", "nothing .. arrived|synced|imported",
            "not processing", "arent processing", "isnt processing", "not creating", "arent creating",
            "isnt creating", "rejects|rejecting|fails|failing|bounces|bouncing|blocks|blocking .. everything|all",
            "never show*", "never appear*", "never reach*", "never load*", "never go* through", "never gets",
            "plus aucun*", "plus rien", "ya nada", "ya ningun*", "nada chega", "nada llega", "non arriva piu",
            "nichts mehr", "nichts an",
        ],
    },
    // Locked out after too many sign-in attempts.
    Family {
        signals: &[(Blocked, 1.0), (Account, 3.0)],
        phrases: &[
            "too many attempts", "too many tries", "too many login attempts", "trop de tentatives",
            "demasiados intentos", "zu viele versuche", "muitas tentativas", "troppi tentativi",
        ],
    },
    // Failing, in the other languages.
    Family {
        signals: &[(Technical, 1.5), (Fault, 1.0)],
        phrases: &[
            "echoue*", "echec", "falla", "fallan", "fallando", "fallisce", "falliscono", "falha*", "schlagt fehl",
            "fehlgeschlagen",
        ],
    },
    // Recurring or partial: degraded rather than down.
    Family {
        signals: &[(Degraded, 1.0)],
        phrases: &[
            "whenever", "keeps", "keep getting", "not every time", "not always", "doesnt always", "dont always",
            "dauert ewig", "ewig", "tarda mucho", "demora muito", "but only", "but there are only", "only #num of",
        ],
    },
    // The customer can live with it.
    Family {
        signals: &[(Workaround, 1.0)],
        phrases: &[
            "not a huge deal", "no huge deal", "not the end of the world", "just log|sign in again", "retry*", "second try", "komme ich .. ran", "zwar",
        ],
    },
    // A date that starts something is a deadline too.
    Family {
        signals: &[(Deadline, 1.0)],
        phrases: &[
            "in #num days", "in #num weeks", "within #num days", "from the #ord", "dia #ord", "a partir do dia",
            "a partir del", "a partir de #weekday", "a partir du",
        ],
    },
    Family { signals: &[(Deadline, 0.5)], phrases: &["start|starts|starting|from|until|till tomorrow", "as of tomorrow"] },
    // Money taken, and signs that it was taken more than once.
    Family {
        signals: &[(Charge, 1.0)],
        phrases: &[
            "charged", "charges", "charging", "billed", "debited", "took", "taken", "payment*", "cobrado",
            "cobrados", "cobraron", "cobrou", "cobranca*", "abgebucht", "abbuchung*", "preleve*", "prelevement*",
            "addebit*", "debite*",
        ],
    },
    Family {
        signals: &[(Repeated, 1.0)],
        phrases: &[
            "twice", "two times", "three times", "x2", "x3", "same day", "same month", "same charge", "same amount",
            "two|three|four|multiple|duplicate charges|payments|debits|invoices", "mesmo mes", "mismo mes",
            "meme mois", "stesso mese", "gleichen monat", "dos veces", "deux fois", "duas vezes", "due volte",
            "zweimal",
        ],
    },
    Family { signals: &[(MoneyWrong, 1.0), (Billing, 3.0)], phrases: &["estorno*", "still billed", "still billing"] },
    // Something that should have gone away is still there.
    Family {
        signals: &[(Fault, 1.0)],
        phrases: &["still shows", "still showing", "still appears", "still listed", "still gets", "still receives"],
    },
    Family { signals: &[(MoneyWrong, 1.0)], phrases: &["you charged", "you billed", "you took", "you debited"] },
    Family {
        signals: &[(Cosmetic, 1.0)],
        phrases: &[
            "stretched", "squished", "cropped", "slightly", "legend", "spacing", "padding", "wording", "capitali*",
            "spelling", "misspelled",
        ],
    },
];
