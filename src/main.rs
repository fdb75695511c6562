use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = daicho::cli::Cli::parse();
    let lang = cli.lang();
    match daicho::cli::main(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("daicho: {}", daicho::cli::error_text(&e, lang));
            std::process::ExitCode::FAILURE
        }
    }
}
