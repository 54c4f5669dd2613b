"""`contoso hub run` and `contoso hub worker` take the SMTP settings and refuse, at start, the
ones that cannot work; `hub run` hands its worker the same settings, never the password."""
import argparse

import pytest

from hub import cli


def parsed(*argv):
    parser = argparse.ArgumentParser(prog="contoso hub")
    cli.add_commands(parser)
    return parser.parse_args(list(argv))


@pytest.mark.parametrize("argv, says", [
    (["--smtp-port", "99999"], "argument --smtp-port: 99999 is not a TCP port"),
    (["--smtp-port", "25x"], "'25x' is not a TCP port"),
    (["--smtp-security", "ssl"], "argument --smtp-security: invalid choice: 'ssl'"),
    (["--public-url", "tickets.example.org"], "is not the hub's public address"),
])
def test_a_bad_option_stops_the_command_with_what_is_wrong(argv, says, capsys):
    with pytest.raises(SystemExit) as stopped:
        parsed("worker", *argv)
    assert stopped.value.code == 2 and says in capsys.readouterr().err


def test_settings_that_cannot_work_together_stop_it_too(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.config_from(parsed("worker", "--smtp-host", "mail.example.org"))
    assert stopped.value.code == 2
    assert "needs a sender address (--mail-from)" in capsys.readouterr().err


def test_the_worker_of_hub_run_gets_the_same_settings_and_not_the_password(tmp_path,
                                                                           monkeypatch):
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret\n")
    run = parsed("run", "--port", "9000", "--smtp-host", "mail.example.org", "--smtp-port",
                 "2587", "--smtp-user", "hub", "--smtp-password-file", str(secret),
                 "--mail-from", "tickets@example.org", "--mail-from-name", "Example Events")
    passed = cli.worker_args(run)
    assert "s3cret" not in " ".join(passed)
    worker = parsed("worker", *passed)
    assert cli.config_from(worker).mail == cli.config_from(run).mail
    assert cli.config_from(worker).mail.smtp_password == "s3cret"
    assert cli.config_from(run).public_url == cli.config_from(worker).public_url \
        == "http://127.0.0.1:9000"


def test_the_password_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONTOSO_SMTP_PASSWORD", "from-env")
    config = cli.config_from(parsed("worker", "--smtp-host", "mail.example.org", "--smtp-user",
                                    "hub", "--mail-from", "tickets@example.org"))
    assert config.mail.smtp_password == "from-env" and config.mail.port == 587
