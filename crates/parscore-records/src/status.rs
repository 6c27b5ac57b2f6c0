//! The status vocabulary of the one-stop-shop systems, in Vietnamese and in English.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::text::fold;

/// Where a dossier stands, as the one-stop-shop information system labels it.
///
/// ```
/// use parscore_records::DossierStatus;
/// assert_eq!(DossierStatus::parse("Đúng hạn"), Some(DossierStatus::OnTime));
/// assert_eq!(DossierStatus::parse("DUNG HAN"), Some(DossierStatus::OnTime));
/// assert_eq!(DossierStatus::parse("Trước hạn"), Some(DossierStatus::Early));
/// assert_eq!(DossierStatus::parse("Đang xử lý - Quá hạn"), Some(DossierStatus::InProgressOverdue));
/// assert_eq!(DossierStatus::parse("waiting for supplements"), Some(DossierStatus::WaitingForSupplement));
/// assert_eq!(DossierStatus::parse("Đã huỷ"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DossierStatus {
    /// Resolved before its due date (sớm hạn, trước hạn).
    Early,
    /// Resolved on its due date (đúng hạn).
    OnTime,
    /// Resolved after its due date (trễ hạn, quá hạn). Systems use the same words for a
    /// dossier still in progress past its due date: without a completed date, a `Late` label
    /// reads as [`DossierStatus::InProgressOverdue`].
    Late,
    /// Resolved, without saying whether in time (đã giải quyết, đã trả kết quả): the dates
    /// decide.
    Resolved,
    /// Being processed within its time limit (đang xử lý, đang giải quyết, trong hạn).
    InProgress,
    /// Being processed past its due date (đang xử lý quá hạn).
    InProgressOverdue,
    /// Returned to the applicant for more documents; the clock stops (chờ bổ sung).
    WaitingForSupplement,
    /// Withdrawn by the applicant (rút hồ sơ, đã rút).
    Withdrawn,
}

impl DossierStatus {
    /// Every status, in declaration order.
    pub const ALL: [DossierStatus; 8] = [
        DossierStatus::Early,
        DossierStatus::OnTime,
        DossierStatus::Late,
        DossierStatus::Resolved,
        DossierStatus::InProgress,
        DossierStatus::InProgressOverdue,
        DossierStatus::WaitingForSupplement,
        DossierStatus::Withdrawn,
    ];

    /// Reads a status label in Vietnamese (with or without diacritics) or English, in any
    /// case, with any punctuation between words.
    pub fn parse(label: &str) -> Option<DossierStatus> {
        vocabulary().get(&fold(label)).copied()
    }

    /// The status's name in files and in the profile's `[status]` table.
    pub fn key(self) -> &'static str {
        match self {
            DossierStatus::Early => "early",
            DossierStatus::OnTime => "on_time",
            DossierStatus::Late => "late",
            DossierStatus::Resolved => "resolved",
            DossierStatus::InProgress => "in_progress",
            DossierStatus::InProgressOverdue => "in_progress_overdue",
            DossierStatus::WaitingForSupplement => "waiting_for_supplement",
            DossierStatus::Withdrawn => "withdrawn",
        }
    }

    /// The usual Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            DossierStatus::Early => "Sớm hạn",
            DossierStatus::OnTime => "Đúng hạn",
            DossierStatus::Late => "Trễ hạn",
            DossierStatus::Resolved => "Đã giải quyết",
            DossierStatus::InProgress => "Đang xử lý",
            DossierStatus::InProgressOverdue => "Đang xử lý quá hạn",
            DossierStatus::WaitingForSupplement => "Chờ bổ sung",
            DossierStatus::Withdrawn => "Rút hồ sơ",
        }
    }

    /// The status of a key as [`DossierStatus::key`] writes it (`on_time`, `withdrawn`, …);
    /// `None` for anything else. Labels are read by [`DossierStatus::parse`].
    pub fn from_key(key: &str) -> Option<DossierStatus> {
        DossierStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether the dossier has a result.
    pub fn is_resolved(self) -> bool {
        matches!(
            self,
            DossierStatus::Early
                | DossierStatus::OnTime
                | DossierStatus::Late
                | DossierStatus::Resolved
        )
    }
}

