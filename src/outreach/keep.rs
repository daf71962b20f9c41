//! What the device keeps: entries in IndexedDB (they outlive the page, a closed browser and a
//! restart), the time of the last send, and the browser's other small services. Only the device
//! runs these; on the server, where an island's handlers never fire, they do nothing.

use super::entry::{Entry, Outcome};
use leptos::prelude::ServerFnError;
use serde::{Deserialize, Serialize};

/// An entry kept on the device, with the server's reasons if it refused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    /// The entry's id, again, as IndexedDB's key.
    pub id: String,
    pub entry: Entry,
    #[serde(default)]
    pub refused: Vec<String>,
    /// The name of the officer who took it, so that on a shared device the others see whose it
    /// is (kept here, not sent: the server knows its officers).
    #[serde(default)]
    pub officer: String,
}

/// The ids of the entries `officer_id` took: all an officer may remove.
pub fn taken_by(kept: &[Kept], officer_id: i64) -> Vec<String> {
    kept.iter().filter(|k| k.entry.officer_id == officer_id).map(|k| k.id.clone()).collect()
}

/// The entries other officers took, by whose they are: (name, how many), in name order. An entry
/// kept before names were is "another officer"'s.
pub fn others(kept: &[Kept], officer_id: i64) -> Vec<(String, usize)> {
    let mut by_name = std::collections::BTreeMap::<String, usize>::new();
    for k in kept.iter().filter(|k| k.entry.officer_id != officer_id) {
        let name = if k.officer.trim().is_empty() { "another officer".to_owned() } else { k.officer.clone() };
        *by_name.entry(name).or_default() += 1;
    }
    by_name.into_iter().collect()
}

/// Why a send did not go, in words for the officer; the entries wait either way.
pub fn why_not_sent(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => format!("Not sent: {message}"),
        _ => "Not sent: the service could not be reached. The entries wait on this device and are sent when there is a connection.".to_owned(),
    }
}

#[cfg(feature = "hydrate")]
pub use device::*;
#[cfg(not(feature = "hydrate"))]
pub use server::*;

#[cfg(feature = "hydrate")]
mod device {
    use super::{Kept, Outcome};
    use idb::{Database, DatabaseEvent, Factory, KeyPath, ObjectStoreParams, Query, TransactionMode};
    use wasm_bindgen::{JsCast, JsValue};

    const DATABASE: &str = "inclusion-survey-outreach";
    const ENTRIES: &str = "entries";
    const LAST_SENT: &str = "inclusion-survey-outreach-last-sent";

    fn failed(e: impl std::fmt::Display) -> String {
        e.to_string()
    }

    async fn open() -> Result<Database, String> {
        let factory = Factory::new().map_err(failed)?;
        let mut request = factory.open(DATABASE, Some(1)).map_err(failed)?;
        request.on_upgrade_needed(|event| {
            if let Ok(database) = event.database() {
                let mut params = ObjectStoreParams::new();
                params.key_path(Some(KeyPath::new_single("id")));
                let _ = database.create_object_store(ENTRIES, params);
            }
        });
        request.await.map_err(failed)
    }

    fn to_js(kept: &Kept) -> Result<JsValue, String> {
        let json = serde_json::to_string(kept).map_err(failed)?;
        js_sys::JSON::parse(&json).map_err(|_| "could not store the entry".to_owned())
    }

    fn from_js(value: &JsValue) -> Option<Kept> {
        let json: String = js_sys::JSON::stringify(value).ok()?.into();
        serde_json::from_str(&json).ok()
    }

    pub async fn all() -> Result<Vec<Kept>, String> {
        let database = open().await?;
        let tx = database.transaction(&[ENTRIES], TransactionMode::ReadOnly).map_err(failed)?;
        let store = tx.object_store(ENTRIES).map_err(failed)?;
        let values = store.get_all(None, None).map_err(failed)?.await.map_err(failed)?;
        let mut kept: Vec<Kept> = values.iter().filter_map(from_js).collect();
        kept.sort_by_key(|k| k.entry.taken_at);
        Ok(kept)
    }

    /// Writes and removes in one transaction, finished (on disk) before it returns.
    async fn change(put: &[Kept], remove: &[String]) -> Result<(), String> {
        let database = open().await?;
        let tx = database.transaction(&[ENTRIES], TransactionMode::ReadWrite).map_err(failed)?;
        let store = tx.object_store(ENTRIES).map_err(failed)?;
        for kept in put {
            store.put(&to_js(kept)?, None).map_err(failed)?.await.map_err(failed)?;
        }
        for id in remove {
            store.delete(Query::Key(JsValue::from_str(id))).map_err(failed)?.await.map_err(failed)?;
        }
        tx.commit().map_err(failed)?.await.map_err(failed)?;
        Ok(())
    }

    pub async fn put(kept: &Kept) -> Result<(), String> {
        change(std::slice::from_ref(kept), &[]).await
    }

    pub async fn remove(ids: &[String]) -> Result<(), String> {
        change(&[], ids).await
    }

