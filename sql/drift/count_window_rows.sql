SELECT count(*) FROM {{ schema }}.predictions WHERE day BETWEEN $start AND $end
