// Job detail page.
import { PageHead } from "../ui/components";

export function JobDetailPage({ id }: { id: number }) {
  return <PageHead title={`Job ${id}`} />;
}
