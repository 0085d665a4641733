// Discovery page.
import { PageHead } from "../ui/components";

export function DiscoveryPage() {
  return <PageHead title="Discovery" />;
}
