//! Field validators run on every edited value: none may panic on any input.
#![no_main]

use daicho::domain::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = validate::required("f", s);
        let _ = validate::bounded("f", s);
        let _ = validate::postal_code("f", s);
        let _ = validate::phone("f", s);
        let _ = validate::email("f", s);
        let _ = validate::date("f", s);
    }
});
