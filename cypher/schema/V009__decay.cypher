// The decay pass: one lease node per job name (who runs it, until when, where a pass stands), and the
// kind of each memory for the formula (memories written before get theirs from the pass).
CREATE CONSTRAINT job_lease_name_unique IF NOT EXISTS FOR (l:JobLease) REQUIRE l.name IS UNIQUE;
