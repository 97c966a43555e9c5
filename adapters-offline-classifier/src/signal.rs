//! What the rules detect in a description, and the weighted evidence they add up to.

use std::ops::Index;

/// One kind of evidence. The first four vote for a category; the rest inform the priority
/// (and, for questions and wishes, also the category).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Charges, invoices, refunds, plans, payment methods, taxes.
    Billing,
    /// Sign-in, passwords, two-factor, profile, permissions, seats, closing an account.
    Account,
    /// Errors, bugs, crashes, slowness, outages, integrations, API, data sync.
    Technical,
    /// Compliance, documentation, onboarding, contact with the vendor, anything else.
    General,
    /// A how-to or where-is question.
    HowTo,
    /// Asks for something to be done ("please", "could you").
    Request,
    /// A feature request, feedback or thanks.
    Wish,
    /// Production down, data loss, a security breach.
    Severe,
    /// Many users or the whole organisation are affected.
    Scale,
    /// Someone cannot do their work: cannot sign in, cannot pay, a key feature is broken.
    Blocked,
    /// Money taken that should not have been.
    MoneyWrong,
    /// The customer says it is urgent.
    Urgent,
    /// Something is wrong, without saying how badly.
    Fault,
    /// Slow, intermittent or annoying, but working.
    Degraded,
    /// The customer has a way around the problem.
    Workaround,
    /// A date or event the answer is needed by.
    Deadline,
    /// The customer says there is no hurry.
    Calm,
    /// A purely visual flaw.
    Cosmetic,
    /// Money was taken: charged, billed, debited.
    Charge,
    /// Something happened more than once: twice, the same day, three charges.
    Repeated,
}

impl Signal {
    pub const COUNT: usize = Signal::Repeated as usize + 1;

    /// Whether a negation just before the phrase ("not urgent", "no data lost") cancels it.
    pub fn is_negatable(self) -> bool {
        matches!(
            self,
            Signal::Severe
                | Signal::Blocked
                | Signal::Urgent
                | Signal::Degraded
                | Signal::Deadline
                | Signal::MoneyWrong
        )
    }
}

/// The summed weight of every rule that matched, per signal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    scores: [f32; Signal::COUNT],
}

impl Evidence {
    /// How much weight a signal needs before the decision rules treat it as present.
    pub const PRESENT: f32 = 1.0;

    pub fn add(&mut self, signal: Signal, weight: f32) {
        self.scores[signal as usize] += weight;
    }

    pub fn has(&self, signal: Signal) -> bool {
        self[signal] >= Self::PRESENT
    }
}

impl Index<Signal> for Evidence {
    type Output = f32;

    fn index(&self, signal: Signal) -> &f32 {
        &self.scores[signal as usize]
    }
}
