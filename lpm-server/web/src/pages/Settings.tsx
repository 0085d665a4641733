// Settings page.
import { PageHead } from "../ui/components";

export function SettingsPage() {
  return <PageHead title="Settings" />;
}
