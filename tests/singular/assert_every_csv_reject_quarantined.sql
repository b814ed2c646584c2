-- Every line the CSV reader rejected appears in quarantine with a csv_* reason.
select rejects.*
from {{ ref('base_raw__csv_rejects') }} as rejects
left join {{ ref('quarantine') }} as quarantine
    on quarantine.source_row_id = rejects.source_file || ':line ' || cast(rejects.line as varchar)
where quarantine.reason_code is null
    or quarantine.reason_code not like 'csv_%'
