//! Roles and the one authorisation rule set (DESIGN.md §7). The service layer calls
//! [`authorize`] before every write and every reveal; screens only hide what is refused here.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Reviewer,
    Approver,
    /// Manages users and settings; deliberately cannot approve.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Self::Viewer, Self::Reviewer, Self::Approver, Self::Admin];
    pub fn code(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Reviewer => "reviewer",
            Self::Approver => "approver",
            Self::Admin => "admin",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Viewer => "閲覧",
            Self::Reviewer => "審査",
            Self::Approver => "決裁",
            Self::Admin => "管理",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub staff_id: String,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    View,
    EditLedger,
    ReviewApplication,
    ApproveApplication,
    HandleConsent,
    /// The 事前同意 registry and the consent reminder setting: the approver's.
    ManageConsentRules,
    AuditChecklist,
    /// Sign (close) a checklist audit: approvers only.
    SignChecklist,
    /// Record that the monthly access-log report was reviewed.
    ReviewAccessLog,
    /// Settings kept in the database (the checklist audit interval).
    ChangeSettings,
    RunSyncJob,
    RevealPersonalData,
    ExportPersonalData,
    ManageUsers,
}

/// Who touched the object before, for the "nobody approves their own work" rule.
#[derive(Debug, Clone, Default)]
pub struct Provenance<'a> {
    pub keyed_by: Option<&'a str>,
    pub reviewed_by: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub ja: String,
    pub en: String,
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.en)
    }
}
impl std::error::Error for Denied {}

fn denied(ja: &str, en: &str) -> Denied {
    Denied {
        ja: ja.into(),
        en: en.into(),
    }
}

pub fn authorize(actor: &Actor, action: Action, provenance: &Provenance<'_>) -> Result<(), Denied> {
    use Action::*;
    use Role::*;
    let role = actor.role;
    match action {
        View => Ok(()),
        ManageUsers => match role {
            Admin => Ok(()),
            _ => Err(denied(
                "ユーザー管理は管理者のみです",
                "only an admin manages users",
            )),
        },
        ApproveApplication => {
            if role != Approver {
                return Err(denied("決裁権限がありません", "approver role required"));
            }
            let me = Some(actor.staff_id.as_str());
            if provenance.keyed_by == me || provenance.reviewed_by == me {
                return Err(denied(
                    "自分が入力・審査した案件は決裁できません",
                    "nobody approves what they keyed or reviewed",
                ));
            }
            Ok(())
        }
        SignChecklist => match role {
            Approver => Ok(()),
            _ => Err(denied(
                "点検結果の署名には決裁権限が必要です",
                "approver role required to sign a checklist audit",
            )),
        },
        ReviewAccessLog => match role {
            Approver | Admin => Ok(()),
            _ => Err(denied(
                "監査ログの確認記録は決裁者または管理者が行います",
                "only an approver or admin records the access-log review",
            )),
        },
        ChangeSettings => match role {
            Admin => Ok(()),
            _ => Err(denied(
                "設定の変更は管理者のみです",
                "only an admin changes settings",
            )),
        },
        ManageConsentRules => match role {
            Approver => Ok(()),
            _ => Err(denied(
                "事前同意の登録・変更には決裁権限が必要です",
                "approver role required to edit prior consents",
            )),
        },
        ExportPersonalData => match role {
            Approver => Ok(()),
            _ => Err(denied(
                "個人情報の出力には決裁権限が必要です",
                "approver role required to export personal data",
            )),
        },
        EditLedger | ReviewApplication | HandleConsent | AuditChecklist | RunSyncJob
        | RevealPersonalData => match role {
            Reviewer | Approver => Ok(()),
            Viewer => Err(denied(
                "閲覧権限では変更できません",
                "viewer role cannot change data",
            )),
            Admin => Err(denied(
                "管理者は業務データを扱いません",
                "admin role does not handle case data",
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: &str, role: Role) -> Actor {
        Actor {
            staff_id: id.into(),
            role,
        }
    }

    #[test]
    fn role_rules() {
        let none = Provenance::default();
        assert!(authorize(&actor("v", Role::Viewer), Action::EditLedger, &none).is_err());
        assert!(authorize(&actor("r", Role::Reviewer), Action::EditLedger, &none).is_ok());
        assert!(
            authorize(
                &actor("r", Role::Reviewer),
                Action::ApproveApplication,
                &none
            )
            .is_err()
        );
        assert!(authorize(&actor("a", Role::Admin), Action::ApproveApplication, &none).is_err());
        assert!(authorize(&actor("a", Role::Admin), Action::ManageUsers, &none).is_ok());
        for role in [Role::Viewer, Role::Reviewer, Role::Admin] {
            assert!(authorize(&actor("x", role), Action::ManageConsentRules, &none).is_err());
        }
        assert!(
            authorize(
                &actor("p", Role::Approver),
                Action::ManageConsentRules,
                &none
            )
            .is_ok()
        );
        assert!(
            authorize(
                &actor("p", Role::Approver),
                Action::ApproveApplication,
                &none
            )
            .is_ok()
        );
        let own = Provenance {
            keyed_by: None,
            reviewed_by: Some("p"),
        };
        assert!(
            authorize(
                &actor("p", Role::Approver),
                Action::ApproveApplication,
                &own
            )
            .is_err()
        );
        let keyed = Provenance {
            keyed_by: Some("p"),
            reviewed_by: Some("r"),
        };
        assert!(
            authorize(
                &actor("p", Role::Approver),
                Action::ApproveApplication,
                &keyed
            )
            .is_err()
        );
    }

    #[test]
    fn checklist_role_rules() {
        let none = Provenance::default();
        let ok = |role, action| authorize(&actor("x", role), action, &none).is_ok();
        assert!(ok(Role::Reviewer, Action::AuditChecklist));
        assert!(!ok(Role::Viewer, Action::AuditChecklist));
        assert!(ok(Role::Approver, Action::SignChecklist));
        assert!(!ok(Role::Reviewer, Action::SignChecklist));
        assert!(!ok(Role::Admin, Action::SignChecklist));
        assert!(ok(Role::Approver, Action::ReviewAccessLog));
        assert!(ok(Role::Admin, Action::ReviewAccessLog));
        assert!(!ok(Role::Reviewer, Action::ReviewAccessLog));
        assert!(ok(Role::Admin, Action::ChangeSettings));
        assert!(!ok(Role::Approver, Action::ChangeSettings));
    }
}
