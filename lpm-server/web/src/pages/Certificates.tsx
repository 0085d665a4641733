// Certificates page.
import { PageHead } from "../ui/components";

export function CertificatesPage() {
  return <PageHead title="Certificates" />;
}
