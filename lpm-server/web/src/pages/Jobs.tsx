// Jobs page.
import { PageHead } from "../ui/components";

export function JobsPage() {
  return <PageHead title="Jobs" />;
}
