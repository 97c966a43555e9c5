//! Turns the evidence into a category and a priority, following the labelling rubric.

use domain::{Category, Priority};

use crate::signal::Evidence;
use crate::signal::Signal::{
    Account, Billing, Blocked, Calm, Charge, Cosmetic, Deadline, Degraded, Fault, General, HowTo, MoneyWrong, Repeated,
    Request, Scale, Severe, Technical, Urgent, Wish, Workaround,
};

/// The category with the most weight. A plain how-to question (one that asks for nothing to be
/// done) or a feature request is general whatever its topic. Without any topic word, a reported
/// problem is technical and anything else general. Ties go to the more specific topic, in the
/// order billing, account, technical, general.
pub fn category(evidence: &Evidence) -> Category {
    let plain_question = evidence.has(HowTo) && !evidence.has(Request);
    if (plain_question || evidence.has(Wish)) && !reports_trouble(evidence) {
        return Category::General;
    }
    let votes = [
        (Category::Billing, evidence[Billing]),
        (Category::Account, evidence[Account]),
        (Category::Technical, evidence[Technical]),
        (Category::General, evidence[General]),
    ];
    // A visual flaw is a technical matter too: a misaligned toggle is technical.
    let technical_trouble = reports_trouble(evidence) || evidence.has(Cosmetic);
    let fallback = if technical_trouble { Category::Technical } else { Category::General };
    let mut best = (fallback, 0.0);
    for (category, weight) in votes {
        if weight > best.1 {
            best = (category, weight);
        }
    }
    best.0
}

/// Whether the description reports a problem rather than only asking a question.
fn reports_trouble(evidence: &Evidence) -> bool {
    [Severe, Blocked, MoneyWrong, Fault, Degraded, Workaround].into_iter().any(|signal| evidence.has(signal))
}

/// The first rubric level whose conditions hold, from critical down to low. A technical
/// report with no other clue is a problem of some kind, so medium; any other ticket with no
/// clue is a plain request, so low.
pub fn priority(evidence: &Evidence, category: Category) -> Priority {
    let has = |signal| evidence.has(signal);
    let blocked = has(Blocked) || money_wrongly_taken(evidence, category);
    let many_stuck = has(Scale) && (blocked || has(Urgent)) && !has(Workaround);
    if has(Severe) || many_stuck {
        return Priority::Critical;
    }
    if has(Calm) {
        return low_unless_dated(evidence);
    }
    if blocked {
        return if has(Workaround) { Priority::Medium } else { Priority::High };
    }
    if has(Wish) {
        return low_unless_dated(evidence);
    }
    if has(Urgent) {
        return Priority::High;
    }
    if has(Cosmetic) && !has(Degraded) && !has(Deadline) {
        return Priority::Low;
    }
    let something_wrong = has(Workaround) || has(Degraded) || has(Deadline) || has(Fault);
    let technical_report = category == Category::Technical && !has(HowTo);
    if something_wrong || technical_report { Priority::Medium } else { Priority::Low }
}

/// Money taken that should not have been: said outright ("charged twice", "please refund"), or
/// a billing ticket that reports a charge together with a repetition ("three charges on the
/// same day", "took the payment twice").
fn money_wrongly_taken(evidence: &Evidence, category: Category) -> bool {
    let repeated_charge = evidence.has(Charge) && evidence.has(Repeated);
    evidence.has(MoneyWrong) || (category == Category::Billing && repeated_charge)
}