impl fmt::Display for DossierStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Every label, folded (see [`fold`]), with its status.
fn vocabulary() -> &'static HashMap<String, DossierStatus> {
    static VOCABULARY: OnceLock<HashMap<String, DossierStatus>> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        use DossierStatus::*;
        let mut map = HashMap::new();
        let mut add = |labels: &[&str], status: DossierStatus| {
            for label in labels {
                map.insert(fold(label), status);
            }
        };
        // A result, with its timeliness: the timeliness alone, or after a verb of completion.
        let done = [
            "",
            "đã giải quyết",
            "giải quyết",
            "đã xử lý",
            "xử lý",
            "hoàn thành",
            "đã hoàn thành",
            "đã trả kết quả",
            "trả kết quả",
            "đã trả kq",
            "resolved",
            "completed",
            "done",
        ];
        let early = [
            "sớm hạn",
            "trước hạn",
            "early",
            "ahead of time",
            "before deadline",
            "before due date",
        ];
        let on_time = ["đúng hạn", "on time", "in time"];
        let late = [
            "trễ hạn",
            "quá hạn",
            "trễ hẹn",
            "late",
            "overdue",
            "past due",
        ];
        for verb in done {
            for (words, status) in [
                (&early[..], Early),
                (&on_time[..], OnTime),
                (&late[..], Late),
            ] {
                for word in words {
                    add(&[&format!("{verb} {word}")], status);
                }
            }
        }
        add(
            &[
                "đã giải quyết",
                "đã xử lý",
                "hoàn thành",
                "đã hoàn thành",
                "đã trả kết quả",
                "trả kết quả",
                "đã trả kq",
                "đã có kết quả",
                "có kết quả",
                "resolved",
                "completed",
                "done",
                "finished",
            ],
            Resolved,
        );
        let doing = [
            "đang xử lý",
            "đang giải quyết",
            "đang thụ lý",
            "chưa giải quyết",
            "chưa xử lý",
            "in progress",
            "processing",
            "pending",
        ];
        for verb in doing {
            add(&[verb], InProgress);
            for word in [
                "trong hạn",
                "còn hạn",
                "chưa đến hạn",
                "within deadline",
                "within time",
                "on time",
            ] {
                add(&[&format!("{verb} {word}")], InProgress);
            }
            for word in [
                "quá hạn",
                "trễ hạn",
                "trễ hẹn",
                "overdue",
                "late",
                "past due",
            ] {
                add(&[&format!("{verb} {word}")], InProgressOverdue);
            }
        }
        add(
            &["trong hạn", "còn hạn", "chưa đến hạn", "within deadline"],
            InProgress,
        );
        add(&["overdue in progress"], InProgressOverdue);
        add(
            &[
                "chờ bổ sung",
                "chờ bổ sung hồ sơ",
                "yêu cầu bổ sung",
                "yêu cầu bổ sung hồ sơ",
                "đang bổ sung",
                "đang bổ sung hồ sơ",
                "bổ sung hồ sơ",
                "tạm dừng",
                "waiting for supplements",
                "waiting for supplement",
                "waiting for supplementary documents",
                "awaiting supplements",
                "awaiting supplement",
                "supplement requested",
                "on hold",
            ],
            WaitingForSupplement,
        );
        add(
            &[
                "rút hồ sơ",
                "đã rút",
                "đã rút hồ sơ",
                "rút",
                "công dân rút hồ sơ",
                "dừng xử lý",
                "withdrawn",
                "withdrawal",
            ],
            Withdrawn,
        );
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus::*;

    #[test]
    fn reads_labels_in_both_languages_with_or_without_diacritics() {
        for (label, status) in [
            ("Sớm hạn", Early),
            ("som han", Early),
            ("Trước hạn", Early),
            ("Đã giải quyết trước hạn", Early),
            ("Hoàn thành sớm hạn", Early),
            ("early", Early),
            ("Resolved early", Early),
            ("Đúng hạn", OnTime),
            ("ĐÚNG HẠN", OnTime),
            ("dung han", OnTime),
            ("Đã giải quyết - Đúng hạn", OnTime),
            ("On time", OnTime),
            ("on_time", OnTime),
            ("Trễ hạn", Late),
            ("tre han", Late),
            ("Quá hạn", Late),
            ("Đã xử lý quá hạn", Late),
            ("late", Late),
            ("Overdue", Late),
            ("Đã giải quyết", Resolved),
            ("Đã trả kết quả", Resolved),
            ("completed", Resolved),
            ("Đang xử lý", InProgress),
            ("dang giai quyet", InProgress),
            ("Đang xử lý (trong hạn)", InProgress),
            ("Trong hạn", InProgress),
            ("In progress", InProgress),
            ("Đang xử lý - Quá hạn", InProgressOverdue),
            ("dang giai quyet tre han", InProgressOverdue),
            ("In progress (overdue)", InProgressOverdue),
            ("Chờ bổ sung", WaitingForSupplement),
            ("cho bo sung ho so", WaitingForSupplement),
            ("Waiting for supplements", WaitingForSupplement),
            ("Rút hồ sơ", Withdrawn),
            ("Đã rút", Withdrawn),
            ("da rut", Withdrawn),
            ("Withdrawn", Withdrawn),
        ] {
            assert_eq!(DossierStatus::parse(label), Some(status), "{label}");
        }
    }

    #[test]
    fn unknown_labels_are_not_guessed() {
        for label in ["Đã huỷ", "Từ chối", "ok", "", "hạn"] {
            assert_eq!(DossierStatus::parse(label), None, "{label}");
        }
    }

    #[test]
    fn keys_round_trip() {
        for status in DossierStatus::ALL {
            assert_eq!(DossierStatus::from_key(status.key()), Some(status));
            assert_eq!(DossierStatus::parse(status.label_vi()), Some(status));
        }
    }
}
