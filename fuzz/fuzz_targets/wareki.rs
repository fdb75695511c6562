//! Japanese-era dates typed by staff (R6.4.1, 令和6年4月1日 …): parsing must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = daicho::domain::wareki::parse(s);
    }
});