/// Low, or medium when the customer needs it by a date.
fn low_unless_dated(evidence: &Evidence) -> Priority {
    if evidence.has(Deadline) { Priority::Medium } else { Priority::Low }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::Signal;

    fn evidence(signals: &[Signal]) -> Evidence {
        let mut evidence = Evidence::default();
        for &signal in signals {
            evidence.add(signal, Evidence::PRESENT);
        }
        evidence
    }

    fn priority_of(signals: &[Signal]) -> Priority {
        priority(&evidence(signals), Category::Billing)
    }

    #[test]
    fn the_heaviest_topic_wins_and_ties_go_to_the_more_specific_one() {
        let mut votes = evidence(&[Billing, Account]);
        assert_eq!(category(&votes), Category::Billing);
        votes.add(Account, 0.5);
        assert_eq!(category(&votes), Category::Account);
        assert_eq!(category(&evidence(&[Technical, General])), Category::Technical);
    }

    #[test]
    fn without_topic_words_a_problem_is_technical_and_anything_else_general() {
        assert_eq!(category(&evidence(&[])), Category::General);
        assert_eq!(category(&evidence(&[Blocked])), Category::Technical);
    }

    #[test]
    fn a_plain_question_or_a_wish_is_general_unless_it_reports_a_problem() {
        assert_eq!(category(&evidence(&[Billing, HowTo])), Category::General);
        assert_eq!(category(&evidence(&[Billing, HowTo, Request])), Category::Billing);
        assert_eq!(category(&evidence(&[Account, HowTo, Blocked])), Category::Account);
        assert_eq!(category(&evidence(&[Technical, Wish])), Category::General);
    }

    #[test]
    fn severe_harm_or_many_people_stuck_is_critical() {
        assert_eq!(priority_of(&[Severe, Calm]), Priority::Critical);
        assert_eq!(priority_of(&[Scale, Blocked]), Priority::Critical);
        assert_eq!(priority_of(&[Scale, Urgent]), Priority::Critical);
        assert_eq!(priority_of(&[Scale, Blocked, Workaround]), Priority::Medium);
        assert_eq!(priority_of(&[Scale]), Priority::Low);
    }

    #[test]
    fn one_blocked_customer_or_wrongly_taken_money_is_high_without_a_workaround() {
        assert_eq!(priority_of(&[Blocked]), Priority::High);
        assert_eq!(priority_of(&[MoneyWrong]), Priority::High);
        assert_eq!(priority_of(&[Blocked, Workaround]), Priority::Medium);
        assert_eq!(priority_of(&[Urgent]), Priority::High);
    }

    #[test]
    fn a_repeated_charge_on_a_bill_is_money_wrongly_taken() {
        let repeated_charge = evidence(&[Charge, Repeated]);
        assert_eq!(priority(&repeated_charge, Category::Billing), Priority::High);
        assert_eq!(priority(&repeated_charge, Category::Technical), Priority::Medium);
        assert_eq!(priority_of(&[Charge]), Priority::Low);
        assert_eq!(priority_of(&[Repeated]), Priority::Low);
    }

    #[test]
    fn a_visual_flaw_with_no_topic_is_technical() {
        assert_eq!(category(&evidence(&[Cosmetic])), Category::Technical);
        assert_eq!(category(&evidence(&[Cosmetic, Wish])), Category::General);
    }

    #[test]
    fn calm_wishes_and_cosmetic_flaws_are_low_unless_a_date_is_given() {
        assert_eq!(priority_of(&[Calm, Blocked]), Priority::Low);
        assert_eq!(priority_of(&[Calm, Deadline]), Priority::Medium);
        assert_eq!(priority_of(&[Wish]), Priority::Low);
        assert_eq!(priority_of(&[Wish, Deadline]), Priority::Medium);
        assert_eq!(priority_of(&[Cosmetic, Workaround]), Priority::Low);
        assert_eq!(priority_of(&[Cosmetic, Degraded]), Priority::Medium);
    }

    #[test]
    fn degraded_service_faults_and_deadlines_are_medium() {
        for signal in [Workaround, Degraded, Deadline, Fault] {
            assert_eq!(priority_of(&[signal]), Priority::Medium, "{signal:?}");
        }
    }

    #[test]
    fn with_no_clue_a_technical_report_is_medium_and_anything_else_low() {
        let nothing = evidence(&[]);
        assert_eq!(priority(&nothing, Category::Technical), Priority::Medium);
        assert_eq!(priority(&nothing, Category::Account), Priority::Low);
        assert_eq!(priority(&evidence(&[HowTo]), Category::Technical), Priority::Low);
    }
}
