use crate::entities::setting;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

pub async fn get<C: ConnectionTrait>(c: &C, key: &str) -> Result<Option<String>, DbErr> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(c)
        .await?
        .map(|s| s.value))
}

pub async fn put<C: ConnectionTrait>(c: &C, key: &str, value: &str) -> Result<(), DbErr> {
    let am = setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
    };
    setting::Entity::insert(am)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec(c)
        .await
        .map(|_| ())
}
