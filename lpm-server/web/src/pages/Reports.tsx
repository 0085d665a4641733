// Reports page.
import { PageHead } from "../ui/components";

export function ReportsPage() {
  return <PageHead title="Reports" />;
}
