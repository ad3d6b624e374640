import { Link } from 'react-router';
import { EmptyState } from '../../components/states';
import { useDocumentTitle } from '../../lib/document-title';

export function NotFoundPage() {
  useDocumentTitle('Page not found · Proofdrop');
  return (
    <EmptyState level={1} title="There is no page at this address">
      <p>
        Check the link, or go to the <Link to="/">start page</Link>.
      </p>
    </EmptyState>
  );
}