    /// Forgets what the server stored; keeps what it refused, with its reasons.
    pub async fn record(outcomes: &[Outcome]) -> Result<(), String> {
        let kept = all().await?;
        let mut put = Vec::new();
        let mut remove = Vec::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Stored { id, .. } => remove.push(id.clone()),
                Outcome::Refused { id, reasons } => {
                    if let Some(k) = kept.iter().find(|k| &k.id == id) {
                        put.push(Kept { refused: reasons.clone(), ..k.clone() });
                    }
                }
                Outcome::NotYours { .. } => {}
            }
        }
        change(&put, &remove).await
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    pub fn last_sent() -> Option<String> {
        let at: f64 = storage()?.get_item(LAST_SENT).ok()??.parse().ok()?;
        Some(clock((at / 1000.0) as i64))
    }

    pub fn set_last_sent() {
        if let Some(storage) = storage() {
            let _ = storage.set_item(LAST_SENT, &js_sys::Date::now().to_string());
        }
    }

    pub fn is_online() -> bool {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }

    pub fn confirm(message: &str) -> bool {
        web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
    }

    /// A time as the officer's device shows it, with the day: "2 Dec, 14:05".
    pub fn clock(unix_secs: i64) -> String {
        let date = js_sys::Date::new(&JsValue::from_f64(unix_secs as f64 * 1000.0));
        let options = js_sys::Object::new();
        for (key, value) in [("day", "numeric"), ("month", "short"), ("hour", "2-digit"), ("minute", "2-digit")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        date.to_locale_string("en-GB", &options).into()
    }

    pub fn now() -> i64 {
        (js_sys::Date::now() / 1000.0) as i64
    }

    /// The device's own day at `unix_secs`, as its clock and time zone have it: the day a date
    /// answer's limits are judged on, as the server judges them on the day the entry was taken.
    pub fn day_of(unix_secs: i64) -> jiff::civil::Date {
        let date = js_sys::Date::new(&JsValue::from_f64(unix_secs as f64 * 1000.0));
        let (year, month, day) = (date.get_full_year() as i16, date.get_month() as i8 + 1, date.get_date() as i8);
        jiff::civil::Date::new(year, month, day).unwrap_or_default()
    }

    pub fn scroll_to_top() {
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// A random UUID from the browser's cryptography, so two devices never make the same id.
    pub fn new_id() -> String {
        web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
    }

    /// The answer fields of the submitted one-question form, in order.
    pub fn form_fields(ev: &leptos::ev::SubmitEvent) -> Vec<(String, String)> {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
            return Vec::new();
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else { return Vec::new() };
        let mut fields = Vec::new();
        for name in [crate::survey::ANSWER_FIELD, crate::survey::OTHER_FIELD] {
            for value in data.get_all(name).iter() {
                if let Some(value) = value.as_string() {
                    fields.push((name.to_owned(), value));
                }
            }
        }
        fields
    }
}

#[cfg(not(feature = "hydrate"))]
mod server {
    use super::{Kept, Outcome};

    pub async fn all() -> Result<Vec<Kept>, String> {
        Ok(Vec::new())
    }
    pub async fn put(_: &Kept) -> Result<(), String> {
        Ok(())
    }
    pub async fn remove(_: &[String]) -> Result<(), String> {
        Ok(())
    }
    pub async fn record(_: &[Outcome]) -> Result<(), String> {
        Ok(())
    }
    pub fn last_sent() -> Option<String> {
        None
    }
    pub fn set_last_sent() {}
    pub fn is_online() -> bool {
        true
    }
    pub fn confirm(_: &str) -> bool {
        false
    }
    pub fn clock(unix_secs: i64) -> String {
        unix_secs.to_string()
    }
    pub fn now() -> i64 {
        0
    }
    pub fn day_of(_: i64) -> jiff::civil::Date {
        jiff::civil::Date::default()
    }
    pub fn scroll_to_top() {}
    pub fn new_id() -> String {
        String::new()
    }
    pub fn form_fields(_: &leptos::ev::SubmitEvent) -> Vec<(String, String)> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(id: &str, officer_id: i64, officer: &str) -> Kept {
        let entry = Entry {
            id: id.into(),
            survey: "s".into(),
            version: 1,
            location_id: 1,
            officer_id,
            taken_at: 0,
            language: None,
            answers: vec![],
        };
        Kept { id: id.into(), entry, refused: vec![], officer: officer.into() }
    }

    #[test]
    fn on_a_shared_device_an_officer_removes_only_their_own_and_sees_whose_the_rest_are() {
        let all = [
            kept("a", 1, "Dee Officer"),
            kept("b", 2, "Sam Officer"),
            kept("c", 2, "Sam Officer"),
            kept("d", 3, ""),
            kept("e", 1, "Dee Officer"),
        ];
        assert_eq!(taken_by(&all, 1), ["a", "e"]);
        assert_eq!(others(&all, 1), [("Sam Officer".to_owned(), 2), ("another officer".to_owned(), 1)]);
        assert!(others(&all[..1], 1).is_empty());
    }

    #[test]
    fn an_entry_kept_before_names_were_still_reads() {
        let old = r#"{"id":"x","entry":{"id":"x","survey":"s","version":1,"location_id":1,"officer_id":1,"taken_at":0,"answers":[]}}"#;
        let read: Kept = serde_json::from_str(old).unwrap();
        assert_eq!((read.officer.as_str(), read.refused.len()), ("", 0));
    }
}
