// Deploy page.
import { PageHead } from "../ui/components";

export function DeployPage() {
  return <PageHead title="Deploy" />;
}
