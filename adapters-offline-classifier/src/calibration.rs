//! Turns the model's probability of the label it chose into how often such a label is right:
//! an isotonic (monotone, stepwise) map fitted on predictions for writers the model was not
//! trained on.

/// Points `(probability, accuracy)`, increasing in both; between two points the map is linear,
/// beyond the ends it is flat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calibration {
    pub(crate) points: Vec<(f32, f32)>,
}

impl Calibration {
    /// Fits the map to `(probability, right)` pairs by pool-adjacent-violators: the
    /// non-decreasing step function closest to the observations in squared error. Each step
    /// becomes one point, at the mean probability of its predictions. A step's accuracy is
    /// taken as `(right + 0.5) / (count + 1)`, so that a few predictions that were all right (or
    /// all wrong) do not claim certainty.
    pub fn fit(observations: &[(f32, bool)]) -> Calibration {
        let mut sorted = observations.to_vec();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        // Each block: summed probability, summed rightness, count.
        let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
        for (probability, right) in sorted {
            blocks.push((f64::from(probability), if right { 1.0 } else { 0.0 }, 1.0));
            while blocks.len() > 1 {
                let last = blocks[blocks.len() - 1];
                let previous = blocks[blocks.len() - 2];
                if previous.1 / previous.2 < last.1 / last.2 {
                    break;
                }
                blocks.pop();
                let merged = blocks.last_mut().expect("two blocks");
                *merged = (merged.0 + last.0, merged.1 + last.1, merged.2 + last.2);
            }
        }
        let mut points: Vec<(f32, f32)> =
            blocks.iter().map(|&(p, right, n)| ((p / n) as f32, ((right + 0.5) / (n + 1.0)) as f32)).collect();
        // The shrinking can undo the order between a small step and a large one.
        for index in 1..points.len() {
            points[index].1 = points[index].1.max(points[index - 1].1);
        }
        Calibration { points }
    }

    /// The calibrated value of `probability`; `probability` itself when nothing was fitted.
    pub fn apply(&self, probability: f32) -> f32 {
        let (Some(&first), Some(&last)) = (self.points.first(), self.points.last()) else {
            return probability;
        };
        if probability <= first.0 {
            return first.1;
        }
        if probability >= last.0 {
            return last.1;
        }
        let upper = self.points.partition_point(|&(x, _)| x < probability);
        let (x0, y0) = self.points[upper - 1];
        let (x1, y1) = self.points[upper];
        if x1 <= x0 { y1 } else { y0 + (y1 - y0) * (probability - x0) / (x1 - x0) }
    }
}

/// Predictions grouped by stated confidence: how many fall in each tenth of 0..1, their mean
/// confidence and how many were right.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reliability {
    /// Per tenth: count, summed confidence, right.
    bins: [(usize, f64, usize); 10],
}

impl Reliability {
    pub fn record(&mut self, confidence: f32, right: bool) {
        let bin = ((confidence * 10.0) as usize).min(9);
        let entry = &mut self.bins[bin];
        entry.0 += 1;
        entry.1 += f64::from(confidence);
        entry.2 += usize::from(right);
    }

    /// The count-weighted mean gap between stated confidence and observed accuracy per bin.
    pub fn expected_calibration_error(&self) -> f64 {
        let total: usize = self.bins.iter().map(|bin| bin.0).sum();
        if total == 0 {
            return 0.0;
        }
        let gaps: f64 = self.bins.iter().map(|&(_, confidence, right)| (confidence - right as f64).abs()).sum();
        gaps / total as f64
    }

    /// `(from, to, count, mean confidence, accuracy)` for each non-empty bin.
    pub fn rows(&self) -> impl Iterator<Item = (f32, f32, usize, f64, f64)> + '_ {
        self.bins.iter().enumerate().filter(|(_, bin)| bin.0 > 0).map(|(index, &(count, confidence, right))| {
            let from = index as f32 / 10.0;
            (from, from + 0.1, count, confidence / count as f64, right as f64 / count as f64)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_is_each_steps_accuracy_never_quite_certain() {
        let observations = [(0.3, false), (0.35, true), (0.6, true), (0.62, false), (0.9, true), (0.95, true)];
        let calibration = Calibration::fit(&observations);
        assert_eq!(calibration.apply(0.0), 0.25);
        assert_eq!(calibration.apply(0.99), 2.5 / 3.0);
        let middle = calibration.apply(0.5);
        assert!((0.25..=0.625).contains(&middle), "{middle}");
    }

    #[test]
    fn violations_of_order_are_pooled() {
        // Higher probability, lower accuracy: one step for all four.
        let observations = [(0.2, true), (0.4, true), (0.6, false), (0.8, false)];
        let calibration = Calibration::fit(&observations);
        assert_eq!(calibration.points, [(0.5, 0.5)]);
    }

    #[test]
    fn the_map_never_decreases() {
        let observations: Vec<(f32, bool)> = (0..200).map(|i| (i as f32 / 200.0, i % 3 != 0 && i > 40)).collect();
        let calibration = Calibration::fit(&observations);
        let values: Vec<f32> = (0..=100).map(|i| calibration.apply(i as f32 / 100.0)).collect();
        assert!(values.windows(2).all(|pair| pair[0] <= pair[1]), "{values:?}");
    }

    #[test]
    fn without_points_the_probability_stays() {
        assert_eq!(Calibration::default().apply(0.42), 0.42);
    }

    #[test]
    fn a_calibrated_set_has_no_error_and_an_overconfident_one_has() {
        let mut calibrated = Reliability::default();
        for i in 0..10 {
            calibrated.record(0.8, i < 8);
        }
        assert!(calibrated.expected_calibration_error() < 1e-6);
        let mut overconfident = Reliability::default();
        for i in 0..10 {
            overconfident.record(0.95, i < 5);
        }
        assert!((overconfident.expected_calibration_error() - 0.45).abs() < 1e-6);
    }
}
