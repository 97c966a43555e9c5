//! The learned classifier: a category model over the description's features, a priority model
//! over the same features plus the rules' signals, and for each a calibration map. It is
//! written to and read from the weights file.

use domain::{Category, Choice, Priority};

use crate::calibration::Calibration;
use crate::features::{self, FeatureSet, Features};
use crate::linear::{self, CLASSES, LinearModel, Training, argmax};
use crate::normalize::tokenize;
use crate::rules::RuleSet;

/// Everything that decides the model apart from the data; stored in the weights file, so that
/// a model is always read back with the features it was trained on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recipe {
    pub features: FeatureSet,
    pub training: Training,
    /// The value of each rule signal present that tells the category, as a feature of the
    /// category model; 0 leaves the rules out of it.
    pub category_signals: f32,
    /// The value of each rule signal present, as a feature of the priority model; 0 leaves the
    /// rules out of it.
    pub priority_signals: f32,
}

impl Recipe {
    pub const STANDARD: Recipe = Recipe {
        features: FeatureSet::STANDARD,
        training: Training::STANDARD,
        category_signals: 0.5,
        priority_signals: 1.0,
    };
}

/// The features of one description, for each model.
#[derive(Clone, Debug)]
pub(crate) struct Example {
    category: Features,
    priority: Features,
}

impl Example {
    pub(crate) fn new(description: &str, rules: &RuleSet, recipe: &Recipe) -> Example {
        let tokens = tokenize(description);
        let words = features::extract(&tokens, &recipe.features);
        let evidence = rules.evidence(&tokens);
        let signals = |weight: f32, for_category: bool| {
            let present = evidence
                .present()
                .filter(move |signal| if for_category { signal.tells_category() } else { signal.tells_priority() });
            features::with_named(&words, present.filter(move |_| weight > 0.0).map(move |s| (s.feature_name(), weight)))
        };
        Example { category: signals(recipe.category_signals, true), priority: signals(recipe.priority_signals, false) }
    }
}

/// The labels a model chose and its probability for each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    pub category: Category,
    pub priority: Priority,
    pub category_probability: f32,
    pub priority_probability: f32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub(crate) recipe: Recipe,
    pub(crate) category: LinearModel,
    pub(crate) priority: LinearModel,
}

impl Model {
    /// Fits both models on `examples` and their labels.
    pub(crate) fn fit(examples: &[(&Example, Category, Priority)], recipe: &Recipe) -> Model {
        let (category_features, categories): (Vec<&Features>, Vec<usize>) =
            examples.iter().map(|(example, category, _)| (&example.category, position(*category))).unzip();
        let (priority_features, priorities): (Vec<&Features>, Vec<usize>) =
            examples.iter().map(|(example, _, priority)| (&example.priority, position(*priority))).unzip();
        Model {
            recipe: *recipe,
            category: linear::train(&category_features, &categories, &recipe.training),
            priority: linear::train(&priority_features, &priorities, &recipe.training),
        }
    }

    pub(crate) fn predict_example(&self, example: &Example) -> Prediction {
        let category = self.category.probabilities(&example.category);
        let priority = self.priority.probabilities(&example.priority);
        let (category_index, priority_index) = (argmax(&category), argmax(&priority));
        Prediction {
            category: Category::ALL[category_index],
            priority: Priority::ALL[priority_index],
            category_probability: category[category_index],
            priority_probability: priority[priority_index],
        }
    }

    pub fn predict(&self, description: &str, rules: &RuleSet) -> Prediction {
        self.predict_example(&Example::new(description, rules, &self.recipe))
    }

    pub fn recipe(&self) -> &Recipe {
        &self.recipe
    }
}

/// A model and the calibration of its two probabilities: what the weights file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Trained {
    pub model: Model,
    pub category_calibration: Calibration,
    pub priority_calibration: Calibration,
}

/// The weights file starts with this, then a format version.
const MAGIC: &[u8; 8] = b"HDTRIAGE";
const FORMAT: u32 = 1;

