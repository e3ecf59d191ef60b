//! The end-to-end harness: start the built app in a real window on its own
//! Xvfb server, drive it over WebDriver (tauri-driver in front of
//! WebKitWebDriver), audit it with axe-core, and save screenshots to
//! `target/e2e/`.
//!
//! `cargo xtask test` builds the app, installs tauri-driver and runs these
//! tests one at a time.

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use thirtyfour::prelude::*;
use thirtyfour::Capabilities;

/// How long to wait for the app to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The workspace root (the folder above `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_relative() {
                workspace_root().join(dir)
            } else {
                dir
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Where screenshots and driver logs go: `target/e2e/` in the workspace,
/// even when Cargo builds elsewhere (CI keeps its build cache outside the
/// clone), so the artefacts are always found in one place.
pub fn artefacts_dir() -> PathBuf {
    let dir = workspace_root().join("target").join("e2e");
    std::fs::create_dir_all(&dir).expect("make target/e2e");
    dir
}

/// The app binary under test: `CARELEDGER_APP`, else the debug build.
fn app_binary() -> PathBuf {
    std::env::var_os("CARELEDGER_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join("careledger"))
}

fn find_program(name: &str, extra: &[PathBuf]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(extra.iter().cloned())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free local port")
}

/// Stops a child process with SIGTERM and waits for it; SIGKILL only if it
/// will not go. (SIGKILL would leave tauri-driver's WebKitWebDriver holding
/// its port.)
fn stop(process: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &process.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = process.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = process.kill();
    let _ = process.wait();
}

/// An Xvfb server of the test's own. Each test gets a fresh one: once a
/// window that had keyboard focus closes, X leaves focus on the root window,
/// so a shared server would start later tests with an unfocused window.
struct VirtualDisplay {
    server: Child,
    name: String,
}

impl VirtualDisplay {
    fn start() -> VirtualDisplay {
        // -displayfd: Xvfb picks a free display and writes its number to
        // stdout once it is ready to take clients. With no window manager X
        // focuses the window under the pointer, which starts at the screen's
        // centre: at this size that is inside the app's 1180x900 window.
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is missing: install Debian's xvfb package (cargo xtask test does).");
        let stdout = server.stdout.take().expect("piped stdout");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
            let _ = sender.send(line);
        });
        let number = receiver.recv_timeout(PATIENCE).unwrap_or_default();
        let number = number.trim();
        assert!(!number.is_empty(), "Xvfb did not start");
        VirtualDisplay {
            server,
            name: format!(":{number}"),
        }
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        stop(&mut self.server);
    }
}

/// A running tauri-driver on its own X display. Dropping it stops both.
pub struct Driver {
    process: Child,
    port: u16,
    // Dropped after the driver (fields drop in order), so the app's window
    // never loses its display while it is closing.
    _display: VirtualDisplay,
}

impl Driver {
    /// Starts a display and tauri-driver on free ports, and waits until the
    /// driver listens.
    pub fn start(test_name: &str) -> Driver {
        Driver::start_with_env(test_name, &[])
    }

