//! What the rules detect in a description, and the weighted evidence they add up to.

use std::ops::Index;

/// One kind of evidence, each a cue of the labelling rubric: the first five tell what a ticket
/// is about, the last twelve how urgent it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Charges, invoices, refunds, plans, payment methods, taxes.
    Billing,
    /// Sign-in, passwords, two-factor, profile, permissions, seats.
    Account,
    /// Errors, crashes, slowness, integrations, API, sync.
    Technical,
    /// A question about how to do something, rather than a report or a request.
    Question,
    /// A feature request, an idea or feedback.
    Wish,
    /// Production down, data loss, a security breach.
    Severe,
    /// Many users or the whole organisation are affected; "only me" takes it back.
    Scale,
    /// Someone cannot do their work: cannot sign in, cannot pay, a key feature is broken.
    Blocked,
    /// Money taken that should not have been.
    MoneyWrong,
    /// The customer says it is urgent.
    Urgent,
    /// The customer says there is no hurry.
    Calm,
    /// A date or event the answer is needed by.
    Deadline,
    /// The customer has a way around the problem.
    Workaround,
    /// Slow or intermittent, but working.
    Degraded,
    /// A purely visual flaw.
    Cosmetic,
}

impl Signal {
    pub const ALL: [Signal; 15] = [
        Signal::Billing,
        Signal::Account,
        Signal::Technical,
        Signal::Question,
        Signal::Wish,
        Signal::Severe,
        Signal::Scale,
        Signal::Blocked,
        Signal::MoneyWrong,
        Signal::Urgent,
        Signal::Calm,
        Signal::Deadline,
        Signal::Workaround,
        Signal::Degraded,
        Signal::Cosmetic,
    ];
    pub const COUNT: usize = Signal::ALL.len();

    /// Whether a negation just before the phrase ("not urgent", "no data lost", "no
    /// workaround") cancels it.
    pub fn is_negatable(self) -> bool {
        !matches!(
            self,
            Signal::Billing | Signal::Account | Signal::Technical | Signal::Question | Signal::Calm | Signal::Wish
        )
    }

    /// Whether the signal is a feature of the category model.
    pub fn tells_category(self) -> bool {
        matches!(self, Signal::Billing | Signal::Account | Signal::Technical | Signal::Question | Signal::Wish)
    }

    /// Whether the signal is a feature of the priority model.
    pub fn tells_priority(self) -> bool {
        !matches!(self, Signal::Billing | Signal::Account | Signal::Technical)
    }

    /// The signal's name as a model feature.
    pub fn feature_name(self) -> &'static str {
        match self {
            Signal::Billing => "signal:billing",
            Signal::Account => "signal:account",
            Signal::Technical => "signal:technical",
            Signal::Question => "signal:question",
            Signal::Wish => "signal:wish",
            Signal::Severe => "signal:severe",
            Signal::Scale => "signal:scale",
            Signal::Blocked => "signal:blocked",
            Signal::MoneyWrong => "signal:money-wrong",
            Signal::Urgent => "signal:urgent",
            Signal::Calm => "signal:calm",
            Signal::Deadline => "signal:deadline",
            Signal::Workaround => "signal:workaround",
            Signal::Degraded => "signal:degraded",
            Signal::Cosmetic => "signal:cosmetic",
        }
    }
}

/// The summed weight of every rule that matched, per signal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    scores: [f32; Signal::COUNT],
}

impl Evidence {
    /// How much weight a signal needs before it counts as present.
    pub const PRESENT: f32 = 1.0;

    pub fn add(&mut self, signal: Signal, weight: f32) {
        self.scores[signal as usize] += weight;
    }

    pub fn has(&self, signal: Signal) -> bool {
        self[signal] >= Self::PRESENT
    }

    /// The signals present, in [`Signal::ALL`] order.
    pub fn present(&self) -> impl Iterator<Item = Signal> + '_ {
        Signal::ALL.into_iter().filter(|&signal| self.has(signal))
    }
}

impl Index<Signal> for Evidence {
    type Output = f32;

    fn index(&self, signal: Signal) -> &f32 {
        &self.scores[signal as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_signal_in_declaration_order() {
        for (index, signal) in Signal::ALL.into_iter().enumerate() {
            assert_eq!(signal as usize, index);
        }
    }

    #[test]
    fn a_signal_is_present_from_a_weight_of_one() {
        let mut evidence = Evidence::default();
        evidence.add(Signal::Scale, 1.0);
        evidence.add(Signal::Urgent, 0.5);
        assert_eq!(evidence.present().collect::<Vec<_>>(), [Signal::Scale]);
        evidence.add(Signal::Scale, -1.0);
        assert_eq!(evidence.present().count(), 0);
    }
}
