//! Staff accounts (`user_account`).

use super::Result;
use crate::domain::permission::Role;
use rusqlite::{Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub staff_id: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
}

pub fn get(conn: &Connection, staff_id: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(
            "SELECT staff_id, display_name, role, disabled FROM user_account WHERE staff_id = ?1",
        )?
        .query_row([staff_id], |r| {
            let role: String = r.get(2)?;
            Ok(User {
                staff_id: r.get(0)?,
                display_name: r.get(1)?,
                role: Role::from_code(&role).unwrap_or(Role::Viewer),
                disabled: r.get::<_, i64>(3)? != 0,
            })
        })
        .optional()?)
}
