//! Reading an HTML form post strictly: the right content type, a bounded number of fields, valid
//! UTF-8, no control characters. Anything else is refused with a message a person can act on,
//! before a handler sees it. Handlers take [`Form<T>`] (or `auth::StaffForm<T>`): the fields
//! decoded into a struct (`serde_html_form`, so repeated checkboxes fill a `Vec`), with
//! `#[serde(deny_unknown_fields)]` where the form is fixed, and checked with `validator`'s
//! `#[derive(Validate)]`; [`problems`] turns its failures into the error summary's lines.

use super::Problem;
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// More than any page of ours sends; a body with more is not from our forms.
pub const MAX_FIELDS: usize = 200;

/// A form that is larger by nature than [`MAX_FIELDS`] and the app's body limit allow (a whole
/// survey's translation in a script of several bytes a character): set on its route with
/// [`large_form`], it may send this many fields.
#[derive(Debug, Clone, Copy)]
pub struct FieldLimit(pub usize);

/// The layers that let one route's form post `fields` fields in `bytes` bytes.
pub fn large_form<S: Clone + Send + Sync + 'static>(
    route: axum::routing::MethodRouter<S>,
    fields: usize,
    bytes: usize,
) -> axum::routing::MethodRouter<S> {
    route
        .layer::<_, std::convert::Infallible>(axum::extract::DefaultBodyLimit::max(bytes))
        .layer::<_, std::convert::Infallible>(axum::Extension(FieldLimit(fields)))
}

const UNEXPECTED: &str = "The form sent information we did not expect.";

#[derive(Debug, Clone, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Refuses fields other than `allowed`: a page that sends something else was not made by us.
    pub fn expect_only(&self, allowed: &[&str]) -> Result<(), AppError> {
        match self.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            None => Ok(()),
            Some(_) => Err(AppError::BadRequest(UNEXPECTED.into())),
        }
    }

    /// The fields decoded into `T`. A field `T` does not know (with `deny_unknown_fields`), one it
    /// needs that is missing, or a value of the wrong kind means the page was not made by us.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(self.0.iter()).finish();
        serde_html_form::from_str(&encoded).map_err(|_| AppError::BadRequest(UNEXPECTED.into()))
    }

    pub fn parse(body: &[u8]) -> Result<FormFields, AppError> {
        FormFields::parse_up_to(body, MAX_FIELDS)
    }

    fn parse_up_to(body: &[u8], most: usize) -> Result<FormFields, AppError> {
        let malformed = || AppError::BadRequest("The form was not sent in a way we could read.".into());
        let mut fields = Vec::new();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            if fields.len() == most {
                return Err(AppError::BadRequest("The form sent too many answers at once.".into()));
            }
            let mut parts = pair.splitn(2, |b| *b == b'=');
            let name = decode(parts.next().unwrap_or_default()).ok_or_else(malformed)?;
            let value = decode(parts.next().unwrap_or_default()).ok_or_else(malformed)?;
            if !crate::db::is_storable_text(&name) || !crate::db::is_storable_text(&value) {
                return Err(AppError::BadRequest(
                    "Something you typed or pasted contains a hidden control character that we cannot store. Type it again without pasting.".into(),
                ));
            }
            fields.push((name, value));
        }
        Ok(FormFields(fields))
    }
}

/// `application/x-www-form-urlencoded` decoding that refuses invalid UTF-8 instead of guessing.
fn decode(raw: &[u8]) -> Option<String> {
    let plus_as_space: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
    percent_encoding::percent_decode(&plus_as_space).decode_utf8().ok().map(|s| s.into_owned())
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::BadRequest("The form was not sent in a way we could read.".into()));
        }
        let most = request.extensions().get::<FieldLimit>().map_or(MAX_FIELDS, |l| l.0);
        let body = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest("The form did not arrive in full.".into())
            }
        })?;
        FormFields::parse_up_to(&body, most)
    }
}

/// The fields as sent, for the forms whose fields come from a survey's definition (the answer
/// pages and fast entry read them with `survey::read_answer`), so they can be decoded too.
impl<'de> Deserialize<'de> for FormFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<(String, String)>::deserialize(d).map(FormFields)
    }
}

/// A form post decoded into `T` (see the module's comment).
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        Ok(Form(FormFields::from_request(request, state).await?.decode()?))
    }
}

/// A form with no fields of its own (a button).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

/// A form that turns something on or off (`active` = `1` or `0`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    #[serde(deserialize_with = "flag")]
    pub active: bool,
}

/// For `#[serde(deserialize_with = "trimmed")]`: what people type, without the spaces around it.
pub fn trimmed<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.trim().to_owned())
}

