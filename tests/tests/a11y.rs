//! Accessibility in the real window, by keyboard alone and at 200% text:
//! every action leaves the focus somewhere sensible, every section has its
//! own heading and window title, and every screen passes axe and fits the
//! window without scrolling sideways at 100% and 200% text.

mod common;

use careledger_core::records::Records;
use careledger_e2e::{App, Driver};
use chrono::Days;
use common::*;
use std::path::Path;
use thirtyfour::prelude::*;

/// Counts the keys pressed, so a test can say how many a task takes.
#[derive(Default)]
struct Keys {
    /// Tab, Shift+Tab, Enter, Space and arrows: moving and pressing.
    navigation: usize,
    /// Characters typed into fields.
    typed: usize,
}

impl Keys {
    async fn press(&mut self, app: &App, key: Key) -> WebDriverResult<()> {
        self.navigation += 1;
        app.keys(key).await
    }

    async fn type_text(&mut self, app: &App, text: &str) -> WebDriverResult<()> {
        self.typed += text.chars().count();
        app.keys(text).await
    }

    /// Presses Tab until `id` has focus; fails past `most` presses.
    async fn tab_to(&mut self, app: &App, id: &str, most: usize) -> WebDriverResult<()> {
        for _ in 0..most {
            if app.focused_id().await? == id {
                return Ok(());
            }
            self.press(app, Key::Tab).await?;
        }
        assert_eq!(app.focused_id().await?, id, "#{id} not reached by Tab");
        Ok(())
    }

    fn total(&self) -> usize {
        self.navigation + self.typed
    }
}

/// Puts the keyboard focus on `id` without a click (as if tabbed there),
/// and presses Enter.
async fn enter_on(app: &App, id: &str) -> WebDriverResult<()> {
    app.driver
        .execute(
            "document.getElementById(arguments[0]).focus();",
            vec![serde_json::Value::from(id)],
        )
        .await?;
    app.keys(Key::Enter).await
}

