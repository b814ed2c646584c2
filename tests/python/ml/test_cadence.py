"""Model-selection cadence (segkit/ml/cadence.py): when a refresh chooses again."""

import datetime as dt

import pandas as pd
import pytest

from segkit.ml.cadence import SELECTED_AS_OF, SEQUENCE, reselect_every_days, selection_due, stamp


def _stored(day: str, sequence: int = 1) -> pd.DataFrame:
    return pd.DataFrame({"k": [2, 3], SELECTED_AS_OF: [dt.date.fromisoformat(day)] * 2,
                         SEQUENCE: [sequence] * 2})


@pytest.mark.parametrize("value,days", [(7, 7), ("7", 7), (0, 0), ("0", 0), (7.0, 7)])
def test_reselect_every_days_accepts_whole_days(value, days):
    assert reselect_every_days(value) == days


@pytest.mark.parametrize("value", [-1, "-1", 1.5, "weekly", "", None, "nan"])
def test_reselect_every_days_rejects_anything_else_naming_the_var(value):
    with pytest.raises(ValueError, match="ml__reselect_every_days"):
        reselect_every_days(value)


def test_a_full_build_or_an_empty_table_always_chooses():
    assert selection_due(None, "2024-06-30", 7) == (True, "full build")
    assert selection_due(_stored("2024-06-30").head(0), "2024-06-30", 7)[0]
    assert selection_due(pd.DataFrame({"k": [2]}), "2024-06-30", 7)[0]  # older schema


@pytest.mark.parametrize("today,due", [
    ("2024-06-30", False),   # same day (a rerun)
    ("2024-07-06", False),   # 6 days later
    ("2024-07-07", True),    # 7 days later: due
    ("2024-08-30", True),
    ("2024-06-01", True),    # a rebuild of the past chooses again
])
def test_due_after_the_cadence_or_when_the_date_moves_back(today, due):
    got, reason = selection_due(_stored("2024-06-30"), pd.Timestamp(today), 7)
    assert got is due, reason


def test_cadence_zero_chooses_on_every_run():
    due, reason = selection_due(_stored("2024-06-30"), "2024-06-30", 0)
    assert due and "is 0" in reason


def test_stamp_numbers_the_selection_after_the_stored_one():
    fresh = pd.DataFrame({"k": [2, 3]})
    first = stamp(fresh, pd.Timestamp("2024-06-30"), None)
    assert first[SEQUENCE].tolist() == [1, 1]
    assert first[SELECTED_AS_OF].tolist() == [dt.date(2024, 6, 30)] * 2
    again = stamp(fresh, "2024-07-07", _stored("2024-06-30", sequence=4))
    assert again[SEQUENCE].tolist() == [5, 5]
    assert "selected_as_of" not in fresh.columns  # the input is not modified


def test_an_empty_stored_table_reads_as_no_selection():
    summary = pd.DataFrame({SELECTED_AS_OF: [None], SEQUENCE: [None]})
    assert selection_due(summary, "2024-06-30", 7) == (True, "no stored selection")


def test_stored_and_nothing_new_on_duckdb():
    import duckdb

    from segkit.ml.cadence import nothing_new, stored
    con = duckdb.connect()
    con.execute("create table sel as select 2 as k, date '2024-06-30' as selected_as_of, "
                "3 as selection_sequence")
    summary = stored(con, "sel")
    assert summary[SEQUENCE].tolist() == [3]
    assert not selection_due(summary, "2024-07-01", 7)[0]
    empty = nothing_new(con, "sel")
    assert empty.columns == ["k", "selected_as_of", "selection_sequence"]
    assert [str(t) for t in empty.types] == ["INTEGER", "DATE", "INTEGER"]
    assert empty.fetchall() == []


def test_decide_reads_the_stored_selection_and_logs_the_path(capsys):
    import duckdb

    from segkit.ml.cadence import decide

    class FakeDbt:
        this = "sel"
        is_incremental = True

    con = duckdb.connect()
    con.execute("create table sel as select 2 as k, date '2024-06-30' as selected_as_of, "
                "1 as selection_sequence")
    as_of = pd.DataFrame({"as_of_date": [dt.date(2024, 7, 2)]})
    due, previous, day = decide(FakeDbt(), con, as_of, "7", "cluster_model_selection", "k sweep")
    assert (due, day, previous[SEQUENCE].tolist()) == (False, dt.date(2024, 7, 2), [1])
    assert capsys.readouterr().out.startswith("cluster_model_selection: no k sweep (stored")
    FakeDbt.is_incremental = False
    due, previous, _ = decide(FakeDbt(), con, as_of, "7", "model_metrics", "evaluation")
    assert due and previous is None
    assert capsys.readouterr().out == "model_metrics: evaluation (full build)\n"
