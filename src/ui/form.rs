//! Reading an HTML form post strictly: the right content type, a bounded number of fields, valid
//! UTF-8. Anything else is refused with a message a person can act on, before a handler sees it.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};

/// More than any page of ours sends; a body with more is not from our forms.
pub const MAX_FIELDS: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value sent under `name` (checkboxes send one each).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Refuses fields other than `allowed`: a page that sends something else was not made by us.
    pub fn expect_only(&self, allowed: &[&str]) -> Result<(), AppError> {
        match self.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            None => Ok(()),
            Some(_) => Err(AppError::BadRequest("The form sent information we did not expect.".into())),
        }
    }

    pub fn parse(body: &[u8]) -> Result<FormFields, AppError> {
        let malformed = || AppError::BadRequest("The form was not sent in a way we could read.".into());
        let mut fields = Vec::new();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            if fields.len() == MAX_FIELDS {
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
    percent_encoding::percent_decode(&plus_as_space)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
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
        let body = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest("The form did not arrive in full.".into())
            }
        })?;
        FormFields::parse(&body)
    }
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

    #[test]
    fn refuses_unexpected_names() {
        let f = FormFields::parse(b"answer=a&admin=1").unwrap();
        assert!(f.expect_only(&["answer"]).is_err());
        assert!(f.expect_only(&["answer", "admin"]).is_ok());
    }
}
