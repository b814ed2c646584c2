"""The generator CLI names an unusable --out in one line, never with a traceback (issue 9)."""

from __future__ import annotations

import subprocess
import sys

from segkit.generate import main, out_dir_problem


def test_out_under_a_file_is_one_clear_line(tmp_path, capsys):
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x")
    out = blocker / "raw"
    assert main(["--customers", "5", "--seed", "1", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert err.startswith("error: cannot write to the output directory") and str(out) in err, err
    assert "Traceback" not in err


def test_out_problem_is_none_for_a_writable_dir_and_leaves_no_probe(tmp_path):
    out = tmp_path / "new" / "raw"
    assert out_dir_problem(out) is None
    assert out.is_dir() and list(out.iterdir()) == []


def test_cli_process_exit_code_and_stderr(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("x")
    proc = subprocess.run(
        [sys.executable, "-m", "segkit.generate", "--customers", "5", "--out", str(blocker / "d")],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"error: cannot write to the output directory '{blocker / 'd'}' (--out): "
        f"Not a directory ({blocker / 'd'})"]