impl Trained {
    /// Little-endian: the magic and format, the recipe, each linear model (bias, step, then the
    /// non-zero rows as bucket and one byte per class, by bucket), each calibration's points.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, FORMAT);
        let recipe = &self.model.recipe;
        put_u32(&mut out, recipe.features.char_min as u32);
        put_u32(&mut out, recipe.features.char_max as u32);
        for value in [recipe.features.word_weight, recipe.features.bigram_weight, recipe.features.char_weight] {
            put_f32(&mut out, value);
        }
        put_f64(&mut out, recipe.training.lambda);
        put_u32(&mut out, recipe.training.epochs as u32);
        put_f64(&mut out, recipe.training.eta0);
        put_f32(&mut out, recipe.category_signals);
        put_f32(&mut out, recipe.priority_signals);
        for model in [&self.model.category, &self.model.priority] {
            model.bias.iter().for_each(|&bias| put_f32(&mut out, bias));
            put_f32(&mut out, model.step);
            let rows: Vec<(usize, &[i8])> =
                model.weights.chunks(CLASSES).enumerate().filter(|(_, row)| row.iter().any(|&w| w != 0)).collect();
            put_u32(&mut out, rows.len() as u32);
            for (bucket, row) in rows {
                put_u32(&mut out, bucket as u32);
                out.extend(row.iter().map(|&weight| weight as u8));
            }
        }
        for calibration in [&self.category_calibration, &self.priority_calibration] {
            put_u32(&mut out, calibration.points.len() as u32);
            for &(x, y) in &calibration.points {
                put_f32(&mut out, x);
                put_f32(&mut out, y);
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Trained, String> {
        let mut input = Reader { bytes, at: 0 };
        if input.take(MAGIC.len())? != MAGIC {
            return Err("not a weights file".into());
        }
        let format = input.u32()?;
        if format != FORMAT {
            return Err(format!("weights file format {format}, expected {FORMAT}"));
        }
        let features = FeatureSet {
            char_min: input.u32()? as usize,
            char_max: input.u32()? as usize,
            word_weight: input.f32()?,
            bigram_weight: input.f32()?,
            char_weight: input.f32()?,
        };
        let training = Training { lambda: input.f64()?, epochs: input.u32()? as usize, eta0: input.f64()? };
        let recipe = Recipe { features, training, category_signals: input.f32()?, priority_signals: input.f32()? };
        let category = input.linear_model()?;
        let priority = input.linear_model()?;
        let category_calibration = input.calibration()?;
        let priority_calibration = input.calibration()?;
        if input.at != bytes.len() {
            return Err(format!("{} bytes left over", bytes.len() - input.at));
        }
        Ok(Trained { model: Model { recipe, category, priority }, category_calibration, priority_calibration })
    }
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_f32(out: &mut Vec<u8>, value: f32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_f64(out: &mut Vec<u8>, value: f64) {
    out.extend_from_slice(&value.to_le_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], String> {
        let slice = self.bytes.get(self.at..self.at + count).ok_or("the weights file ends too soon")?;
        self.at += count;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut array = [0; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    fn linear_model(&mut self) -> Result<LinearModel, String> {
        let mut bias = [0.0; CLASSES];
        for value in &mut bias {
            *value = self.f32()?;
        }
        let step = self.f32()?;
        let mut weights = vec![0i8; features::BUCKETS * CLASSES];
        for _ in 0..self.u32()? {
            let bucket = self.u32()? as usize;
            let row = weights.get_mut(bucket * CLASSES..(bucket + 1) * CLASSES).ok_or("a bucket out of range")?;
            for (weight, &byte) in row.iter_mut().zip(self.take(CLASSES)?) {
                *weight = byte as i8;
            }
        }
        Ok(LinearModel { weights, step, bias })
    }

    fn calibration(&mut self) -> Result<Calibration, String> {
        let count = self.u32()?;
        let points = (0..count).map(|_| Ok((self.f32()?, self.f32()?))).collect::<Result<_, String>>()?;
        Ok(Calibration { points })
    }
}

pub(crate) fn position<C: Choice>(label: C) -> usize {
    C::ALL.iter().position(|&known| known == label).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_model() -> Trained {
        let rules = RuleSet::standard();
        let recipe = Recipe::STANDARD;
        let texts = [
            ("please refund the double charge", Category::Billing, Priority::High),
            ("the app crashes for everyone, production is down", Category::Technical, Priority::Critical),
            ("how do I change my avatar? no rush", Category::General, Priority::Low),
            ("cannot log in, password reset never arrives", Category::Account, Priority::High),
        ];
        let examples: Vec<Example> = texts.iter().map(|(text, ..)| Example::new(text, &rules, &recipe)).collect();
        let labelled: Vec<_> = examples.iter().zip(&texts).map(|(example, &(_, c, p))| (example, c, p)).collect();
        Trained {
            model: Model::fit(&labelled, &recipe),
            category_calibration: Calibration { points: vec![(0.3, 0.2), (0.9, 0.85)] },
            priority_calibration: Calibration::default(),
        }
    }

    #[test]
    fn a_model_learns_its_training_lines() {
        let trained = tiny_model();
        let rules = RuleSet::standard();
        let prediction = trained.model.predict("please refund the double charge", &rules);
        assert_eq!((prediction.category, prediction.priority), (Category::Billing, Priority::High));
        assert!(prediction.category_probability > 0.25);
    }

    #[test]
    fn the_weights_file_reads_back_the_same_model() {
        let trained = tiny_model();
        let bytes = trained.to_bytes();
        assert_eq!(Trained::from_bytes(&bytes), Ok(trained));
    }

    #[test]
    fn a_damaged_weights_file_is_refused() {
        let bytes = tiny_model().to_bytes();
        assert!(Trained::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Trained::from_bytes(b"HDTRIAGE").is_err());
        assert!(Trained::from_bytes(b"nonsense").is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Trained::from_bytes(&longer).is_err());
    }
}
