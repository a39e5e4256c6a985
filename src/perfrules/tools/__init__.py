"""The toolbelt built on the stages: batch scoring, cases and their runner, coverage, the
formatter and the starter files (`perfrules new`). `perfrules.testing` (public) sits beside."""