/// For `#[serde(deserialize_with = "flag")]`: a checkbox or a yes/no radio sent as `1` or `0`.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match String::deserialize(d)?.as_str() {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(serde::de::Error::custom("expected 1 or 0")),
    }
}

/// For `#[serde(deserialize_with = "trimmed_text")]`: a text area's words, trimmed, with Windows
/// line ends made plain.
pub fn trimmed_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.trim().replace("\r\n", "\n"))
}

/// For `#[validate(custom(function = "required", message = "Enter …"))]`: something was typed.
/// (`length(min = 1)` would do, but a field that also has a maximum says each in its own words.)
pub fn required(value: &str) -> Result<(), validator::ValidationError> {
    if value.is_empty() { Err(validator::ValidationError::new("required")) } else { Ok(()) }
}

/// For `#[validate(custom(function = "iso_date", message = "…"))]`: a date such as `2027-03-31`.
pub fn iso_date(value: &str) -> Result<(), validator::ValidationError> {
    crate::clock::parse_day("date", value).map(drop).map_err(|_| validator::ValidationError::new("date"))
}

/// The fields of `form` whose problems a page lists, in page order, by the names `validator` reports
/// them under: written as fields of `form` (`fields!(form; name, email)`), so that renaming one fails
/// to compile rather than silently dropping its error message.
#[macro_export]
macro_rules! fields {
    ($form:expr; $($field:ident),+ $(,)?) => {{
        let _named_on_the_form = || ($(&$form.$field,)+);
        &[$(stringify!($field)),+]
    }};
}

/// [`problems`] for a form's own checks: none when it passes.
pub fn check(form: &impl validator::Validate, fields: &[&str]) -> Vec<Problem> {
    form.validate().err().map(|e| problems(&e, fields)).unwrap_or_default()
}

/// `validator`'s failures as the error summary lists them: in the order of `fields` (the order
/// they appear on the page), each with the message its rule gives.
pub fn problems(errors: &validator::ValidationErrors, fields: &[&str]) -> Vec<Problem> {
    let by_field = errors.field_errors();
    fields
        .iter()
        .filter_map(|field| {
            let error = by_field.get(*field)?.first()?;
            let message = error.message.as_ref().map_or_else(|| format!("Check the {field}"), ToString::to_string);
            Some(Problem { field: (*field).to_owned(), message })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_repeated_fields_and_plus_signs() {
        let f = FormFields::parse(b"answer=a&answer=b&other=bus+times%21+%C5%B5").unwrap();
        assert_eq!(f.0.len(), 3);
        assert_eq!(f.get("other"), Some("bus times! ŵ"));
    }

    #[test]
    fn refuses_invalid_utf8_and_floods() {
        assert!(FormFields::parse(b"answer=%FF").is_err());
        let flood = "a=1&".repeat(MAX_FIELDS + 1);
        assert!(FormFields::parse(flood.as_bytes()).is_err());
        assert!(FormFields::parse("a=1&".repeat(MAX_FIELDS).as_bytes()).is_ok());
    }

    #[derive(Debug, Deserialize, validator::Validate)]
    #[serde(deny_unknown_fields)]
    struct Person {
        #[serde(default, deserialize_with = "trimmed")]
        #[validate(length(min = 1, max = 5, message = "Enter a name of up to 5 characters"))]
        name: String,
        #[serde(default)]
        #[validate(length(min = 1, message = "Select at least one role"))]
        role: Vec<String>,
    }

    #[test]
    fn decodes_into_a_struct_and_reports_in_page_order() {
        use validator::Validate;
        let p: Person = FormFields::parse(b"name=+Ann+&role=a&role=b").unwrap().decode().unwrap();
        assert_eq!((p.name.as_str(), p.role.len()), ("Ann", 2));
        assert!(p.validate().is_ok());
        let p: Person = FormFields::parse(b"name=Annabel").unwrap().decode().unwrap();
        let found = problems(&p.validate().unwrap_err(), &["name", "role"]);
        let messages: Vec<_> = found.iter().map(|p| (p.field.as_str(), p.message.as_str())).collect();
        assert_eq!(messages, [("name", "Enter a name of up to 5 characters"), ("role", "Select at least one role")]);
        assert!(FormFields::parse(b"name=a&admin=1").unwrap().decode::<Person>().is_err(), "unknown field");
        let raw: FormFields = FormFields::parse(b"b=1&a=2&b=3").unwrap().decode().unwrap();
        assert_eq!(raw.0, [("b".into(), "1".into()), ("a".into(), "2".into()), ("b".into(), "3".into())]);
    }

    #[test]
    fn refuses_unexpected_names() {
        let f = FormFields::parse(b"answer=a&admin=1").unwrap();
        assert!(f.expect_only(&["answer"]).is_err());
        assert!(f.expect_only(&["answer", "admin"]).is_ok());
    }
}
