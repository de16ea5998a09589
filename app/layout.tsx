import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import "./globals.css";
import { Providers } from "@/components/providers";
import { NavMenu } from "@/components/nav-menu";
import { SignOutButton } from "@/components/sign-out-button";
import { currentUser } from "@/lib/server/auth/actor";
import { clockNow } from "@/lib/server/clock";
import { readerTimeZone } from "@/lib/server/reader-time-zone";

export const metadata: Metadata = {
  title: { default: "Burnrate", template: "%s · Burnrate" },
  description: "Error budgets, burn rates and the deploy gate for your services.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser().catch(() => null);
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Burnrate
          </Link>
          {user ? (
            <NavMenu>
              <nav aria-label="Main">
                <Link href="/">Overview</Link>
                <Link href="/teams">Teams</Link>
                <Link href="/incidents">Incidents</Link>
                <Link href="/postmortems">Postmortems</Link>
                <Link href="/action-items">My action items</Link>
                {user.isSiteAdmin ? <Link href="/admin">Admin</Link> : null}
              </nav>
              <div className="who">
                <Link href="/account">{user.name}</Link>
                <SignOutButton />
              </div>
            </NavMenu>
          ) : null}
        </header>
        <Providers timeZone={await readerTimeZone()} now={clockNow().toISOString()}>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
