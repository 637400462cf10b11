//! Value types stored as short strings, readable in a plain `SELECT`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// How precisely the source dates an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DatePrecision {
    #[sea_orm(string_value = "DAY")]
    Day,
    /// 上旬, 中旬 or 下旬: days 1-10, 11-20, 21-end.
    #[sea_orm(string_value = "TEN_DAYS")]
    TenDays,
    #[sea_orm(string_value = "MONTH")]
    Month,
}

/// How a figure is hedged in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuantityQualifier {
    #[sea_orm(string_value = "EXACT")]
    Exact,
    /// 余, 多, 以上, 逾.
    #[sea_orm(string_value = "MORE_THAN")]
    MoreThan,
    /// 约, 达, 左右.
    #[sea_orm(string_value = "ABOUT")]
    About,
    /// 近, 不到.
    #[sea_orm(string_value = "NEARLY")]
    Nearly,
}

/// The echelon of a force (unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ForceKind {
    #[sea_orm(string_value = "WAR_ZONE")]
    WarZone,
    /// A general army (総軍): above the area armies, as 支那派遣軍 was.
    #[sea_orm(string_value = "GENERAL_ARMY")]
    GeneralArmy,
    #[sea_orm(string_value = "AREA_ARMY")]
    AreaArmy,
    #[sea_orm(string_value = "ARMY_GROUP")]
    ArmyGroup,
    #[sea_orm(string_value = "ARMY")]
    Army,
    #[sea_orm(string_value = "DIVISION")]
    Division,
    #[sea_orm(string_value = "BRIGADE")]
    Brigade,
    #[sea_orm(string_value = "REGIMENT")]
    Regiment,
    #[sea_orm(string_value = "DETACHMENT")]
    Detachment,
    #[sea_orm(string_value = "NAVAL")]
    Naval,
    #[sea_orm(string_value = "AIR")]
    Air,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// The kind of record a name belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NameSubject {
    #[sea_orm(string_value = "BATTLE")]
    Battle,
    #[sea_orm(string_value = "COMMANDER")]
    Commander,
    #[sea_orm(string_value = "FORCE")]
    Force,
    #[sea_orm(string_value = "BELLIGERENT")]
    Belligerent,
    #[sea_orm(string_value = "PHASE")]
    Phase,
    #[sea_orm(string_value = "PLACE")]
    Place,
}

/// What a passage states within its battle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PassageSubject {
    /// That a commander was there (subject: the commander).
    #[sea_orm(string_value = "COMMAND")]
    Command,
    /// That a force took part (subject: the force).
    #[sea_orm(string_value = "PARTICIPATION")]
    Participation,
    /// A side's strength (subject: the belligerent).
    #[sea_orm(string_value = "STRENGTH")]
    Strength,
    /// A side's casualties (subject: the belligerent).
    #[sea_orm(string_value = "CASUALTIES")]
    Casualties,
    /// That the battle's text names a place (subject: the place).
    #[sea_orm(string_value = "PLACE")]
    Place,
    /// An event's clause (subject: the event); read from the event's own
    /// row, not stored as a passage.
    #[sea_orm(string_value = "EVENT")]
    Event,
}

/// What kind of place a battle's text names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlaceKind {
    #[sea_orm(string_value = "CITY")]
    City,
    #[sea_orm(string_value = "TOWN")]
    Town,
    #[sea_orm(string_value = "VILLAGE")]
    Village,
    /// A pass in a range or a wall (关, 口).
    #[sea_orm(string_value = "PASS")]
    Pass,
    #[sea_orm(string_value = "FORT")]
    Fort,
    #[sea_orm(string_value = "RIVER")]
    River,
    #[sea_orm(string_value = "LAKE")]
    Lake,
    #[sea_orm(string_value = "MOUNTAIN")]
    Mountain,
    #[sea_orm(string_value = "BAY")]
    Bay,
    #[sea_orm(string_value = "RAILWAY")]
    Railway,
    /// A part of a country or province (豫南, 滇西, 华北).
    #[sea_orm(string_value = "REGION")]
    Region,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Which text of a battle's entry a passage is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SourceField {
    #[sea_orm(string_value = "TITLE")]
    Title,
    #[sea_orm(string_value = "NARRATIVE")]
    Narrative,
    #[sea_orm(string_value = "OUTCOME")]
    Outcome,
}
