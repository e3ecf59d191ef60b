//! The commands, called over the real IPC the way a compromised or buggy
//! page could call them: unknown ids, oversize strings, numbers out of
//! range and wrong types each get a clear refusal, and nothing changes.

mod common;

use careledger_core::records::Records;
use careledger_e2e::Driver;
use common::*;
use serde_json::{json, Value};

/// Calls `command` with `args` from inside the page, as a page could:
/// what it answered (an `ArrayBuffer` as its length), or its error.
async fn invoke(app: &careledger_e2e::App, command: &str, args: Value) -> Result<Value, Value> {
    let result = app
        .driver
        .execute_async(
            "const [command, args, done] = arguments; \
             window.__TAURI_INTERNALS__.invoke(command, args) \
               .then((value) => done({ value: value instanceof ArrayBuffer ? value.byteLength : value ?? null }), \
                     (error) => done({ error }));",
            vec![json!(command), args],
        )
        .await
        .expect("the call returns");
    let value = result.json().clone();
    match value.get("error") {
        Some(error) => Err(error.clone()),
        None => Ok(value["value"].clone()),
    }
}

/// Calls `command` and returns the error it was refused with (or panics if
/// it was accepted).
async fn refused(app: &careledger_e2e::App, command: &str, args: Value) -> Value {
    match invoke(app, command, args).await {
        Ok(value) => panic!("{command} accepted: {value}"),
        Err(error) => error,
    }
}

/// Calls `command` and returns its answer (or panics if it was refused).
async fn accepted(app: &careledger_e2e::App, command: &str, args: Value) -> Value {
    match invoke(app, command, args).await {
        Ok(value) => value,
        Err(error) => panic!("{command} refused: {error}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_calls_are_refused_in_plain_words_and_change_nothing() -> TestResult {
    let driver = Driver::start("hostile");
    let data = tempfile::tempdir()?;
    let (david, plans) = seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    let before = core_payments(data.path()).len();
    let draft = |payee: String| {
        json!({
            "paidOn": typed(today()), "payee": payee, "amount": "£10.00", "howPaid": "card",
            "reference": "", "cashWithdrawal": false, "splits": [{ "lineKey": 1, "amount": "" }],
            "note": "", "noEvidenceReason": "", "recordedBy": david.0,
        })
    };

    // Unknown ids: the record does not exist.
    let error = refused(&app, "holder_overview", json!({ "holderId": 999_999 })).await;
    assert_eq!(error["code"], "not_found", "{error}");
    let error = refused(
        &app,
        "record_payment",
        json!({ "planId": 999_999, "draft": draft("Tesco".into()) }),
    )
    .await;
    assert_eq!(error["code"], "not_found", "{error}");

    // An oversize string: a megabyte of payee.
    let error = refused(
        &app,
        "record_payment",
        json!({ "planId": plans[0].0, "draft": draft("x".repeat(1_000_000)) }),
    )
    .await;
    assert_eq!(error["code"], "invalid_input", "{error}");
    assert_eq!(error["field"], "payee");
    assert!(
        error["message"].as_str().unwrap_or("").contains("too long"),
        "{error}"
    );

    // Numbers out of range and of the wrong type never reach core: Tauri
    // refuses to read them, and says which argument was wrong.
    for holder_id in [
        json!(1e300),
        json!(-1.5),
        json!("1; DROP TABLE holder"),
        json!(null),
    ] {
        let error = refused(&app, "holder_overview", json!({ "holderId": holder_id })).await;
        let words = error
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| error.to_string());
        assert!(words.contains("holderId"), "{words}");
    }
    let error = refused(
        &app,
        "set_surplus_limit",
        json!({ "holderId": 1, "weeks": "99999999999999999999" }),
    )
    .await;
    assert_eq!(error["code"], "invalid_input", "{error}");

    assert_eq!(
        core_payments(data.path()).len(),
        before,
        "nothing was written"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receipt_is_only_given_for_the_holder_and_plan_it_belongs_to() -> TestResult {
    use careledger_core::evidence::{check_evidence, EvidenceKind};

    let driver = Driver::start("hostile_evidence");
    let data = tempfile::tempdir()?;
    let (david, plans) = seed(data.path(), &["Margaret Ellis", "Arthur Price"]);
    // Arthur's payment, with a photo of its receipt.
    let (arthur_plan, arthur_key, attachment) = {
        let mut store = open_store(data.path());
        let draft = card_payment(today(), "Joanne Pike", "£116.00", david);
        let payment = store.record_payment(plans[1], &draft, today())?;
        let photo =
            std::fs::read(careledger_e2e::workspace_root().join("tests/fixtures/receipt.png"))?;
        let evidence = store.attach_evidence(
            plans[1],
            payment.key,
            EvidenceKind::Receipt,
            &check_evidence("receipt.png", photo)?,
            david,
        )?;
        (plans[1], payment.key, evidence.attachment_id)
    };
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;

    // Asked for through Arthur's own plan and payment, it is there.
    let bytes = accepted(
        &app,
        "evidence_thumbnail",
        json!({ "planId": arthur_plan.0, "key": arthur_key.0, "attachmentId": attachment.0 }),
    )
    .await;
    assert!(bytes.as_u64().unwrap_or(0) > 0, "a thumbnail: {bytes}");
    // Through Margaret's plan, or another entry, or by its number alone:
    // not found.
    for args in [
        json!({ "planId": plans[0].0, "key": arthur_key.0, "attachmentId": attachment.0 }),
        json!({ "planId": arthur_plan.0, "key": arthur_key.0 + 1, "attachmentId": attachment.0 }),
        json!({ "planId": plans[0].0, "key": 1, "attachmentId": attachment.0 }),
    ] {
        let error = refused(&app, "evidence_thumbnail", args.clone()).await;
        assert_eq!(error["code"], "not_found", "{args}: {error}");
    }
    let error = refused(
        &app,
        "evidence_thumbnail",
        json!({ "attachmentId": attachment.0 }),
    )
    .await;
    assert!(error.to_string().contains("planId"), "{error}");
    app.quit().await?;
    Ok(())
}
