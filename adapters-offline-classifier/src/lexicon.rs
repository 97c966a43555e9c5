//! The labelling rubric's cues, in English, German, Spanish, French, Portuguese, Italian and
//! Dutch: phrases grouped into families that share the same evidence.
//!
//! Each family is a cue the rubric names (a how-to question, production down, many people
//! blocked, a workaround, a deadline, no hurry ...), written from the rubric and general usage
//! rather than from labelled lines: the model learns the rest from the writers' data, and learns
//! how much each cue counts. Phrases use the
//! [`crate::pattern`] syntax and are written normalised (lowercase, accents folded, "can't" as
//! `cant`, "l'équipe" as `l equipe`). Negative weights take back a more general phrase.

use crate::signal::Signal::{
    self, Account, Billing, Blocked, Calm, Cosmetic, Deadline, Degraded, MoneyWrong, Question, Scale, Severe,
    Technical, Urgent, Wish, Workaround,
};

/// Phrases that share the same evidence.
#[derive(Clone, Copy, Debug)]
pub struct Family {
    pub signals: &'static [(Signal, f32)],
    pub phrases: &'static [&'static str],
}

#[rustfmt::skip]
pub const FAMILIES: &[Family] = &[
    // Topic words in the other languages, which 2,000 mostly English lines cannot teach. The
    // English ones the model learns itself, and better: measured, English topic words hurt,
    // since "account" or "card" mean different things in different trades.
    //
    // Charges, invoices, refunds, plans, payment methods, taxes.
    Family {
        signals: &[(Billing, 1.0)],
        phrases: &[
            "rechnung*", "zahlung*", "bezahl*", "abbuchung*", "abgebucht", "abo", "preis*", "tarif*",
            "kreditkarte", "lastschrift", "mwst", "gutschrift",
            "factura*", "cobro*", "cobrad*", "cobraron", "pago*", "pagar", "suscripcion*", "precio*", "tarjeta", "iva",
            "recibo*",
            "factur*", "paiement*", "payer", "paye", "preleve*", "prelevement*", "abonnement*", "prix", "carte bancaire",
            "tva",
            "fatura*", "cobranca*", "cobrou", "pagamento*", "assinatura*", "preco*", "cartao", "nota fiscal", "boleto",
            "fattur*", "addebit*", "pagament*", "pagare", "abbonament*", "prezz*", "carta di credito",
            "factuur*", "facturen", "betaling*", "betalen", "betaald", "afgeschreven", "incasso", "prijs*", "creditcard",
        ],
    },
    // Sign-in, passwords, two-factor, profile, permissions, seats.
    Family {
        signals: &[(Account, 1.0)],
        phrases: &[
            "anmeld*", "einlogg*", "passwort*", "kennwort*", "konto", "zugang*", "profil", "benutzer*", "berechtigung*",
            "einladung*",
            "contrasena*", "iniciar sesion", "inicio de sesion", "cuenta", "usuario*", "perfil", "permiso*", "acceso",
            "invitacion*",
            "mot de passe", "connexion", "connecter", "identifiant*", "compte", "utilisateur*", "droits", "acces",
            "senha*", "conta", "permissao", "permissoes", "acesso", "convite*",
            "accesso", "accedere", "utente", "profilo", "permess*", "credenziali", "invito",
            "wachtwoord*", "inloggen", "ingelogd", "gebruiker*", "profiel", "rechten", "toegang", "uitnodiging*",
        ],
    },
    // Errors, crashes, slowness, integrations, API, sync.
    Family {
        signals: &[(Technical, 1.0)],
        phrases: &[
            "fehler*", "absturz*", "schnittstelle*", "seite", "ladt", "hochladen",
            "fallo*", "integracion", "sincroniz*", "pagina", "aplicacion", "carga",
            "erreur*", "plante", "l application", "chargement",
            "erro", "erros", "falha*", "trava", "travou", "travando", "integracao", "aplicativo", "carrega*",
            "errore*", "integrazione", "sincronizz*", "applicazione", "caricament*",
            "fout*", "koppeling*", "laden",
        ],
    },
    // Asking how to do something.
    Family {
        signals: &[(Question, 1.0)],
        phrases: &[
            "how do|can|should i|we", "how to", "is there a way", "is it possible",
            "do you offer|have|support|accept", "where can|do i|we", "can|could you tell me",
            "wie kann|konnen", "gibt es", "ist es moglich", "konnen sie mir sagen",
            "como puedo|podemos|hago|se", "es posible", "hay alguna forma|manera", "podrian decirme|indicarme",
            "comment faire", "comment puis je", "comment peut on", "est il possible", "est ce que", "pourriez vous me dire|indiquer",
            "como faco|posso|podemos", "e possivel", "podem me dizer|informar",
            "come posso|possiamo|si", "e possibile", "potete dirmi|indicarmi",
            "hoe kan|kunnen", "is het mogelijk", "kunt u mij vertellen",
        ],
    },
    // Production down, data loss, a security breach.
    Family {
        signals: &[(Severe, 1.0)],
        phrases: &[
            "production .. down", "prod .. down", "site .. down", "everything .. down", "down for everyone",
            "outage", "data loss", "lost .. data", "data|records|files|history|tickets|orders .. lost|deleted|wiped|gone|disappeared|vanished",
            "corrupt*", "breach*", "hacked", "hacker*", "compromised", "leak*", "exposed", "unauthori* access",
            "taken over", "phishing", "malware", "ransomware", "vulnerabilit*", "security incident", "suspicious login*",
            "suspicious activity", "other customers", "another customer*", "another company", "someone else s",
            "fraud*", "stolen", "scam*",
            "datenverlust", "daten .. verloren|geloscht|weg", "gehackt", "sicherheitslucke", "ausgefallen", "ausfall",
            "perdida de datos", "datos .. perdidos|borrados|desaparecido*", "hackead*", "caida", "acceso no autorizado",
            "perte de donnees", "donnees .. perdues|supprimees|disparu*", "pirate*", "fuite", "panne", "acces non autorise",
            "perda de dados", "dados .. perdidos|apagados|sumiram", "invadid*", "vazamento", "fora do ar",
            "acesso nao autorizado",
            "perdita di dati", "dati .. persi|cancellati|spariti", "violazione", "accesso non autorizzato",
            "datalek", "gegevens .. kwijt|verloren|verwijderd", "ligt plat", "ligt eruit", "onbevoegd*",
        ],
    },
    // Many people, or the whole organisation.
    Family {
        signals: &[(Scale, 1.0)],
        phrases: &[
            "everyone", "everybody", "all .. users|agents|staff|employees|customers|colleagues|stores|locations|members",
            "whole|entire .. team|company|organi*|office|department|staff", "nobody .. can|could", "no one .. can|could", "nobody is able", "no one is able",
            "none of", "all of us", "#many users|agents|people|employees|customers|staff|stores|locations|members",
            "thousands", "hundreds",
            "alle", "niemand", "ganze .. team|firma|unternehmen|buro", "gesamte*",
            "todos", "nadie", "ninguno", "toda la empresa|oficina", "todo el equipo",
            "tout le monde", "tous .. utilisateurs|clients|collaborateurs|agents", "personne ne", "toute l equipe|entreprise",
            "ninguem", "toda a equipe|empresa",
            "tutti", "nessuno", "tutto il team|ufficio", "tutta l azienda",
            "iedereen", "hele .. team|bedrijf|kantoor",
        ],
    },
    // Only the writer is affected, whatever "everyone" says elsewhere.
    Family {
        signals: &[(Scale, -1.0)],
        phrases: &[
            "only me", "just me", "only for me", "only my account", "everyone else", "everybody else", "nur bei mir",
            "nur ich", "solo a mi", "solo yo", "que moi", "seulement moi", "so comigo", "so eu", "solo a me", "solo io",
            "alleen ik", "alleen bij mij",
        ],
    },
    // Someone cannot do their work.
    Family {
        signals: &[(Blocked, 1.0)],
        phrases: &[
            "cant", "cannot", "unable", "not able", "locked out", "blocked", "stuck", "not working", "doesnt work",
            "wont", "stopped working", "no longer", "broken", "declined", "crash*", "not receiving", "never arrive*",
            "doesnt arrive",
            "kann .. nicht", "konnen .. nicht", "komme .. nicht", "nicht mehr", "kein|keine|keinen .. mehr", "gesperrt",
            "funktioniert nicht", "geht nicht", "absturz*", "erhalte|erhalten|bekomme|bekommen keine",
            "no puedo", "no podemos", "no me deja", "ya no", "bloquead*", "no funciona", "no carga",
            "dejo de funcionar", "no recib*",
            "je ne peux", "nous ne pouvons", "impossible", "n arrive pas|plus", "n arrivons pas|plus", "plus aucun|aucune",
            "bloque*", "ne fonctionne pas|plus", "ne marche pas|plus", "plante", "cesse de fonctionner", "ne recev*",
            "ne recoi*",
            "nao consigo", "nao conseguimos", "nao posso", "nao funciona", "travad*", "parou de funcionar", "nao receb*",
            "non riesco", "non riusciamo", "non posso", "bloccat*", "non funziona", "smesso di funzionare", "non ricev*",
            "non .. piu",
            "kan niet", "kunnen niet", "lukt niet", "geblokkeerd", "werkt niet", "werkt .. niet meer", "vastgelopen",
            "niet meer", "ontvang* geen",
        ],
    },
    // Money taken that should not have been.
    Family {
        signals: &[(MoneyWrong, 1.0)],
        phrases: &[
            "charged .. twice|again", "double .. charge*|charged|billed", "duplicate charge*|payment*", "overcharg*",
            "refund*", "money back", "didnt authori*", "never authori*", "didnt|never .. buy|order|purchase", "unauthori* charge*|payment*", "wrong amount",
            "doppelt|zweimal .. abgebucht|berechnet", "erstatt*", "ruckerstatt*", "zuruckerstatt*",
            "dos veces", "cobro doble|duplicado", "reembols*", "devolucion", "devuelvan",
            "deux fois", "double prelevement|debit", "rembours*", "trop percu",
            "duas vezes", "cobranca duplicada", "em dobro", "estorno", "devolucao",
            "due volte", "doppio addebito", "rimbors*",
            "dubbel .. afgeschreven|betaald|gefactureerd", "twee keer", "terugbetal*", "geld terug", "restitutie",
        ],
    },
    // The customer says it is urgent.
    Family {
        signals: &[(Urgent, 1.0)],
        phrases: &[
            "urgent*", "asap", "immediately", "right away", "emergency", "as soon as possible",
            "dringend", "sofort", "so schnell wie moglich", "notfall",
            "cuanto antes", "lo antes posible", "inmediat*", "emergencia",
            "au plus vite", "des que possible", "immediat*",
            "o quanto antes", "o mais rapido possivel", "imediat*",
            "il prima possibile", "subito", "emergenza",
            "spoed*", "zo snel mogelijk", "meteen",
        ],
    },
    // The customer says there is no hurry.
    Family {
        signals: &[(Calm, 1.0)],
        phrases: &[
            "not urgent", "no rush", "no hurry", "whenever you can|like|have", "when you get a chance", "when you have time",
            "low priority", "no big deal", "not a big deal", "not a priority", "no urgency", "just curious",
            "keine eile", "nicht dringend", "hat zeit", "eilt nicht",
            "no es urgente", "sin prisa", "no hay prisa",
            "pas urgent", "rien d urgent", "pas presse", "sans urgence",
            "nao e urgente", "sem pressa", "sem urgencia",
            "non e urgente", "nessuna fretta", "non c e fretta", "con calma",
            "geen haast", "niet dringend", "niet urgent", "geen spoed",
        ],
    },
    // A date or event the answer is needed by; "since Friday" is no deadline.
    Family {
        signals: &[(Deadline, 1.0)],
        phrases: &[
            "by|before|until|due #weekday|tomorrow|tonight", "by|before the #ord", "by|before #month|#num|#ord",
            "end of .. month|week|quarter|year", "deadline", "due date", "due by",
            "start|starts|starting .. tomorrow|#weekday", "start|starts|starting next week",
            "bis #weekday|morgen|ende", "bis zum", "frist", "monatsende", "quartalsende", "jahresabschluss",
            "fangt .. morgen|#weekday",
            "antes del|de #weekday|manana|fin", "para el #weekday", "fecha limite", "plazo", "fin de mes", "cierre",
            "empieza|empiezan|comienza manana|el",
            "avant #weekday|demain|la|le|fin", "d ici #weekday|demain|la|fin", "date limite", "echeance", "fin du mois",
            "cloture", "commence|commencent demain|le",
            "ate #weekday|amanha|o", "antes de #weekday|amanha", "prazo", "fim do mes", "fechamento",
            "comeca|comecam amanha|na|no",
            "entro #weekday|domani|fine|il", "scadenza", "fine mese", "chiusura", "inizia|iniziano domani",
            "voor #weekday|morgen", "uiterlijk", "einde van de maand", "begint|beginnen morgen",
        ],
    },
    // A way around the problem.
    Family {
        signals: &[(Workaround, 1.0)],
        phrases: &[
            "workaround", "work around", "for now", "in the meantime", "meanwhile", "manually", "by hand",
            "still works", "can still", "works fine", "temporarily", "works .|with|on|in|if|when",
            "vorerst", "manuell", "von hand", "zwischenzeitlich", "kann .. noch", "funktioniert .",
            "por ahora", "de momento", "mientras tanto", "a mano", "manualmente", "todavia puedo", "funciona .",
            "en attendant", "pour l instant", "pour le moment", "a la main", "manuellement", "contournement",
            "fonctionne .", "marche .",
            "por enquanto", "enquanto isso", "a mao", "ainda consigo",
            "per ora", "per il momento", "nel frattempo", "riesco ancora", "funziona .",
            "voorlopig", "handmatig", "met de hand", "ondertussen", "kan nog", "werkt .",
        ],
    },
    // Slow or intermittent, but working.
    Family {
        signals: &[(Degraded, 1.0)],
        phrases: &[
            "slow*", "sluggish", "lag|lagging|laggy", "intermittent*", "sometimes", "occasionally", "randomly", "whenever",
            "takes forever|ages", "keep|keeps getting", "every hour|day",
            "langsam*", "manchmal", "ab und zu",
            "lent*", "a veces", "de vez en cuando", "parfois", "de temps en temps", "as vezes", "de vez em quando",
            "a volte", "ogni tanto",
            "traag", "soms", "af en toe",
        ],
    },
    // A purely visual flaw.
    Family {
        signals: &[(Cosmetic, 1.0)],
        phrases: &[
            "typo*", "misspel*", "misaligned", "alignment", "cosmetic", "purely visual", "font", "colour", "color",
            "spacing", "padding", "overlap*", "pixel*",
            "tippfehler", "rechtschreibfehler", "schonheitsfehler", "kosmetisch",
            "errata", "cosmetico", "desalinead*",
            "faute de frappe", "faute d orthographe", "coquille", "cosmetique", "mal aligne*",
            "erro de digitacao", "desalinhad*",
            "refuso", "errore di battitura", "estetico", "disallineat*",
            "typfout", "spelfout", "cosmetisch",
        ],
    },
    // A feature request, an idea, feedback.
    Family {
        signals: &[(Wish, 1.0)],
        phrases: &[
            "feature request", "would be nice|great|useful|helpful|cool|handy", "would love", "it would help",
            "suggestion", "any plans", "roadmap", "feedback", "love to see", "consider adding",
            "ware .. schon|toll|praktisch|hilfreich", "wunsch", "vorschlag",
            "seria .. genial|util|bueno|estupendo", "sugerencia",
            "ce serait .. bien|genial|pratique|utile",
            "seria .. otimo|legal|bom|util", "sugestao",
            "sarebbe .. bello|utile|comodo", "suggerimento",
            "zou .. fijn|handig|mooi|leuk zijn", "suggestie",
        ],
    },
];

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::normalize::{SENTENCE_START, tokenize};
    use crate::pattern::Pattern;
    use crate::rules::RuleSet;

    /// Asserts that each text gives `signal` and each of `not` does not.
    fn cue(signal: Signal, texts: &[&str], not: &[&str]) {
        let rules = RuleSet::standard();
        for text in texts {
            assert!(rules.evidence(&tokenize(text)).has(signal), "{signal:?} expected in {text:?}");
        }
        for text in not {
            assert!(!rules.evidence(&tokenize(text)).has(signal), "{signal:?} not expected in {text:?}");
        }
    }

    #[test]
    fn topic_words_are_known_in_the_other_languages_only() {
        cue(
            Billing,
            &["La factura de marzo", "Die Rechnung ist falsch", "fattura sbagliata"],
            &["The invoice is wrong"],
        );
        cue(
            Account,
            &["Mein Passwort geht nicht", "No puedo entrar a mi cuenta", "mot de passe oublié"],
            &["my password"],
        );
        cue(Technical, &["Fehler 500 beim Hochladen", "l'application plante", "erro na integração"], &["an error"]);
    }

    #[test]
    fn a_how_to_question_is_a_question_in_any_language() {
        cue(
            Question,
            &[
                "How do I export?",
                "Could you tell me which plans exist?",
                "Comment faire pour exporter ?",
                "Wie kann ich",
            ],
            &["The export fails", "Please export it"],
        );
    }

    #[test]
    fn feature_requests_and_ideas_are_wishes() {
        cue(
            Wish,
            &["Feature request: dark mode", "It would be great to have tags", "Sería genial tenerlo"],
            &["It broke"],
        );
    }

    #[test]
    fn outages_data_loss_and_breaches_are_severe_unless_denied() {
        cue(
            Severe,
            &[
                "Production is down",
                "we lost all our data",
                "our admin was hacked",
                "Datenverlust!",
                "fraud on our card",
            ],
            &["No data was lost", "the export is slow"],
        );
    }

    #[test]
    fn many_people_are_scale_unless_only_the_writer_is_affected() {
        cue(
            Scale,
            &["Nobody in our company can log in", "all 45 agents are stuck", "tout le monde est bloqué"],
            &["I can't log in, everyone else is fine", "nobody answers the phone", "5 users"],
        );
    }

    #[test]
    fn someone_who_cannot_work_is_blocked() {
        cue(
            Blocked,
            &[
                "I can't log in",
                "No puedo entrar",
                "Je n'arrive plus à me connecter",
                "Ich komme nicht rein",
                "parou de funcionar",
            ],
            &["It is not blocked", "it works"],
        );
    }

    #[test]
    fn money_taken_wrongly_is_noticed_in_any_language() {
        cue(
            MoneyWrong,
            &["charged twice", "Nos cobraron dos veces", "please refund us", "we didn't buy anything"],
            &["the invoice"],
        );
    }

    #[test]
    fn urgency_counts_unless_denied_and_denied_urgency_is_calm() {
        cue(Urgent, &["URGENT!!", "please fix asap", "dringend"], &["not urgent", "no es urgente", "pas urgent"]);
        cue(Calm, &["not urgent", "no rush", "Keine Eile", "whenever you can"], &["urgent", "whenever I switch tabs"]);
    }

    #[test]
    fn a_date_the_answer_is_needed_by_is_a_deadline_but_a_date_since_is_not() {
        cue(
            Deadline,
            &[
                "by Friday",
                "before the 15th",
                "She starts tomorrow",
                "bis Freitag",
                "antes del viernes",
                "end of the month",
            ],
            &["since Friday", "due to the outage"],
        );
    }

    #[test]
    fn a_way_around_is_a_workaround_unless_there_is_none() {
        cue(
            Workaround,
            &["for now we do it by hand", "PayPal works.", "Con la carta funziona.", "in the meantime we export"],
            &["there is no workaround", "nothing works."],
        );
    }

    #[test]
    fn slowness_and_recurrence_are_degraded() {
        cue(
            Degraded,
            &["the page is slow", "it sometimes fails", "whenever I switch tabs", "muy lento"],
            &["it is not slow"],
        );
    }

    #[test]
    fn visual_flaws_are_cosmetic_unless_denied() {
        cue(Cosmetic, &["a typo in the footer", "the icons are misaligned", "Tippfehler"], &["this is not cosmetic"]);
    }

    fn phrases() -> impl Iterator<Item = (&'static str, &'static Family)> {
        FAMILIES.iter().flat_map(|family| family.phrases.iter().map(move |&phrase| (phrase, family)))
    }

    #[test]
    fn every_phrase_is_a_valid_pattern() {
        for (phrase, _) in phrases() {
            assert!(Pattern::parse(phrase).is_some(), "{phrase:?}");
        }
    }

    #[test]
    fn every_literal_word_is_written_as_the_tokenizer_writes_it() {
        let literals = phrases()
            .flat_map(|(phrase, _)| phrase.split_whitespace().flat_map(|word| word.split('|')))
            .filter(|word| *word != ".." && *word != SENTENCE_START && !word.starts_with('#'))
            .map(|word| word.trim_end_matches('*'));
        for word in literals {
            let tokens = tokenize(word);
            assert_eq!(tokens, [SENTENCE_START, word, SENTENCE_START], "{word:?}");
        }
    }

    #[test]
    fn no_phrase_counts_twice_for_the_same_signal() {
        let mut seen: HashMap<(&str, Signal), f32> = HashMap::new();
        let mut twice = Vec::new();
        for (phrase, family) in phrases() {
            for &(signal, weight) in family.signals {
                if let Some(previous) = seen.insert((phrase, signal), weight) {
                    twice.push(format!("{phrase:?} gives {signal:?} {previous} and {weight}"));
                }
            }
        }
        assert!(twice.is_empty(), "{twice:#?}");
    }
}
