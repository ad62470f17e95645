-- Catalog-data change shipped with the 15.18 -> 15.20 in-place update.
--
-- What it stands for: upstream PostgreSQL minor releases never change system-catalog data (that is
-- why a plain binary swap is enough for them). Forks such as Pangolin do, between two releases of the
-- same catalog format: new built-in functions, corrected descriptions. This script is such a change,
-- small but real: it adds one function to pg_catalog and documents it in pg_description, in every
-- database. Tests observe it with  SELECT pg_catalog.drover_catalog_data_version();
--
-- Rules for scripts in this directory: plain SQL, no transaction control (the utility wraps each
-- pass in BEGIN ... ROLLBACK, then BEGIN ... COMMIT), safe to load again (CREATE OR REPLACE).
CREATE OR REPLACE FUNCTION pg_catalog.drover_catalog_data_version() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '15.20-1'::text $$;
COMMENT ON FUNCTION pg_catalog.drover_catalog_data_version()
    IS 'catalog-data level of this cluster, installed by the in-place update 15.18 -> 15.20';
