import { maintenanceTool } from "../shared/care_common.ts";

/**
 * `optimize_database`: compacts and re-indexes the server's database.
 * PUT /library/optimize?async=1: answers at once, progress as an activity
 * (spec:1517; python-plexapi library.py:195).
 */
export const optimizeDatabase = maintenanceTool({
  name: "optimize_database",
  title: "Optimize the database",
  description:
    "Rewrites the server's database to compact and re-index it, asking the user first (the server is slower meanwhile); reports what the server started.",
  question: "Optimize the server's database, which rewrites it",
  path: "/library/optimize",
  accepted: "the database optimization",
});
