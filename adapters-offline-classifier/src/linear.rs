//! A linear model over hashed features with one score per class, and its trainer: multinomial
//! logistic regression with L2 regularisation, fitted by stochastic gradient descent in a fixed
//! order, so that the same data always gives the same weights.

use crate::features::{BUCKETS, Features};

/// Both questions the model answers have four labels.
pub const CLASSES: usize = 4;

/// Weights per bucket and class, quantised to one byte each (`weight * step`), and a bias per
/// class: a megabyte in memory, and small on disk where only non-zero rows are kept.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearModel {
    /// `weights[bucket * CLASSES + class]`.
    pub(crate) weights: Vec<i8>,
    pub(crate) step: f32,
    pub(crate) bias: [f32; CLASSES],
}

impl LinearModel {
    /// Rounds `weights` to multiples of a step that maps the largest one to ±127.
    fn quantise(weights: &[f64], bias: [f64; CLASSES]) -> Self {
        let largest = weights.iter().fold(0.0f64, |largest, weight| largest.max(weight.abs()));
        let step = if largest > 0.0 { largest / 127.0 } else { 1.0 };
        LinearModel {
            weights: weights.iter().map(|weight| (weight / step).round() as i8).collect(),
            step: step as f32,
            bias: bias.map(|bias| bias as f32),
        }
    }

    /// How many buckets have a weight other than zero for some class.
    pub fn used_buckets(&self) -> usize {
        self.weights.chunks(CLASSES).filter(|row| row.iter().any(|&weight| weight != 0)).count()
    }

    pub fn scores(&self, features: &Features) -> [f32; CLASSES] {
        let mut sums = [0.0f32; CLASSES];
        for &(bucket, value) in features {
            let row = &self.weights[bucket as usize * CLASSES..][..CLASSES];
            for (sum, &weight) in sums.iter_mut().zip(row) {
                *sum += f32::from(weight) * value;
            }
        }
        let mut scores = self.bias;
        for (score, sum) in scores.iter_mut().zip(sums) {
            *score += sum * self.step;
        }
        scores
    }

    pub fn probabilities(&self, features: &Features) -> [f32; CLASSES] {
        softmax(self.scores(features))
    }
}

pub fn softmax(scores: [f32; CLASSES]) -> [f32; CLASSES] {
    let top = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps = scores.map(|score| (score - top).exp());
    let sum: f32 = exps.iter().sum();
    exps.map(|e| e / sum)
}

/// The index of the largest value; the first one on ties.
pub fn argmax(values: &[f32; CLASSES]) -> usize {
    let mut best = 0;
    for (index, value) in values.iter().enumerate() {
        if *value > values[best] {
            best = index;
        }
    }
    best
}

/// How the trainer fits the weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Training {
    /// L2 regularisation strength per example.
    pub lambda: f64,
    pub epochs: usize,
    /// The learning rate at the start; it decays as `eta0 / (1 + lambda * eta0 * t)`.
    pub eta0: f64,
}

impl Training {
    pub const STANDARD: Training = Training { lambda: 1e-4, epochs: 15, eta0: 0.5 };
}

/// Fits a multinomial logistic regression of `labels` (each below [`CLASSES`]) on `examples`.
pub fn train<E: AsRef<Features>>(examples: &[E], labels: &[usize], training: &Training) -> LinearModel {
    assert_eq!(examples.len(), labels.len(), "one label per example");
    // Weights are `scale * v`, so that the L2 decay of every weight is one multiplication.
    let mut v = vec![0.0f64; BUCKETS * CLASSES];
    let mut scale = 1.0f64;
    let mut bias = [0.0f64; CLASSES];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut step = 0.0f64;
    for _ in 0..training.epochs {
        random.shuffle(&mut order);
        for &index in &order {
            let eta = training.eta0 / (1.0 + training.lambda * training.eta0 * step);
            step += 1.0;
            let features = examples[index].as_ref();
            let mut scores = bias;
            for &(bucket, value) in features {
                let row = &v[bucket as usize * CLASSES..][..CLASSES];
                for (score, weight) in scores.iter_mut().zip(row) {
                    *score += scale * weight * f64::from(value);
                }
            }
            let probabilities = softmax64(scores);
            scale *= 1.0 - eta * training.lambda;
            for class in 0..CLASSES {
                let target = if labels[index] == class { 1.0 } else { 0.0 };
                let gradient = probabilities[class] - target;
                bias[class] -= eta * gradient;
                let step_size = eta * gradient / scale;
                for &(bucket, value) in features {
                    v[bucket as usize * CLASSES + class] -= step_size * f64::from(value);
                }
            }
            if scale < 1e-6 {
                v.iter_mut().for_each(|weight| *weight *= scale);
                scale = 1.0;
            }
        }
    }
    v.iter_mut().for_each(|weight| *weight *= scale);
    LinearModel::quantise(&v, bias)
}

fn softmax64(scores: [f64; CLASSES]) -> [f64; CLASSES] {
    let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps = scores.map(|score| (score - top).exp());
    let sum: f64 = exps.iter().sum();
    exps.map(|e| e / sum)
}

/// A small deterministic generator for the training order.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Fisher–Yates.
    fn shuffle(&mut self, items: &mut [usize]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_hot(bucket: u32) -> Features {
        vec![(bucket, 1.0)]
    }

    #[test]
    fn learns_which_feature_goes_with_which_class() {
        let examples: Vec<Features> = (0..40).map(|i| one_hot(i % 4)).collect();
        let labels: Vec<usize> = (0..40).map(|i| i % 4).collect();
        let model = train(&examples, &labels, &Training::STANDARD);
        for class in 0..CLASSES {
            let probabilities = model.probabilities(&one_hot(class as u32));
            assert_eq!(argmax(&probabilities), class);
            assert!(probabilities[class] > 0.7, "{probabilities:?}");
        }
    }

    #[test]
    fn the_same_data_gives_the_same_weights() {
        let examples: Vec<Features> = (0..30).map(|i| vec![(i % 5, 1.0), (7, 0.5)]).collect();
        let labels: Vec<usize> = (0..30).map(|i| (i * 7 % 4) as usize).collect();
        assert_eq!(train(&examples, &labels, &Training::STANDARD), train(&examples, &labels, &Training::STANDARD));
    }

    #[test]
    fn an_unseen_feature_leaves_the_prior() {
        let examples = vec![one_hot(1), one_hot(1), one_hot(1), one_hot(2)];
        let model = train(&examples, &[0, 0, 0, 1], &Training::STANDARD);
        let probabilities = model.probabilities(&one_hot(3));
        assert_eq!(argmax(&probabilities), 0);
    }

    #[test]
    fn softmax_sums_to_one_and_argmax_takes_the_first_tie() {
        let probabilities = softmax([1.0, 1.0, 0.0, -1.0]);
        assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(argmax(&probabilities), 0);
    }
}