    /// As [`Driver::start`], with environment variables for the app (the
    /// driver passes its own environment on to the app it starts).
    pub fn start_with_env(test_name: &str, env: &[(&str, &Path)]) -> Driver {
        let app = app_binary();
        assert!(
            app.is_file(),
            "The app is not built at {}. Run `cargo xtask test`.",
            app.display()
        );
        let cargo_bin = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
            .map(|home| home.join("bin"))
            .into_iter()
            .collect::<Vec<_>>();
        let tauri_driver = find_program("tauri-driver", &cargo_bin)
            .expect("tauri-driver is not installed. Run `cargo xtask test`, which installs it.");
        let native_driver = find_program("WebKitWebDriver", &[PathBuf::from("/usr/bin")])
            .expect("WebKitWebDriver is missing: install Debian's webkit2gtk-driver package.");
        let port = free_port();
        let native_port = free_port();
        let log = std::fs::File::create(artefacts_dir().join(format!("{test_name}.driver.log")))
            .expect("create driver log");
        let display = VirtualDisplay::start();
        let process = Command::new(tauri_driver)
            .env("DISPLAY", &display.name)
            .envs(env.iter().copied())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .arg("--native-driver")
            .arg(native_driver)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .expect("start tauri-driver");
        let driver = Driver {
            process,
            port,
            _display: display,
        };
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not start listening on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// Opens the app on the data in `data_dir` and returns the session.
    pub async fn launch(&self, data_dir: &Path) -> WebDriverResult<App> {
        self.launch_with_args(json!(["--data-dir", data_dir])).await
    }

    /// Opens the app as its menu entry does, with no arguments, so that it
    /// finds its data where a person's would be: in the platform's app data
    /// folder (give the driver `XDG_DATA_HOME` and `XDG_CONFIG_HOME` to
    /// keep it apart).
    pub async fn launch_as_from_the_menu(&self) -> WebDriverResult<App> {
        self.launch_with_args(json!([])).await
    }

    async fn launch_with_args(&self, args: Value) -> WebDriverResult<App> {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            json!({
                "application": app_binary(),
                "args": args,
            }),
        );
        // Just after an earlier window closed, tauri-driver may still be
        // letting go of it and drop the request for a new one: try again,
        // a few times, before calling it a failure.
        let mut attempts = 0;
        loop {
            attempts += 1;
            match WebDriver::new(
                format!("http://127.0.0.1:{}", self.port),
                Capabilities::from(capabilities.clone()),
            )
            .await
            {
                Ok(driver) => return Ok(App { driver }),
                Err(error)
                    if attempts < 5
                        && matches!(
                            &*error,
                            thirtyfour::error::WebDriverErrorInner::HttpError(_)
                        ) =>
                {
                    eprintln!("tauri-driver did not take the session ({error}); trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => return Err(error),
            }
        }
    }
}

/// One process of the running app and how much memory it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessMemory {
    /// Its name, as the system has it: "careledger", "WebKitWebProces"…
    pub name: String,
    /// Its proportional set size in kB: its own pages, and its share of
    /// those it shares, so the processes' figures add up.
    pub pss_kb: u64,
}

impl Driver {
    /// The memory of the app and the web view processes it started: every
    /// process below tauri-driver but the WebDriver server itself. Linux
    /// only (it reads /proc); empty elsewhere.
    pub fn app_memory(&self) -> Vec<ProcessMemory> {
        let parent_of = |pid: u32| -> Option<u32> {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // "pid (name) state ppid …"; the name may hold spaces.
            let after_name = &stat[stat.rfind(')')? + 2..];
            after_name.split_whitespace().nth(1)?.parse().ok()
        };
        let name_of = |pid: u32| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .map(|name| name.trim().to_owned())
                .unwrap_or_default()
        };
        let pss_of = |pid: u32| -> Option<u64> {
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            rollup
                .lines()
                .find_map(|line| line.strip_prefix("Pss:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()
        };
        let root = self.process.id();
        let below_root = |mut pid: u32| {
            while let Some(parent) = parent_of(pid) {
                if parent == root {
                    return true;
                }
                if parent <= 1 {
                    return false;
                }
                pid = parent;
            }
            false
        };
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| below_root(pid))
            .map(|pid| (name_of(pid), pid))
            .filter(|(name, _)| name != "WebKitWebDriver")
            .filter_map(|(name, pid)| {
                Some(ProcessMemory {
                    name,
                    pss_kb: pss_of(pid)?,
                })
            })
            .collect()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.process.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.process.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// One running app window.
pub struct App {
    /// The WebDriver session.
    pub driver: WebDriver,
}

/// One accessibility fault that axe found.
#[derive(Debug)]
pub struct Violation {
    /// axe's rule id, such as "color-contrast".
    pub id: String,
    /// What the rule checks.
    pub help: String,
    /// The elements at fault.
    pub targets: Vec<String>,
}

impl App {
    /// Waits for the element with `id` to be present and shown.
    pub async fn element(&self, id: &str) -> WebDriverResult<WebElement> {
        self.driver
            .query(By::Id(id))
            .wait(PATIENCE, Duration::from_millis(100))
            .and_displayed()
            .first()
            .await
    }

    /// The text of the element with `id`, once shown.
    pub async fn text_of(&self, id: &str) -> WebDriverResult<String> {
        self.element(id).await?.text().await
    }

    /// Waits until the element with `id` shows `expected`.
    pub async fn wait_for_text(&self, id: &str, expected: &str) -> WebDriverResult<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = match self.driver.find(By::Id(id)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return Ok(());
            }
            if Instant::now() > deadline {
                panic!("#{id} never showed {expected:?}; last it showed {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets the page's text size, as a person who needs larger text does
    /// (100 is as the app starts).
    pub async fn text_size(&self, percent: u32) -> WebDriverResult<()> {
        self.driver
            .execute(
                &format!("document.documentElement.style.fontSize = '{percent}%';"),
                vec![],
            )
            .await?;
        Ok(())
    }

    /// What makes the page scroll sideways, if anything: empty when it
    /// fits the window, or the widths and what sticks out past its edge.
    pub async fn sideways(&self) -> WebDriverResult<String> {
        let wide = self
            .driver
            .execute(
                "const page = document.documentElement; \
                 if (page.scrollWidth <= page.clientWidth) return ''; \
                 return page.scrollWidth + ' > ' + page.clientWidth + ': ' + [...document.querySelectorAll('body *')] \
                   .filter((e) => e.getBoundingClientRect().right > page.clientWidth + 1) \
                   .slice(0, 8).map((e) => e.tagName + '#' + e.id + '.' + e.className).join('; ');",
                vec![],
            )
            .await?;
        Ok(wide.json().as_str().unwrap_or_default().to_owned())
    }

    /// Clicks `element` as a person would: first scrolling it to the middle
    /// of the window, where nothing kept at the window's edge (the plan's
    /// running total) sits over it.
    pub async fn click(&self, element: &WebElement) -> WebDriverResult<()> {
        self.driver
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                vec![element.to_json()?],
            )
            .await?;
        element.click().await
    }

    /// Replaces what is typed in the field with `id`, as a person would:
    /// select all, then type.
    pub async fn fill(&self, id: &str, text: &str) -> WebDriverResult<()> {
        let field = self.element(id).await?;
        self.click(&field).await?;
        field.send_keys(Key::Control + "a").await?;
        field.send_keys(Key::Backspace).await?;
        if !text.is_empty() {
            field.send_keys(text).await?;
        }
        Ok(())
    }

    /// Puts `text` into the field as pasting would: all at once, with the
    /// input event the page listens for. (Typing 10,000 characters one key
    /// at a time tests nothing more and takes minutes.)
    pub async fn paste(&self, id: &str, text: &str) -> WebDriverResult<()> {
        let field = self.element(id).await?;
        self.driver
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![field.to_json()?, serde_json::Value::from(text)],
            )
            .await?;
        Ok(())
    }

    /// Clicks the button whose visible text is `label`.
    pub async fn press(&self, label: &str) -> WebDriverResult<()> {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(label));
        let button = self
            .driver
            .query(By::XPath(xpath))
            .wait(PATIENCE, Duration::from_millis(100))
            .and_displayed()
            .first()
            .await?;
        self.click(&button).await
    }

    /// The id of the element that has keyboard focus.
    pub async fn focused_id(&self) -> WebDriverResult<String> {
        let ret = self
            .driver
            .execute(
                "return document.activeElement ? document.activeElement.id : '';",
                vec![],
            )
            .await?;
        Ok(ret.json().as_str().unwrap_or_default().to_owned())
    }

    /// Presses Tab until the element with `id` has focus, and fails if it
    /// cannot be reached by keyboard within `most` presses.
    pub async fn tab_to(&self, id: &str, most: usize) -> WebDriverResult<()> {
        for _ in 0..most {
            if self.focused_id().await? == id {
                return Ok(());
            }
            self.keys(Key::Tab).await?;
        }
        let now = self.focused_id().await?;
        assert_eq!(now, id, "#{id} could not be reached with the Tab key");
        Ok(())
    }

    /// Chooses the option whose visible text is `text` in the drop-down `id`.
    pub async fn choose(&self, id: &str, text: &str) -> WebDriverResult<()> {
        let select = self.element(id).await?;
        thirtyfour::components::SelectElement::new(&select)
            .await?
            .select_by_visible_text(text)
            .await
    }

    /// Presses keys on whatever has focus.
    pub async fn keys(&self, keys: impl Into<TypingData>) -> WebDriverResult<()> {
        self.driver.action_chain().send_keys(keys).perform().await
    }

    /// Runs axe-core on the page and returns every WCAG 2.2 A or AA fault.
    pub async fn axe_violations(&self) -> WebDriverResult<Vec<Violation>> {
        let axe_path = workspace_root().join("ui/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|error| {
            panic!(
                "axe-core is not installed at {} ({error}). Run `cargo xtask test`.",
                axe_path.display()
            )
        });
        self.driver
            .execute(format!("{axe}\nreturn typeof axe;"), vec![])
            .await?;
        let result = self
            .driver
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, {
                    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
                    resultTypes: ["violations"],
                }).then(
                    (r) => done(r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => String(n.target)) }))),
                    (e) => done({ error: String(e) }),
                );"#,
                vec![],
            )
            .await?;
        let value = result.json().clone();
        if let Some(error) = value.get("error") {
            panic!("axe failed to run: {error}");
        }
        let violations = value.as_array().cloned().unwrap_or_default();
        Ok(violations
            .iter()
            .map(|v| Violation {
                id: string_field(v, "id"),
                help: string_field(v, "help"),
                targets: v["targets"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect())
    }

    /// Fails the test if axe finds any WCAG 2.2 A/AA fault on this screen.
    pub async fn assert_accessible(&self, screen: &str) -> WebDriverResult<()> {
        let violations = self.axe_violations().await?;
        assert!(
            violations.is_empty(),
            "axe found WCAG 2.2 A/AA faults on the {screen} screen: {violations:#?}"
        );
        Ok(())
    }

    /// Saves a screenshot of the whole page as `target/e2e/<name>.png`,
    /// after the page has painted its latest frame.
    pub async fn screenshot(&self, name: &str) -> WebDriverResult<PathBuf> {
        let height = self
            .driver
            .execute(
                "return Math.ceil(document.documentElement.scrollHeight);",
                vec![],
            )
            .await?
            .json()
            .as_u64()
            .unwrap_or(900);
        let rect = self.driver.get_window_rect().await?;
        // Grow the window to the page so the picture shows the whole screen,
        // not just its top. WebKit draws the page even where the window runs
        // past the bottom of the X screen.
        let wanted = height.clamp(600, 2300) as i64;
        if rect.height != wanted {
            self.driver
                .set_window_rect(0, 0, rect.width as u32, wanted as u32)
                .await?;
        }
        self.driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await?;
        let path = artefacts_dir().join(format!("{name}.png"));
        self.save_picture(&path).await?;
        Ok(path)
    }

    /// Saves a picture of the window as it is to `path`.
    pub async fn save_picture(&self, path: &Path) -> WebDriverResult<()> {
        // The app draws its page without GPU compositing (src-tauri's
        // webview.rs), and then WebKitWebDriver takes a screenshot only
        // after the page next paints: of a still page, never. An invisible
        // dot changing between two clear colours makes the page paint
        // every 50 ms, changing no pixel, until the picture is taken.
        self.driver
            .execute(
                "const dot = document.createElement('div');
                 dot.setAttribute('aria-hidden', 'true');
                 dot.style.cssText = 'position: fixed; left: 0; top: 0; width: 1px; height: 1px; pointer-events: none';
                 document.body.append(dot);
                 let tick = 0;
                 const timer = setInterval(() => {
                   tick += 1;
                   dot.style.backgroundColor = tick % 2 ? 'rgba(255, 255, 255, 0)' : 'rgba(0, 0, 0, 0)';
                 }, 50);
                 window.__careledgerScreenshotDone = () => { clearInterval(timer); dot.remove(); };",
                vec![],
            )
            .await?;
        let taken = self.driver.screenshot(path).await;
        self.driver
            .execute("window.__careledgerScreenshotDone?.();", vec![])
            .await?;
        taken
    }

    /// Closes the app.
    pub async fn quit(self) -> WebDriverResult<()> {
        self.driver.quit().await
    }
}

/// `text` as an XPath string literal, whatever quotes it holds.
pub fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|part| format!("'{part}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

fn string_field(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}
