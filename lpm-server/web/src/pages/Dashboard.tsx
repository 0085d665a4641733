// Dashboard page.
import { PageHead } from "../ui/components";

export function DashboardPage() {
  return <PageHead title="Dashboard" />;
}
