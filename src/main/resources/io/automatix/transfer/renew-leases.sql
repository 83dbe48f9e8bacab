-- A router renews the claims of the transfers it is running, so that nobody takes them over.
UPDATE runs SET claimed_at = now()
WHERE claimed_by = :router AND raw_status IN ('acquired', 'transferring') AND id IN (:ids)
