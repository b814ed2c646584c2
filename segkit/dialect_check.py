"""Check that compiled dbt models are valid SQL in a warehouse's dialect (sqlglot).

`dbt compile --target snowflake|bigquery` proves that every dispatched macro has a version for
that warehouse; this module then parses each compiled model with sqlglot in the warehouse's
dialect and flags functions that only DuckDB has (a `default__` macro that fell back to DuckDB
syntax would compile fine and fail in the warehouse). Used by tests/python/test_dialect_check.py
and runnable by hand:

    python -m segkit.dialect_check --dialect snowflake target/compiled/customer_segments/models
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.dialects import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

# dbt target type -> sqlglot dialect name
DIALECTS = {"snowflake": "snowflake", "bigquery": "bigquery", "spark": "spark", "duckdb": "duckdb"}

# Functions that exist in DuckDB but not in the other engines the project targets. Found in
# compiled SQL for another dialect they mean a dispatch gap (a DuckDB-only idiom outside a
# duckdb__ macro). Lower-case names.
DUCKDB_ONLY_FUNCTIONS = frozenset({
    "regexp_full_match", "regexp_matches", "try_strptime", "strptime", "strftime",
    "struct_pack", "list_transform", "list_filter", "list_aggregate", "list_sort",
    "list_distinct", "list_value", "list_contains", "list_has_any", "string_split",
    "str_split", "regexp_extract_all_duckdb", "nfc_normalize", "strip_accents",
    "make_timestamp", "epoch", "epoch_ms", "json_extract_string", "read_parquet", "read_csv",
    "glob", "parquet_schema", "generate_subscripts", "jaro_winkler_similarity",
    "damerau_levenshtein", "arg_max", "arg_min", "list",
})

# Functions a dialect does not have although other engines do (portable SQL that is not):
# each must go through a dispatched macro with a version for that warehouse.
MISSING_FUNCTIONS = {
    "bigquery": frozenset({
        "concat_ws", "contains", "try_cast", "regexp_like", "median", "iff", "listagg",
        "object_construct", "convert_timezone", "to_timestamp_ntz", "try_to_timestamp_ntz",
        "datediff", "dateadd", "rlike", "levenshtein", "nvl2",
    }),
    "snowflake": frozenset({
        "regexp_contains", "safe_cast", "to_json_string", "timestamp_millis",
        "timestamp_seconds", "edit_distance",
    }),
    "spark": frozenset({"regexp_contains", "safe_cast", "object_construct", "iff"}),
}

# Functions a dialect has under the same name with different semantics: the SQL parses and
# runs, and gives other answers. name -> what differs (docs/scale.md).
DIFFERENT_FUNCTIONS = {
    "snowflake": {
        "concat_ws": "returns NULL when any part is NULL (DuckDB / Spark skip NULL parts): "
                     "use the concat_skip_nulls macro",
    },
}


@dataclass(frozen=True)
class Problem:
    """One finding in one compiled file."""

    path: str
    # parse_error | duckdb_only_function | missing_in_<dialect> | differs_in_<dialect> | empty
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.detail}"


def sqlglot_dialect(target_type: str) -> str:
    """sqlglot's dialect name for a dbt adapter type; ValueError for an unknown one."""
    try:
        return DIALECTS[target_type]
    except KeyError:
        raise ValueError(f"no sqlglot dialect known for target type {target_type!r}; "
                         f"known: {', '.join(sorted(DIALECTS))}") from None


def parse_statements(sql: str, dialect: str) -> list[exp.Expression]:
    """Parse SQL text (one or more statements) in `dialect`; raises ParseError / TokenError."""
    trees = sqlglot.parse(sql, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    return [e for e in trees if e is not None]


def called_names(sql: str, dialect: str) -> set[str]:
    """Lower-case names written directly before a "(" in the SQL text, as the dialect's
    tokenizer reads it (the spelling in the text, before sqlglot maps names onto its own
    function classes: regexp_matches would otherwise hide behind REGEXP_LIKE)."""
    tokens = Dialect.get_or_raise(dialect).tokenize(sql)
    return {a.text.lower() for a, b in zip(tokens, tokens[1:], strict=False)
            if b.token_type == TokenType.L_PAREN and a.token_type == TokenType.VAR}


def check_sql(sql: str, dialect: str, path: str = "<sql>") -> list[Problem]:
    """Problems of one compiled model: unparseable text, DuckDB-only functions, functions the
    dialect lacks (MISSING_FUNCTIONS) or has with other semantics (DIFFERENT_FUNCTIONS)."""
    if not sql.strip():
        return [Problem(path, "empty", "no SQL in the file")]
    try:
        trees = parse_statements(sql, dialect)
    except (ParseError, TokenError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return [Problem(path, "parse_error", first[:300])]
    if dialect == "duckdb":
        return []
    del trees  # parsed only to prove the syntax; names are read from the text as written
    names = called_names(sql, dialect)
    problems = [Problem(path, "duckdb_only_function", n)
                for n in sorted(names & DUCKDB_ONLY_FUNCTIONS)]
    missing = MISSING_FUNCTIONS.get(dialect, frozenset())
    problems += [Problem(path, f"missing_in_{dialect}", n) for n in sorted(names & missing)]
    different = DIFFERENT_FUNCTIONS.get(dialect, {})
    problems += [Problem(path, f"differs_in_{dialect}", f"{n}: {different[n]}")
                 for n in sorted(names & set(different))]
    return problems


def compiled_model_files(compiled_dir: Path) -> list[Path]:
    """The compiled .sql files of models under a dbt compiled/ directory, in a stable order.
    Data tests compiled under a models' YAML file (a directory named *.yml) are skipped."""
    return sorted(p for p in Path(compiled_dir).rglob("*.sql")
                  if not any(part.endswith((".yml", ".yaml")) for part in p.parts))


def check_dir(compiled_dir: Path, dialect: str) -> tuple[int, list[Problem]]:
    """(number of files checked, problems) for every compiled model under `compiled_dir`."""
    files = compiled_model_files(compiled_dir)
    problems: list[Problem] = []
    for f in files:
        rel = str(f.relative_to(compiled_dir))
        problems += check_sql(f.read_text(encoding="utf-8"), dialect, rel)
    return len(files), problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dialect", required=True,
                    help="dbt target type: snowflake, bigquery, spark, duckdb")
    ap.add_argument("compiled_dir", type=Path)
    args = ap.parse_args(argv)
    n, problems = check_dir(args.compiled_dir, sqlglot_dialect(args.dialect))
    for p in problems:
        print(p)
    print(f"{n} compiled models checked as {args.dialect}: {len(problems)} problem(s)")
    return 1 if problems or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
