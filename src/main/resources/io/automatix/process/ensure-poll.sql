INSERT INTO cluster_polls (cluster, interval_ms) VALUES (:cluster, :interval_ms) ON CONFLICT (cluster) DO NOTHING
