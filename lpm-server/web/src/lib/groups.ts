// The groups the caller can see, loaded once per page that needs their names.

import { api, unwrap, type Schemas } from "../api/client";
import { useLoad, type Loaded } from "./hooks";

/** Every group visible to the caller (at most 500, the API's page limit). */
export function useGroups(): Loaded<Schemas["GroupView"][]> {
  return useLoad(
    async () =>
      (await unwrap(api.GET("/api/v1/groups", { params: { query: { per_page: 500, sort: "name" } } }))).items,
    [],
  );
}

/** Group names by id. */
export function groupNames(groups: Schemas["GroupView"][] | undefined): Map<number, string> {
  return new Map((groups ?? []).map((g) => [g.id, g.name]));
}
