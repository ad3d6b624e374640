import { Link } from 'react-router';
import { EmptyState } from '../../components/states';

export function NotFoundPage() {
  return (
    <EmptyState title="There is no page at this address">
      <p>
        Check the link, or go to the <Link to="/">start page</Link>.
      </p>
    </EmptyState>
  );
}
