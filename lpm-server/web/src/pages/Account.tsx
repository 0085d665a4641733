// Account page.
import { PageHead } from "../ui/components";

export function AccountPage() {
  return <PageHead title="Account" />;
}
