-- Test of the updated catalog data, run in every database after the real pass (exit 4 if it fails).
DO $$
BEGIN
  IF pg_catalog.drover_catalog_data_version() IS DISTINCT FROM '15.20-1' THEN
    RAISE EXCEPTION 'drover_catalog_data_version() = %, expected 15.20-1', pg_catalog.drover_catalog_data_version();
  END IF;
  IF obj_description('pg_catalog.drover_catalog_data_version()'::regprocedure, 'pg_proc') IS NULL THEN
    RAISE EXCEPTION 'drover_catalog_data_version() has no description';
  END IF;
END $$;
