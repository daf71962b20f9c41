//! `#[both_backends]`, for the integration tests (`tests/it`): written on a test where it is
//! defined, it runs the test once on SQLite and once on PostgreSQL, so a new test cannot be left
//! out of a list and silently never run. Beside `async fn name(app: TestApp)` it writes
//! `mod name { sqlite, postgres }`; the PostgreSQL one says once that it is skipped when
//! `TEST_POSTGRES_URL` is unset (see `common::postgres_app`).

use proc_macro::{TokenStream, TokenTree};

#[proc_macro_attribute]
pub fn both_backends(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut tokens = item.clone().into_iter();
    let name = loop {
        match tokens.next() {
            Some(TokenTree::Ident(word)) if word.to_string() == "fn" => match tokens.next() {
                Some(TokenTree::Ident(name)) => break name.to_string(),
                _ => return error("#[both_backends] expects `async fn name(app: TestApp)`"),
            },
            Some(_) => continue,
            None => return error("#[both_backends] goes on a test function"),
        }
    };
    let runners = format!(
        "mod {name} {{
            #[tokio::test(flavor = \"multi_thread\", worker_threads = 2)]
            async fn sqlite() {{
                super::{name}(crate::common::spawn_app(crate::common::Backend::Sqlite).await).await
            }}
            #[tokio::test(flavor = \"multi_thread\", worker_threads = 2)]
            async fn postgres() {{
                if let Some(app) = crate::common::postgres_app().await {{
                    super::{name}(app).await
                }}
            }}
        }}"
    );
    let mut out = item;
    out.extend(runners.parse::<TokenStream>().expect("the runners parse"));
    out
}

fn error(message: &str) -> TokenStream {
    format!("compile_error!({message:?});").parse().expect("an error parses")
}
