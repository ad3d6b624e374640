import type { ReactNode } from 'react';
import { Link, Outlet } from 'react-router';

function Logo() {
  return (
    <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#4338ca" />
      <path d="M10 8h7a6 6 0 0 1 0 12h-3v4h-4z" fill="#fff" />
      <circle cx="17" cy="14" r="2.2" fill="#4338ca" />
    </svg>
  );
}

/** The page frame every screen shares: skip link, header, main landmark, footer. */
export function Layout({ nav }: { nav?: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <Logo />
            Proofdrop
          </Link>
          {nav && (
            <nav className="site-nav" aria-label="Main">
              {nav}
            </nav>
          )}
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        Proofdrop: giveaways whose entries are proven by the host's own website.
      </footer>
    </>
  );
}
