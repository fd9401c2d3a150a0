import { maintenanceTool } from "../shared/care_common.ts";

/**
 * `clean_bundles`: deletes metadata bundles nothing uses any more.
 * PUT /library/clean/bundles?async=1 (spec:1296; python-plexapi
 * library.py:179).
 */
export const cleanBundles = maintenanceTool({
  name: "clean_bundles",
  title: "Clean metadata bundles",
  description:
    "Deletes the metadata bundles (posters, art, agent data) of items no longer in any library, asking the user first; reports what the server started.",
  question: "Delete the metadata bundles no library item uses any more",
  path: "/library/clean/bundles",
  accepted: "the bundle clean-up",
});