/// Waits until the element `id` holds `expected`, shown or kept for screen
/// readers only.
async fn wait_for_words(app: &App, id: &str, expected: &str) -> TestResult {
    let mut last = String::new();
    for _ in 0..50 {
        last = app
            .driver
            .execute(
                "const e = document.getElementById(arguments[0]); return e ? e.textContent : '';",
                vec![serde_json::Value::from(id)],
            )
            .await?
            .json()
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if last.contains(expected) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("#{id} never said {expected:?}; it said {last:?}");
}

async fn title(app: &App) -> WebDriverResult<String> {
    Ok(app
        .driver
        .execute("return document.title;", vec![])
        .await?
        .json()
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// axe at 100% and 200% text, no sideways scroll at 200%, and a picture
/// of the screen at 200%.
async fn check_screen(app: &App, screen: &str) -> TestResult {
    check_screen_at(app, screen, None).await
}

/// As [`check_screen`], with a second picture from `anchor` down (a
/// table far down the page).
async fn check_screen_at(app: &App, screen: &str, anchor: Option<&str>) -> TestResult {
    app.assert_accessible(screen).await?;
    app.text_size(200).await?;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        app.sideways().await?,
        "",
        "the {screen} screen scrolls sideways at 200% text"
    );
    app.assert_accessible(&format!("{screen} at 200% text"))
        .await?;
    app.screenshot(&format!("a11y-200-{screen}")).await?;
    if let Some(anchor) = anchor {
        // The window is as tall as the page up to 2300 pixels; make it
        // shorter, so that scrolling to the table shows it at the top.
        app.driver.set_window_rect(0, 0, 1180, 1400).await?;
        app.driver
            .execute(
                "document.getElementById(arguments[0]).scrollIntoView({ block: 'start' });",
                vec![serde_json::Value::from(anchor)],
            )
            .await?;
        app.driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await?;
        app.save_picture(
            &careledger_e2e::artefacts_dir().join(format!("a11y-200-{screen}-table.png")),
        )
        .await?;
    }
    app.text_size(100).await?;
    Ok(())
}

/// Opens a section from its tab by keyboard: its own heading takes the
/// focus, and the window's title names it.
async fn open_section(app: &App, tab: &str, name: &str) -> TestResult {
    enter_on(app, tab).await?;
    app.wait_for_text("main-heading", name).await?;
    wait_for_focus(app, "main-heading").await?;
    assert_eq!(
        title(app).await?,
        format!("{name} — Margaret Ellis's budget — Careledger")
    );
    Ok(())
}

fn seed_demo(data: &Path) {
    let mut store = open_store(data);
    careledger_core::demo::populate(&mut store, today()).expect("demo data");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_has_its_heading_and_title_and_fits_at_200_percent_text() -> TestResult {
    let driver = Driver::start("a11y_screens");
    let data = tempfile::tempdir()?;
    seed_demo(data.path());
    let app = driver.launch(data.path()).await?;
    app.element("person-heading").await?;
    assert_eq!(title(&app).await?, "Welcome — Careledger");
    check_screen(&app, "welcome").await?;
    continue_as(&app, "David Ellis").await?;

    for (tab, name, screen, anchor) in [
        (
            "tab-spending",
            "Money spent",
            "spending",
            Some("history-heading"),
        ),
        (
            "tab-money-in",
            "Money in",
            "money-in",
            Some("money-in-list-heading"),
        ),
        ("tab-plan", "The plan", "plan", Some("page-lines")),
        ("tab-statement", "Statement", "statement", None),
        (
            "tab-budget",
            "Where it stands",
            "budget",
            Some("lines-heading"),
        ),
    ] {
        open_section(&app, tab, name).await?;
        check_screen_at(&app, screen, anchor).await?;
    }

    // Where it stands: the chart's words give its figures; the month by
    // month table has a caption; each term has its explanation.
    let words = app.text_of("burn-figures").await?;
    assert!(
        words.contains("has been spent") && words.contains("by now"),
        "{words}"
    );
    app.driver.find(By::Css("#burn-table > caption")).await?;
    app.element("explain-lines").await?;

    // A payment's details.
    open_section(&app, "tab-spending", "Money spent").await?;
    let first = app
        .driver
        .find(By::Css("#spending-table button[id$='-details']"))
        .await?;
    let id = first.attr("id").await?.unwrap_or_default();
    enter_on(&app, &id).await?;
    wait_for_focus(&app, "payment-detail-heading").await?;
    check_screen(&app, "payment-detail").await?;

    // The plan's revision steps.
    open_section(&app, "tab-plan", "The plan").await?;
    app.press("Revise the plan after a review").await?;
    wait_for_focus(&app, "main-heading").await?;
    assert_eq!(
        title(&app).await?,
        "Revise the plan — Margaret Ellis's budget — Careledger"
    );
    check_screen(&app, "revise").await?;

    // Backups and export.
    enter_on(&app, "data-button").await?;
    app.wait_for_text("main-heading", "Backups and export")
        .await?;
    wait_for_focus(&app, "main-heading").await?;
    assert_eq!(title(&app).await?, "Backups and export — Careledger");
    check_screen(&app, "data").await?;

    // The drop-down in the dark header shows a focus ring in the focus
    // yellow, drawn as an outline (WebKitGTK paints no shadow on it).
    let ring = app
        .driver
        .execute(
            "const s = document.getElementById('holder-select'); s.focus(); \
             const c = getComputedStyle(s); return c.outlineStyle + ' ' + c.outlineColor + ' ' + c.outlineWidth;",
            vec![],
        )
        .await?;
    assert_eq!(
        ring.json().as_str(),
        Some("solid rgb(255, 191, 71) 3px"),
        "a yellow outline on the dark header"
    );
    app.quit().await?;
    Ok(())
}

/// A plan with two lines to split a payment across.
fn seed_two_lines(data: &Path) {
    let (mut store, david, holders) = seed_holders(data, &["Margaret Ellis"]);
    let mut plan = simple_plan("£10,000");
    use careledger_core::plan::Category::*;
    use careledger_core::plan_forms::LineDraft;
    plan.content.lines = vec![
        LineDraft::sum(PersonalAssistants, "Personal assistant support", "£8,000").serving(&[0]),
        LineDraft::sum(Therapies, "Hydrotherapy", "£2,000").serving(&[0]),
    ];
    store.create_plan(holders[0], &plan, david).expect("plan");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_split_payment_is_logged_changed_and_removed_by_keyboard_alone() -> TestResult {
    let driver = Driver::start("a11y_keyboard_payment");
    let data = tempfile::tempdir()?;
    seed_two_lines(data.path());
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;

    // Log one payment split across two lines, counting every key.
    let mut keys = Keys::default();
    app.driver
        .execute("document.getElementById('tab-spending').focus();", vec![])
        .await?;
    keys.press(&app, Key::Enter).await?;
    wait_for_focus(&app, "main-heading").await?;
    keys.tab_to(&app, "spending-payee", 10).await?;
    keys.type_text(&app, "Aqua Physio").await?;
    keys.press(&app, Key::Tab).await?;
    assert_eq!(app.focused_id().await?, "spending-amount");
    keys.type_text(&app, "£45").await?;
    keys.tab_to(&app, "spending-split", 5).await?;
    keys.press(&app, Key::Enter).await?;
    // Splitting adds the amount for line 1 (the whole amount, selected) and
    // line 2, says so, and goes to the first new field.
    wait_for_focus(&app, "spending-splits.0.amount").await?;
    wait_for_words(&app, "spending-lines-news", "Split into 2 lines").await?;
    keys.type_text(&app, "£30").await?;
    keys.tab_to(&app, "spending-splits.1.lineKey", 4).await?;
    keys.press(&app, Key::Down).await?;
    keys.press(&app, Key::Tab).await?;
    assert_eq!(app.focused_id().await?, "spending-splits.1.amount");
    keys.type_text(&app, "£15").await?;
    keys.press(&app, Key::Enter).await?;
    app.wait_for_text("status-message", "Saved £45.00 to Aqua Physio")
        .await?;
    wait_for_focus(&app, "spending-payee").await?;
    println!(
        "One split payment by keyboard: {} keys ({} to move and press, {} typed)",
        keys.total(),
        keys.navigation,
        keys.typed
    );
    assert!(
        keys.navigation <= 20,
        "{} to move and press",
        keys.navigation
    );
    let payments = core_payments(data.path());
    assert_eq!(payments.len(), 1);
    let parts: Vec<_> = payments[0]
        .splits
        .iter()
        .map(|s| (s.line_key.0, s.amount.pence()))
        .collect();
    assert_eq!(
        parts,
        [(1, 3000), (2, 1500)],
        "£30 and £15 on the two lines"
    );
    let key = payments[0].key.0;

    // Removing a line goes to the line now in its place.
    app.keys(Key::Tab).await?;
    app.tab_to("spending-split", 5).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "spending-splits.0.amount").await?;
    app.tab_to("spending-splits.1.remove", 6).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "spending-splits.0.lineKey").await?;
    wait_for_words(&app, "spending-lines-news", "Line 2 removed").await?;

    // Details, then Change: the form's first field; Cancel: back to Change.
    let details = format!("payment-{key}-details");
    app.tab_to(&details, 60).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "payment-detail-heading").await?;
    app.tab_to("change-payment", 30).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "edit-payment-paidOn").await?;
    app.tab_to("edit-payment-cancel", 40).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "change-payment").await?;

    // Change it: saved, and the focus on the message that says so.
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "edit-payment-paidOn").await?;
    app.keys(Key::Tab).await?;
    // Tabbing into a box selects what is in it: typing replaces it.
    assert_eq!(app.focused_id().await?, "edit-payment-payee");
    app.keys("Aqua Physio Ltd").await?;
    app.tab_to("edit-payment-reason", 40).await?;
    app.keys("The name on the invoice").await?;
    app.tab_to("edit-payment-save", 5).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "The change has been saved")
        .await?;
    wait_for_focus(&app, "status-message").await?;
    assert_eq!(core_payments(data.path())[0].payee, "Aqua Physio Ltd");

    // Remove: the reason's box; Keep it: back to Remove.
    app.tab_to("remove-payment", 60).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "void-payment-reason").await?;
    app.tab_to("void-payment-keep", 5).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "remove-payment").await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "void-payment-reason").await?;
    app.keys("Entered twice").await?;
    app.tab_to("void-payment-save", 5).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "The payment has been removed")
        .await?;
    wait_for_focus(&app, "status-message").await?;
    assert!(core_payments(data.path())[0].voided.is_some());

    // Close: back to the row's Details button.
    app.tab_to("payment-detail-close", 60).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, &details).await?;

    // A regular payment's form: its first field, and back on Cancel.
    app.tab_to("regular-add", 40).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "regular-payee").await?;
    app.tab_to("regular-cancel", 20).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "regular-add").await?;

    // A failed save: the field at fault, with its label and error in view.
    app.driver
        .execute("document.getElementById('spending-save').focus();", vec![])
        .await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, "spending-payee").await?;
    let in_view = app
        .driver
        .execute(
            "const label = document.querySelector('label[for=\"spending-payee\"]').getBoundingClientRect(); \
             const error = document.getElementById('spending-payee-error').getBoundingClientRect(); \
             return label.top >= 0 && error.bottom <= window.innerHeight;",
            vec![],
        )
        .await?;
    assert_eq!(
        in_view.json().as_bool(),
        Some(true),
        "label and error in view"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_is_saved_and_restored_by_keyboard_alone() -> TestResult {
    let saved = tempfile::tempdir()?;
    let backup = saved
        .path()
        .join(format!("Careledger backup {}.backup.sqlite3", today()));
    let driver = Driver::start_with_env(
        "a11y_keyboard_restore",
        &[
            ("CARELEDGER_TEST_SAVE_DIR", saved.path()),
            ("CARELEDGER_TEST_OPEN_FILE", &backup),
        ],
    );
    let data = tempfile::tempdir()?;
    seed(data.path(), &["Margaret Ellis"]);
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    log_payment(&app, today() - Days::new(3), "Joanne Pike", "£116.00").await?;

    // From the top of the window: Tab to "Backups and export".
    app.driver
        .execute(
            "document.activeElement.blur(); window.scrollTo(0, 0);",
            vec![],
        )
        .await?;
    app.tab_to("data-button", 10).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("main-heading", "Backups and export")
        .await?;
    wait_for_focus(&app, "main-heading").await?;

    // Saving a backup keeps the focus on the button pressed.
    app.tab_to("data-backup", 10).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "Saved a backup as")
        .await?;
    assert_eq!(app.focused_id().await?, "data-backup");
    assert!(backup.is_file());

    log_payment(&app, today() - Days::new(1), "Tesco", "£12.34").await?;
    enter_on(&app, "data-button").await?;
    wait_for_focus(&app, "main-heading").await?;

    // Choose: what the backup holds; Restore: the message that says so.
    app.tab_to("data-restore", 20).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("restore-heading", "This backup holds")
        .await?;
    wait_for_focus(&app, "restore-heading").await?;
    app.tab_to("data-restore-confirm", 10).await?;
    app.keys(Key::Enter).await?;
    app.wait_for_text("status-message", "Restored Careledger backup")
        .await?;
    wait_for_focus(&app, "status-message").await?;
    assert_eq!(
        core_payments(data.path()).len(),
        1,
        "the earlier data is back"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn money_in_says_which_entry_each_remove_button_is_for() -> TestResult {
    let driver = Driver::start("a11y_money_in");
    let data = tempfile::tempdir()?;
    seed_demo(data.path());
    let app = driver.launch(data.path()).await?;
    continue_as(&app, "David Ellis").await?;
    open_section(&app, "tab-money-in", "Money in").await?;
    let names = app
        .driver
        .execute(
            "return [...document.querySelectorAll('#money-in-table button')].map((b) => b.textContent.replace(/\\s+/g, ' ').trim());",
            vec![],
        )
        .await?;
    let names: Vec<String> = serde_json::from_value(names.json().clone())?;
    assert!(names.len() > 1, "{names:?}");
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        names.len(),
        "each Remove button has its own name: {names:?}"
    );

    // Remove, then Keep it: back on the same button.
    let first = app
        .driver
        .find(By::Css("#money-in-table button"))
        .await?
        .attr("id")
        .await?
        .unwrap_or_default();
    enter_on(&app, &first).await?;
    wait_for_focus(&app, "void-money-in-reason").await?;
    app.tab_to("void-money-in-keep", 5).await?;
    app.keys(Key::Enter).await?;
    wait_for_focus(&app, &first).await?;
    app.quit().await?;
    Ok(())
}
