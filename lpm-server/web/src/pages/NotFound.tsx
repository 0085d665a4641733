// The page for a URL the UI does not know.
import { Link } from "../router";
import { Empty, PageHead } from "../ui/components";

export function NotFoundPage() {
  return (
    <>
      <PageHead title="Page not found" />
      <div className="card">
        <Empty title="There is no page at this address.">
          <p>
            <Link to="/">Go to the dashboard</Link>
          </p>
        </Empty>
      </div>
    </>
  );
}
