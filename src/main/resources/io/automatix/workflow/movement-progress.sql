UPDATE data_movements
SET files_total = coalesce(:files_total, files_total), bytes_total = coalesce(:bytes_total, bytes_total),
    files_done = :files_done, bytes_done = :bytes_done, location = coalesce(:location, location)
WHERE id = :id
