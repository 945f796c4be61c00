"""healthlint-languagetool uninstall removes only a folder that healthlint installed."""
from click.testing import CliRunner

from healthlint.languagetool import INFO_FILE, main


def test_uninstall_removes_an_install_and_nothing_else(tmp_path):
    home = tmp_path / "lt"
    (home / "lib").mkdir(parents=True)
    (home / "lib" / "languagetool-core-6.8.jar").write_bytes(b"jar")
    (home / INFO_FILE).write_text('{"version": "6.8"}', encoding="utf-8")
    done = CliRunner().invoke(main, ["uninstall", "--home", str(home)])
    assert done.exit_code == 0, done.output
    assert not home.exists()
    assert "~/.m2/repository" in done.output


def test_uninstall_refuses_a_folder_healthlint_did_not_install(tmp_path):
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"jpg")
    done = CliRunner().invoke(main, ["uninstall", "--home", str(other)])
    assert done.exit_code == 2
    assert (other / "holiday.jpg").exists()
    assert "nothing removed" in done.output
