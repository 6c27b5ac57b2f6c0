//! The sentences of a study's outputs, in Vietnamese and English.

use parscore::Decimal;

use super::ModelSource;
use crate::output::lang::Lang;

impl Lang {
    /// A probability for a reader: whole percents, never rounded to a certainty it is not
    /// (`<1%`, `>99%`).
    pub fn probability(self, p: f64) -> String {
        let percent = p * 100.0;
        let text = if p <= 0.0 {
            "0".to_string()
        } else if p >= 1.0 {
            "100".to_string()
        } else if percent < 0.5 {
            return "<1%".into();
        } else if percent >= 99.5 {
            return ">99%".into();
        } else {
            format!("{percent:.0}")
        };
        format!("{text}%")
    }

    /// A variance share to two places, or `-` when there is none (nothing varies).
    pub fn share(self, x: Option<f64>) -> String {
        match x.filter(|x| x.is_finite()) {
            Some(x) => {
                // Rounded first, so that a share a hair below zero reads 0.00, not -0.00.
                let rounded = (x * 100.0).round() / 100.0 + 0.0;
                self.number(&format!("{rounded:.2}"))
            }
            None => "-".into(),
        }
    }

    /// A share and its standard error: `0,42 ± 0,03`.
    pub fn share_se(self, x: Option<f64>, se: Option<f64>) -> String {
        match (x.filter(|x| x.is_finite()), se.filter(|s| s.is_finite())) {
            (Some(_), Some(_)) => format!("{} ± {}", self.share(x), self.share(se)),
            (Some(_), None) => self.share(x),
            _ => "-".into(),
        }
    }

    /// The grade probabilities of a unit, the likely ones only: `Tốt 62%, Khá 38%`.
    pub fn grade_chances(self, grades: &[(String, f64)]) -> String {
        let shown: Vec<String> = grades
            .iter()
            .filter(|(_, p)| *p > 0.0)
            .map(|(name, p)| format!("{name} {}", self.probability(*p)))
            .collect();
        if shown.is_empty() {
            "-".into()
        } else {
            shown.join(", ")
        }
    }

    /// How the model was given, in words.
    pub fn model(self, model: &ModelSource) -> String {
        let spread = |p: &Decimal| self.number(&p.normalize().to_string());
        match (self, model) {
            (Lang::Vi, ModelSource::Default { spread: p }) if p.is_zero() => {
                "mặc định: không yếu tố nào thay đổi (bộ tiêu chí có điểm chính thức)".into()
            }
            (Lang::En, ModelSource::Default { spread: p }) if p.is_zero() => {
                "default: nothing varies (the scheme's points are official)".into()
            }
            (Lang::Vi, ModelSource::Default { spread: p }) => format!(
                "mặc định: điểm của mỗi tiêu chí ±{}%, chuẩn hóa về tổng điểm của bộ tiêu chí \
                 (điểm ước tính)",
                spread(p)
            ),
            (Lang::En, ModelSource::Default { spread: p }) => format!(
                "default: every criterion's points ±{}%, renormalised to the scheme's total \
                 (estimated points)",
                spread(p)
            ),
            (Lang::Vi, ModelSource::Weights(p)) => format!(
                "--weights {}: điểm của mỗi tiêu chí ±{}%, chuẩn hóa về tổng điểm",
                p.normalize(),
                spread(p)
            ),
            (Lang::En, ModelSource::Weights(p)) => format!(
                "--weights {}: every criterion's points ±{}%, renormalised to the total",
                p.normalize(),
                spread(p)
            ),
            (Lang::Vi, ModelSource::File { path, weights }) => match weights {
                Some(p) => format!(
                    "tệp {path}, với điểm của mỗi tiêu chí ±{}% (--weights)",
                    spread(p)
                ),
                None => format!("tệp {path}"),
            },
            (Lang::En, ModelSource::File { path, weights }) => match weights {
                Some(p) => format!(
                    "file {path}, with every criterion's points ±{}% (--weights)",
                    spread(p)
                ),
                None => format!("file {path}"),
            },
        }
    }

    /// `1.000 mẫu, seed 2024`: how many samples, and what reproduces them.
    pub fn samples_and_seed(self, samples: usize, seed: u64) -> String {
        match self {
            Lang::Vi => format!(
                "{} mẫu, hạt giống ngẫu nhiên (seed) {seed}: chạy lại với `--seed {seed}` cho \
                 đúng kết quả này",
                self.number(&samples.to_string())
            ),
            Lang::En => {
                format!("{samples} samples, seed {seed}: `--seed {seed}` gives these results again")
            }
        }
    }

    /// Said when nothing varies under the model.
    pub fn nothing_varies(self) -> &'static str {
        match self {
            Lang::Vi => {
                "Không có gì thay đổi theo mô hình này: mọi mẫu đều là bộ tiêu chí như đã ban \
                 hành, nên p5 = p50 = p95 = Chỉ số và không có tỷ trọng phương sai."
            }
            Lang::En => {
                "Nothing varies under this model: every sample is the scheme as it is, so p5 = \
                 p50 = p95 = the index, and there are no variance shares."
            }
        }
    }

    /// How to read the figures, under the tables of a report.
    pub fn method_note(self) -> &'static str {
        match self {
            Lang::Vi => {
                "Mỗi mẫu là một bộ tiêu chí hợp lệ và mọi đơn vị được chấm chính xác theo nó. \
                 p5, p50, p95: phân vị thứ 5, 50 và 95 của Chỉ số qua các mẫu (mỗi giá trị là \
                 Chỉ số một mẫu thực sự cho ra). Xác suất xếp loại: tỷ lệ mẫu đạt xếp loại đó. \
                 Tỷ trọng phương sai: phần phương sai mà mỗi yếu tố giải thích, bậc một (riêng \
                 yếu tố đó, Saltelli 2010) và toàn phần (kể cả tương tác, Jansen 1999), cộng \
                 trên mọi đơn vị; khi sai số chuẩn không nhỏ so với tỷ trọng, cần thêm mẫu \
                 (`--samples`)."
            }
            Lang::En => {
                "Every sample is a valid scheme, and every unit is scored under it exactly. \
                 p5, p50, p95: the 5th, 50th and 95th percentiles of the index over the \
                 samples (each an index some sample gave). Grade probability: the share of \
                 samples in that grade. Variance shares: the share of the variance each \
                 factor explains, first-order (alone, Saltelli 2010) and total effect (with \
                 its interactions, Jansen 1999), added up over the units; when the standard \
                 error is not small beside the share, take more samples (`--samples`)."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_never_round_to_a_certainty() {
        let en = Lang::En;
        assert_eq!(en.probability(0.0), "0%");
        assert_eq!(en.probability(1.0), "100%");
        assert_eq!(en.probability(0.001), "<1%");
        assert_eq!(en.probability(0.999), ">99%");
        assert_eq!(en.probability(0.624), "62%");
        assert_eq!(Lang::Vi.share(Some(0.4251)), "0,43");
        assert_eq!(Lang::Vi.share(Some(-0.0001)), "0,00");
        assert_eq!(Lang::Vi.share(Some(-0.02)), "-0,02");
        assert_eq!(Lang::En.share(None), "-");
        assert_eq!(Lang::En.share(Some(f64::NAN)), "-");
        assert_eq!(Lang::En.share_se(Some(0.5), Some(0.031)), "0.50 ± 0.03");
    }
}
