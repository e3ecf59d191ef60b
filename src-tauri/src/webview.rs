//! Settings of the window's web view that Tauri does not offer.

/// Draws the page without accelerated compositing (WebKitGTK's hardware
/// acceleration policy "never").
///
/// With compositing, WebKitGTK keeps each layer of the page as a GL
/// texture. On a computer without a GPU driver WebKit can use (a virtual
/// machine, an older laptop, the end-to-end tests' Xvfb) Mesa's software
/// renderer holds those textures in the web process's own memory: its
/// 305 MB with ten years of data (`tests/tests/scale.rs`) are 142 MB
/// without them. Careledger's pages are forms, tables and a
/// chart, with no animation, 3D or WebGL that compositing would speed up,
/// so they look and behave the same drawn this way.
///
/// The policy is set once the view exists, which Tauri gives no earlier
/// way to reach; the page may briefly have started with compositing.
#[cfg(target_os = "linux")]
pub fn draw_without_compositing(window: &tauri::WebviewWindow) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    let result = window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    // Without it the window works as before, only with more memory: not a
    // reason to stop the app, so it is said on the terminal only.
    if let Err(error) = result {
        eprintln!("Careledger could not set how its window is drawn: {error}");
    }
}
