//! What daicho exchanges with the outside systems (DESIGN §5): the connections, which
//! data items each may carry, the 異動区分 of an outgoing record, and an application as
//! it arrives from the e-application system. No I/O: the codecs live in
//! `jobs::formats`.

use super::application::ApplicationKind;
use super::consent::ConsentStatus;
use chrono::NaiveDate;

/// The external connections of the privacy checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// 電子申請・届出システム (国): applications in, consent files through it.
    EApplication,
    /// LEMSCARE (東京都 / 委託先): the reflect file out.
    Lemscare,
    /// 東京都国保連: 事業所異動連絡票 out.
    Kokuhoren,
    /// Other municipalities (区外指定の同意), routed through the e-application system.
    Municipality,
}

/// The kinds of data an export could carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataItem {
    /// Name, kana, address, phone, fax, provider number, municipality.
    FacilityBasics,
    ManagerName,
    /// 法人番号 and 法人名称.
    Corporation,
    /// Service-type codes and designation dates.
    Designations,
    /// 介護支援専門員番号 and the care manager's name.
    CareManager,
    /// Staff address, date of birth.
    StaffPersonal,
    /// 資格証 (qualification certificate).
    Qualification,
    /// 運営推進会議構成員.
    CouncilMembers,
    /// The insured person of a consent case.
    InsuredPerson,
}

impl Connection {
    /// The data items this connection's outgoing files may carry; the writers' record
    /// types have no field for anything else.
    pub fn permitted(self) -> &'static [DataItem] {
        use DataItem::*;
        match self {
            Self::EApplication => &[],
            Self::Lemscare => &[FacilityBasics, ManagerName, Corporation, Designations],
            Self::Kokuhoren => &[
                FacilityBasics,
                ManagerName,
                Corporation,
                Designations,
                CareManager,
            ],
            Self::Municipality => &[FacilityBasics, Designations, InsuredPerson],
        }
    }

    pub fn carries(self, item: DataItem) -> bool {
        self.permitted().contains(&item)
    }
}

/// 異動区分 of an outgoing facility record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    New,
    Change,
    End,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 3] = [Self::New, Self::Change, Self::End];

    /// The code written in files: 1 新規, 2 変更, 3 終了.
    pub fn code(self) -> &'static str {
        match self {
            Self::New => "1",
            Self::Change => "2",
            Self::End => "3",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Self::New => "新規",
            Self::Change => "変更",
            Self::End => "終了",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::Change => "Change",
            Self::End => "End",
        }
    }
}

/// The applicant (the corporation and its representative).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Applicant {
    pub corporate_number: String,
    pub corporation_name: String,
    pub representative_name: String,
    pub representative_address: String,
    pub representative_dob: Option<NaiveDate>,
}

/// The facility as the application describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplicationFacility {
    /// Empty for a new designation (the number is assigned on designation).
    pub provider_number: String,
    pub municipality_code: String,
    pub service_code: String,
    pub name: String,
    pub name_kana: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub manager_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplicationStaff {
    pub name: String,
    pub name_kana: String,
    pub job_title: String,
    pub address: String,
    pub dob: Option<NaiveDate>,
    pub qualification: String,
    pub care_manager_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplicationCouncilMember {
    pub name: String,
    pub affiliation: String,
    pub title: String,
}

/// An attachment as listed in the export. `file_name` is the sender's name, kept as
/// data; `safe_name` is the only form ever used in a path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attachment {
    pub file_name: String,
    pub safe_name: String,
    pub size: Option<u64>,
    pub sha256: String,
}

/// One application from the e-application system export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingApplication {
    /// The system's id (到達番号): `[A-Za-z0-9_-]`, at most 40 characters.
    pub application_id: String,
    pub kind: ApplicationKind,
    pub submitted_on: NaiveDate,
    pub applicant: Applicant,
    pub facility: ApplicationFacility,
    pub staff: Vec<ApplicationStaff>,
    pub council_members: Vec<ApplicationCouncilMember>,
    pub attachments: Vec<Attachment>,
}

/// A reply's decision; maps onto the consent queue's statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentDecision {
    Consented,
    Refused,
}

impl ConsentDecision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Consented => "consented",
            Self::Refused => "refused",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Consented, Self::Refused]
            .into_iter()
            .find(|d| d.code() == s)
    }

    pub fn status(self) -> ConsentStatus {
        match self {
            Self::Consented => ConsentStatus::Consented,
            Self::Refused => ConsentStatus::Refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lemscare_gets_no_council_members_or_certificates() {
        for c in [Connection::Lemscare, Connection::Kokuhoren] {
            assert!(!c.carries(DataItem::CouncilMembers));
            assert!(!c.carries(DataItem::Qualification));
            assert!(!c.carries(DataItem::StaffPersonal));
            assert!(!c.carries(DataItem::InsuredPerson));
        }
        assert!(!Connection::Lemscare.carries(DataItem::CareManager));
        assert!(!Connection::Municipality.carries(DataItem::CouncilMembers));
        for k in ChangeKind::ALL {
            assert_eq!(ChangeKind::from_code(k.code()), Some(k));
        }
    }
}
