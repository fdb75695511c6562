use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = daicho::cli::Cli::parse();
    match daicho::cli::main(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("daicho: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
