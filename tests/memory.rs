//! Memory a hostile upload may take, measured in a binary of its own: the importing process is
//! started from this one, and a child's peak memory counts the parent it was forked from (the
//! one integration binary, with every test running, is hundreds of megabytes).

#[path = "it/common/mod.rs"]
mod common;

use common::TestApp;
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;

async fn admin(app: &TestApp) -> TestApp {
    app.create_staff("admin@council.gov.uk", &[Role::Admin]).await;
    let admin = app.another_browser();
    admin.sign_in("admin@council.gov.uk").await;
    admin
}

/// A hand-made spreadsheet no spreadsheet program would write: one shared string of `shared`
/// characters, used by every cell of `rows` rows by `columns` columns of the survey sheet.
fn one_long_string_everywhere(shared: usize, rows: usize, columns: usize) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let column = |c: usize| {
        if c < 26 {
            ((b'A' + c as u8) as char).to_string()
        } else {
            format!("{}{}", (b'A' + (c / 26 - 1) as u8) as char, (b'A' + (c % 26) as u8) as char)
        }
    };
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=rows {
        sheet += &format!(r#"<row r="{r}">"#);
        for c in 0..columns {
            sheet += &format!(r#"<c r="{}{r}" t="s"><v>0</v></c>"#, column(c));
        }
        sheet += "</row>";
    }
    sheet += "</sheetData></worksheet>";
    let parts: [(&str, String); 6] = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{}" uniqueCount="1"><si><t>{}</t></si></sst>"#, rows * columns, "x".repeat(shared))),
    ];
    for (name, text) in parts {
        out.start_file(name, options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Runs the real binary to the end with at most `limit` bytes of address space: whether it
/// succeeded, what it said, and its own peak resident memory in MB (wait4, not the largest child).
#[allow(clippy::zombie_processes)]
fn run_measured(mut command: std::process::Command, limit: u64) -> (bool, String, f64) {
    use std::os::unix::process::CommandExt;
    let stderr = std::env::temp_dir().join(format!("xlsform-stderr-{}", std::process::id()));
    command.stderr(std::fs::File::create(&stderr).unwrap()).stdout(std::process::Stdio::null());
    // So that the old reader, copying the string into every cell, fails fast instead of taking
    // the machine's memory with it.
    unsafe {
        command.pre_exec(move || {
            let bound = libc::rlimit { rlim_cur: limit, rlim_max: limit };
            libc::setrlimit(libc::RLIMIT_AS, &bound);
            Ok(())
        });
    }
    let child = command.spawn().unwrap();
    let (mut status, mut usage) = (0, std::mem::MaybeUninit::<libc::rusage>::zeroed());
    let pid = child.id() as libc::pid_t;
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) }, pid);
    let usage = unsafe { usage.assume_init() };
    let said = std::fs::read_to_string(&stderr).unwrap_or_default();
    let _ = std::fs::remove_file(&stderr);
    (libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, said, usage.ru_maxrss as f64 / 1024.0)
}

/// A 15 MB shared string in 50,000 cells (a few hundred kilobytes zipped) would be copied into
/// every cell: 750 GB. It is refused with a message, and the process importing it stays under
/// 200 MB at its peak.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crafted_spreadsheet_cannot_exhaust_memory() {
    let app = common::spawn_app(common::Backend::Sqlite).await;
    let file = std::env::temp_dir().join(format!("crafted-{}.xlsx", std::process::id()));
    let bytes = one_long_string_everywhere(15 * 1024 * 1024, 1_000, 50);
    assert!(bytes.len() < inclusion_survey::survey::xlsform::MAX_FILE_BYTES, "{} bytes zipped", bytes.len());
    std::fs::write(&file, &bytes).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"));
    // No backtrace: reading a debug binary's symbols to print one takes far more memory than
    // the import and is not what is measured.
    command
        .args(["survey", "import"])
        .arg(&file)
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "0");
    let (ok, said, peak_mb) = run_measured(command, 4 << 30);
    let _ = std::fs::remove_file(&file);
    println!("crafted spreadsheet: peak {peak_mb:.0} MB");
    assert!(!ok, "refused");
    assert!(said.contains("a cell holds at most 10000 characters"), "{said}");
    assert!(peak_mb < 200.0, "peak {peak_mb:.0} MB");

    // The same through the web page: a message, and nothing made.
    let admin = admin(&app).await;
    let page = admin.upload("/staff/survey-files", "crafted.xlsx", bytes).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("a cell holds at most 10000 characters"), "{}", page.body);
}
