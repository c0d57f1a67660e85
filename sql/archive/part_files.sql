-- A model's archive files of one kind holding rows of days in [first_day, last_day].
SELECT file
FROM archive_parts
WHERE model = $model AND kind = $kind AND first_day <= $last_day AND last_day >= $first_day
ORDER BY month, archived_at, file
