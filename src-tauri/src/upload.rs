//! Reading an evidence upload: the file as the raw request body, and what
//! it is for in headers. Only unpacking happens here; core checks the file.

use careledger_core::evidence::EvidenceKind;
use careledger_core::ledger::EntryKey;
use careledger_core::{ErrorCode, ErrorReport, PersonId, PlanId};
use tauri::ipc::{InvokeBody, Request};

/// An evidence file on its way to core.
pub struct EvidenceUpload<'a> {
    pub plan: PlanId,
    pub key: EntryKey,
    pub person: PersonId,
    pub kind: EvidenceKind,
    pub file_name: String,
    pub bytes: &'a [u8],
}

impl<'a> EvidenceUpload<'a> {
    /// Reads the headers `plan-id`, `entry-key`, `person-id`, `kind` and
    /// `file-name` (URI-encoded), and the raw body.
    pub fn from_request(request: &'a Request<'_>) -> Result<EvidenceUpload<'a>, ErrorReport> {
        let InvokeBody::Raw(bytes) = request.body() else {
            return Err(app_error("the file did not arrive as a file"));
        };
        let header = |name: &str| -> Result<String, ErrorReport> {
            request
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
                .ok_or_else(|| app_error(&format!("the upload is missing its {name}")))
        };
        let number = |name: &str| -> Result<i64, ErrorReport> {
            header(name)?
                .parse()
                .map_err(|_| app_error(&format!("the upload's {name} is not a number")))
        };
        let kind: EvidenceKind = serde_json::from_value(serde_json::Value::String(header("kind")?))
            .map_err(|_| app_error("the upload's kind of evidence is unknown"))?;
        Ok(EvidenceUpload {
            plan: PlanId(number("plan-id")?),
            key: EntryKey(number("entry-key")?),
            person: PersonId(number("person-id")?),
            kind,
            file_name: percent_decode(&header("file-name")?),
            bytes,
        })
    }
}

fn app_error(what: &str) -> ErrorReport {
    let message = format!("Careledger could not take the file: {what}. Try adding it again.");
    ErrorReport {
        code: ErrorCode::App,
        field: Some("evidence".into()),
        problems: vec![careledger_core::error::FieldProblem {
            field: "evidence".into(),
            message: message.clone(),
        }],
        message,
    }
}

/// Decodes `encodeURIComponent` output; bad escapes are kept as typed.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |byte: Option<&u8>| byte.and_then(|&b| char::from(b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(high), Some(low)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_file_names_from_the_ui() {
        assert_eq!(percent_decode("Invoice%204471.pdf"), "Invoice 4471.pdf");
        assert_eq!(
            percent_decode("Zo%C3%AB's%20receipt.jpg"),
            "Zoë's receipt.jpg"
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%é%"), "%é%");
    }
}
