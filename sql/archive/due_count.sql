SELECT count(*) FROM {{ due }}
