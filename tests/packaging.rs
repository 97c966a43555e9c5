//! No Docker engine runs where the tests run, so the image's recipe is checked against what
//! `make test` builds: the same commands, or the image would ship what was never tested.

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path)
}

#[test]
fn the_image_runs_the_build_commands_that_make_test_runs() {
    let (dockerfile, makefile) = (read("docker/Dockerfile"), read("Makefile"));
    for command in ["npm ci", "npm run build", "cargo build --release --bin helpdesk"] {
        assert!(dockerfile.contains(&format!("RUN {command}")), "the Dockerfile runs {command:?}");
        assert!(makefile.contains(command), "the Makefile runs {command:?}");
    }
}

#[test]
fn the_image_runs_as_an_unprivileged_user_with_a_health_check() {
    let dockerfile = read("docker/Dockerfile");
    let runtime = dockerfile.rsplit("\nFROM ").next().unwrap();
    assert!(runtime.contains("USER helpdesk"));
    assert!(runtime.contains("HEALTHCHECK") && runtime.contains("/readyz"));
}

#[test]
fn compose_starts_the_app_once_postgres_15_is_healthy() {
    let compose = read("docker/docker-compose.yml");
    assert!(compose.contains("image: postgres:15"));
    assert!(compose.contains("condition: service_healthy"));
    assert!(compose.contains("DATABASE_URL: postgres://"));
    assert!(compose.contains("OPENAI_API_KEY: ${OPENAI_API_KEY"));
    assert!(compose.contains("pgdata:/var/lib/postgresql/data"));
}

#[test]
fn compose_publishes_on_this_machine_only_and_writes_no_password() {
    let compose = read("docker/docker-compose.yml");
    let ports: Vec<&str> =
        compose.lines().map(str::trim).filter(|line| line.starts_with("- \"") && line.contains(":8000")).collect();
    assert_eq!(ports, ["- \"127.0.0.1:8000:8000\""]);
    assert!(!compose.contains("POSTGRES_PASSWORD: helpdesk") && !compose.contains("helpdesk:helpdesk@"));
    assert!(compose.contains("${POSTGRES_PASSWORD:?"), "a clear error when the password is missing");
    assert!(
        read(".gitignore").lines().any(|line| line == "docker/.env"),
        "the .env with the password stays out of git"
    );
}
